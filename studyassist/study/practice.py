"""Practice sessions: answer an item, explain a wrong answer, follow-up chat, and score a mock exam.

Which items a learner gets (drills, due reviews, mock exams) is ``selection``'s job; its functions are named here
too, so the pages and commands find every practice step in one place.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Protocol

from pydantic import BaseModel

from studyassist.answer.citations import verify
from studyassist.answer.composer import Composer
from studyassist.answer.resolve import Conversation, Turn
from studyassist.answer.types import Answer, Citation, Claim, citation_order, render
from studyassist.errors import InputError
from studyassist.knowledge.facets import Facet
from studyassist.knowledge.model import KnowledgeBase
from studyassist.quiz.explanations import mistake_said
from studyassist.quiz.generator import QuizGenerator
from studyassist.quiz.types import OPTION_LETTERS, QuizItem
from studyassist.quiz.wrong import fails_need
from studyassist.solve.mcq import from_parts
from studyassist.solve.solver import Solver
from studyassist.study.items import load_item, save_items
from studyassist.study.progress import Attempt, ProgressStore
from studyassist.study.selection import DrillPlan, drill_plan, fresh_exam, mock_exam, next_items, review_items
from studyassist.text import ConceptMatcher, normalize

log = logging.getLogger(__name__)

_ANOTHER = ("another", "one more", "similar", "like this", "again")


class StudyCore(Protocol):
    """What practice needs of the loaded core (``studyassist.Assistant`` is one)."""

    kb: KnowledgeBase
    composer: Composer
    facets: list[Facet]
    matcher: ConceptMatcher

    @property
    def solver(self) -> Solver: ...

    @property
    def quiz(self) -> QuizGenerator: ...

    def ask(self, question: str, conversation: Conversation | None = None) -> Answer: ...


class Explanation(BaseModel):
    """Why the chosen option is (not) the best, with citations to both rules."""

    correct: bool
    chosen: int
    answer: int
    markdown: str
    citations: list[Citation]
    chosen_rule: str | None = None
    key_rule: str | None = None


def explain_item(assistant: StudyCore, item: QuizItem, chosen: int) -> Explanation:
    """Which situation the chosen option fits (its own rule), which clue points to the key, the trap."""
    if not 0 <= chosen < len(item.options):
        last = OPTION_LETTERS[len(item.options) - 1]
        raise InputError(f"Option {chosen + 1} does not exist; pick one of A to {last}.")
    kb, composer = assistant.kb, assistant.composer
    if len(item.option_rules) != len(item.options):  # an item from elsewhere: find each option's own rule
        fits = assistant.solver.score(from_parts(item.stem, item.options)).fits
        item = item.model_copy(update={"option_rules": [
            item.rule_id if i == item.answer else (f.own.rule_id if f.own else None) for i, f in enumerate(fits)]})
    key_rule = kb.rule(item.rule_id)
    raw = item.review_choices
    letters = OPTION_LETTERS
    solver = assistant.solver
    facet = _facet_of(assistant, key_rule.id, raw[item.answer])
    own = item.option_rules[chosen] if chosen != item.answer and chosen < len(item.option_rules) else None
    written_why = assistant.quiz.wrong.why(item.rule_id).get(normalize(raw[chosen])) if not own else None
    if chosen != item.answer and not (own or written_why or key_rule.offered):  # a distractor from elsewhere: its row
        fit = solver.score(from_parts(item.stem, item.options)).fits[chosen]
        own = fit.own.rule_id if fit.own and fit.own.rule_id != key_rule.id else None
    own_facet = _facet_of(assistant, own, raw[chosen]) if own else None
    claims: list[Claim] = []
    if chosen == item.answer:
        claims.append(Claim(text=f"**{letters[chosen]}) {item.options[chosen]}** is right.", heading="Correct:"))
    elif own_facet is not None and not own_facet.anti and not facet.anti:
        # one sentence from both rows, with the words of the question only the answer's row shares
        claims.append(solver.explainer.contrast(item.stem, f"{letters[chosen]}) {item.options[chosen]}", own_facet,
                                                f"{letters[item.answer]}) {item.options[item.answer]}", facet))
    elif not own and chosen != item.answer and written_why:
        claims.append(Claim(text=fails_need(f"{letters[chosen]}) {item.options[chosen]}", written_why),
                            rule_ids=[key_rule.id],
                            label=raw[chosen], heading="Why not your answer:"))  # written for the key's need
    elif own and kb.rule(own).anti_pattern:  # a known mistake offered as a wrong action
        claims.append(Claim(text=f"**{letters[chosen]}) {item.options[chosen]}** is a known mistake: "
                                 f"{mistake_said(kb.rule(own))}.", rule_ids=[own], label=raw[chosen],
                            heading="Why not your answer:"))
    elif own:
        r = kb.rule(own)
        what = r.situation if not r.sides else f"{r.situation}: " + next(
            (s.text for s in r.sides if s.label.lower() == raw[chosen].lower()), r.sides[0].text)
        claims.append(Claim(text=f"**{letters[chosen]}) {item.options[chosen]}** is the choice for a different "
                                 f"situation: \"{what.strip().strip('“”').rstrip('.?')}\".", rule_ids=[own],
                            label=raw[chosen], heading="Why not your answer:"))
    elif chosen != item.answer:  # no row of the review names it: say so rather than nothing about the pick
        said = "the notes' key to this question" if key_rule.offered else "what the review gives for this situation"
        claims.append(Claim(text=f"**{letters[chosen]}) {item.options[chosen]}** is not {said}.",
                            rule_ids=[key_rule.id], heading="Why not your answer:"))
    if not (claims and claims[-1].labels):  # a contrast already quotes the answer's row and the clue
        clue = solver.explainer.clues(item.stem, facet)
        said = f"the words {', '.join(clue)} point" if clue else "the scenario points"
        claims.append(Claim(text=f"In the question, {said} to **{letters[item.answer]}) "
                                 f"{item.options[item.answer]}**: \"{facet.quote.strip().strip('“”').rstrip('.?')}\".",
                            rule_ids=[key_rule.id], label=raw[item.answer], heading="The clue:"))
    claims += composer.note_claims(key_rule)[:1]
    chosen_concepts = list(kb.rule(own).choice_concepts) if own else []
    used = {rid for c in claims for rid in c.rule_ids}
    claims += composer.trap_claims(chosen_concepts + list(key_rule.choice_concepts), used)
    claims, _ = verify(claims, kb, assistant.matcher)
    md, citations = render(claims, kb, citation_order(claims))
    return Explanation(correct=chosen == item.answer, chosen=chosen, answer=item.answer, markdown=md,
                       citations=citations, chosen_rule=item.option_rules[chosen] if chosen != item.answer else None,
                       key_rule=key_rule.id)


def _facet_of(assistant: StudyCore, rule_id: str, option: str):
    """The facet of ``rule_id`` an option names (a comparison row has one per side), else its first."""
    facets = assistant.composer.facets_of_rule[rule_id]
    return next((f for f in facets if f.label.lower() == option.lower()), facets[0])


def item_conversation(assistant: StudyCore, item: QuizItem, chosen: int | None = None) -> Conversation:
    """A chat that already knows the item: its key is the decision, the distractors the alternatives, the one the
    learner picked first (so "why not the other one?" is about their pick, not the explanation again)."""
    kb = assistant.kb
    key_concepts = list(kb.rule(item.rule_id).choice_concepts)
    rules = [rid for rid in item.option_rules if rid and rid != item.rule_id]
    picked = item.option_rules[chosen] if chosen is not None and chosen < len(item.option_rules) else None
    if picked in rules:
        rules.remove(picked)
        rules.insert(0, picked)
    skip = set(key_concepts) | assistant.composer.generic  # "deployment" is no one's pick
    alternatives = list(dict.fromkeys(c for rid in rules for c in kb.rule(rid).choice_concepts if c not in skip))
    chat = Conversation()
    chat.add(Turn(item.stem, "which", key_concepts, item.review_choices[item.answer], key_concepts, alternatives,
                  [item.rule_id]))
    return chat


@dataclass
class FollowUp:
    answer: object | None = None  # an Answer for a question
    item: QuizItem | None = None  # a new item for "give me another one like this"


def follow_up(assistant: StudyCore, item: QuizItem, text: str, chat: Conversation, seed: int | None = None) -> FollowUp:
    """A chat turn after an explanation: a question about the rules, or a request for a similar item."""
    lowered = text.lower()
    if any(w in lowered for w in _ANOTHER) and ("question" in lowered or "one" in lowered or "like" in lowered):
        return FollowUp(item=similar_item(assistant, item, seed))
    return FollowUp(answer=assistant.ask(text, chat))


def similar_item(assistant: StudyCore, item: QuizItem, seed: int | None = None) -> QuizItem:
    """A fresh item on the same table (another row when possible) as ``item``."""
    gen = assistant.quiz
    table = assistant.kb.rule(item.rule_id).table
    rules = [r.id for r in gen.pool if r.table == table and r.id != item.rule_id] or [item.rule_id]
    seed = seed if seed is not None else int(time.time() * 1000) % 2**31
    items = gen.generate(1, seed, rules=rules, exclude={item.id}, exclude_stems={item.stem})
    if not items:
        raise InputError("No similar question could be verified right now; ask for a new quiz instead.")
    return items[0]


def record_answer(store: ProgressStore, profile: str, item: QuizItem, chosen: int, source: str = "quiz") -> bool:
    """Write the attempt (one transaction); returns whether it was correct."""
    correct = chosen == item.answer
    store.record(Attempt(profile=profile, item_id=item.id, rule_id=item.rule_id, area=item.area, chosen=chosen,
                         answer=item.answer, correct=correct, source=source, stem=item.stem,
                         options=tuple(item.options)))
    return correct


def score_exam(items: list[QuizItem], answers: dict[str, int | None]) -> dict[str, tuple[int, int]]:
    """Correct and total per area (an unanswered item counts as wrong)."""
    report: dict[str, tuple[int, int]] = {}
    for item in items:
        c, t = report.get(item.area, (0, 0))
        report[item.area] = (c + int(answers.get(item.id) == item.answer), t + 1)
    return report


__all__ = ["DrillPlan", "Explanation", "explain_item", "follow_up", "fresh_exam", "mock_exam", "next_items",
           "record_answer", "review_items", "score_exam", "drill_plan", "load_item", "save_items", "similar_item",
           "item_conversation"]
