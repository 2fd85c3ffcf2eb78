"""Practice sessions: answer an item, explain a wrong answer, follow-up chat, drills and mock exams.

The drills follow the practice cycle the review recommends: topic drills on the weakest areas
first, then mixed questions, then a mock exam once the areas hold up.
"""
from __future__ import annotations

import json
import logging
import random
import time
from dataclasses import dataclass, field
from typing import Protocol

from pydantic import BaseModel

from studyassist.answer.citations import verify
from studyassist.answer.composer import Composer
from studyassist.answer.resolve import Conversation, Turn
from studyassist.answer.types import Answer, Citation, Claim, citation_order, render
from studyassist.errors import InputError
from studyassist.knowledge.facets import Facet
from studyassist.knowledge.model import KnowledgeBase
from studyassist.quiz.generator import QuizGenerator
from studyassist.quiz.types import OPTION_LETTERS, QuizItem, check_request
from studyassist.solve.mcq import from_parts
from studyassist.solve.solver import Solver
from studyassist.study.names import shown
from studyassist.study.progress import Attempt, ProgressStore
from studyassist.text import ConceptMatcher

log = logging.getLogger(__name__)

# An area counts as weak below this accuracy (or with fewer attempts than MIN_ATTEMPTS).
WEAK_ACCURACY = 0.7
MIN_ATTEMPTS = 3
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
    letters = OPTION_LETTERS
    solver = assistant.solver
    claims: list[Claim] = []
    if chosen == item.answer:
        claims.append(Claim(text=f"**{letters[chosen]}) {item.options[chosen]}** is right.", heading="Correct:"))
    else:
        own = item.option_rules[chosen] if chosen < len(item.option_rules) else None
        if own:
            r = kb.rule(own)
            what = r.situation if not r.sides else f"{r.situation}: " + next(
                (s.text for s in r.sides if s.label.lower() == item.options[chosen].lower()), r.sides[0].text)
            claims.append(Claim(text=f"**{letters[chosen]}) {item.options[chosen]}** is the choice for a different "
                                     f"situation: \"{what.strip().strip('“”').rstrip('.?')}\".", rule_ids=[own],
                                label=item.options[chosen], heading="Why not your answer:"))
    facet = next((f for f in assistant.facets if f.rule_id == key_rule.id
                  and f.label.lower() == item.options[item.answer].lower()), None) or next(
        f for f in assistant.facets if f.rule_id == key_rule.id)
    clue = solver.clues(item.stem, facet)
    said = f"the words {', '.join(clue)}" if clue else "the scenario"
    claims.append(Claim(text=f"In the question, {said} point to **{letters[item.answer]}) {item.options[item.answer]}**"
                             f": \"{facet.quote.strip().strip('“”').rstrip('.?')}\".",
                        rule_ids=[key_rule.id], label=item.options[item.answer], heading="The clue:"))
    claims += composer.note_claims(key_rule)[:1]
    chosen_concepts = list(kb.rule(item.option_rules[chosen]).choice_concepts) if (
        chosen != item.answer and chosen < len(item.option_rules) and item.option_rules[chosen]) else []
    used = {rid for c in claims for rid in c.rule_ids}
    claims += composer.trap_claims(chosen_concepts + list(key_rule.choice_concepts), used)
    claims, _ = verify(claims, kb, assistant.matcher)
    md, citations = render(claims, kb, citation_order(claims))
    return Explanation(correct=chosen == item.answer, chosen=chosen, answer=item.answer, markdown=md,
                       citations=citations, chosen_rule=item.option_rules[chosen] if chosen != item.answer else None,
                       key_rule=key_rule.id)


def item_conversation(assistant: StudyCore, item: QuizItem) -> Conversation:
    """A chat that already knows the item: its key is the decision, the distractors the alternatives."""
    kb = assistant.kb
    key_concepts = list(kb.rule(item.rule_id).choice_concepts)
    alternatives = [c for rid in item.option_rules if rid and rid != item.rule_id
                    for c in kb.rule(rid).choice_concepts]
    chat = Conversation()
    chat.add(Turn(item.stem, "which", key_concepts, item.options[item.answer], key_concepts, alternatives,
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


def save_items(store: ProgressStore, items: list[QuizItem]) -> None:
    store.save_items([(i.id, json.dumps(i.model_dump(mode="json") | {"option_rules": i.option_rules,
                                                                      "difficulty": i.difficulty,
                                                                      "origin": i.origin})) for i in items])


def load_item(store: ProgressStore, item_id: str) -> QuizItem:
    body = store.item(item_id)
    if body is None:
        raise InputError(f"No question with id {shown(item_id)} has been shown; run `studyassist quiz` to get one.")
    return QuizItem.model_validate(json.loads(body))


@dataclass
class DrillPlan:
    """Where a learner is in the practice cycle, and what to practise next."""

    stage: str  # "topic drills" | "mixed practice" | "mock exam"
    areas: list[str]
    due_rules: list[str] = field(default_factory=list)
    reason: str = ""


def drill_plan(store: ProgressStore, profile: str, areas: list[str]) -> DrillPlan:
    """Topic drills on weak areas first, then mixed questions, then a mock exam."""
    accuracy = store.area_accuracy(profile)
    due = store.due_rules(profile)
    untried = [a for a in areas if accuracy.get(a, (0, 0))[1] < MIN_ATTEMPTS]
    weak = [a for a in store.weakest_areas(profile)
            if accuracy[a][1] >= MIN_ATTEMPTS and accuracy[a][0] / accuracy[a][1] < WEAK_ACCURACY]
    if weak:
        return DrillPlan("topic drills", weak[:2], due, f"accuracy below {WEAK_ACCURACY:.0%} in {', '.join(weak[:2])}")
    if untried:
        return DrillPlan("mixed practice", untried, due, "some areas have fewer than "
                         f"{MIN_ATTEMPTS} answers yet")
    return DrillPlan("mock exam", areas, due, f"every area is at {WEAK_ACCURACY:.0%} or better")


def next_items(assistant: StudyCore, store: ProgressStore, profile: str, count: int, seed: int, area: str | None = None,
               difficulty: str = "mixed") -> list[QuizItem]:
    """Items for a learner: due rules first, then the drill plan's areas; nothing seen in the last 50 items."""
    gen = assistant.quiz
    recent = set(store.recent_items(profile, 50))
    stems = set(store.recent_stems(profile, 50))  # the same scenario with other distractors counts as seen
    if area is None:
        plan = drill_plan(store, profile, [a.id for a in assistant.kb.areas])
        due = [r for r in plan.due_rules if any(p.id == r for p in gen.pool)]
        items: list[QuizItem] = []
        if due:
            items += gen.generate(min(count, len(due)), seed, rules=due, difficulty=difficulty, exclude=recent,
                                  exclude_stems=stems)
        rng = random.Random(seed)
        while len(items) < count:
            pick = rng.choice(plan.areas) if plan.stage == "topic drills" else None
            more = gen.generate(1, rng.randrange(2**31), area=pick, difficulty=difficulty,
                                exclude=recent | {i.id for i in items}, exclude_stems=stems | {i.stem for i in items})
            if not more:
                break
            items += more
    else:
        items = gen.generate(count, seed, area=area, difficulty=difficulty, exclude=recent, exclude_stems=stems)
    save_items(store, items)
    return items


def mock_exam(assistant: StudyCore, count: int, seed: int) -> list[QuizItem]:
    """``count`` mixed items spread evenly across the areas (round robin, shuffled)."""
    check_request(count, None, "mixed", assistant.kb)
    gen = assistant.quiz
    rng = random.Random(seed)
    areas = [a.id for a in assistant.kb.areas if any(r.area == a.id for r in gen.pool)]
    items: list[QuizItem] = []
    seen: set[str] = set()
    turn = 0
    while len(items) < count and turn < count * 3:
        area = areas[turn % len(areas)]
        turn += 1
        got = gen.generate(1, rng.randrange(2**31), area=area, exclude=seen, exclude_stems={i.stem for i in items},
                           exclude_rules={i.rule_id for i in items})  # each rule once, while the area has others
        if got:
            items += got
            seen.add(got[0].id)
    rng.shuffle(items)
    return items


def score_exam(items: list[QuizItem], answers: dict[str, int | None]) -> dict[str, tuple[int, int]]:
    """Correct and total per area (an unanswered item counts as wrong)."""
    report: dict[str, tuple[int, int]] = {}
    for item in items:
        c, t = report.get(item.area, (0, 0))
        report[item.area] = (c + int(answers.get(item.id) == item.answer), t + 1)
    return report


__all__ = ["Explanation", "explain_item", "follow_up", "mock_exam", "next_items", "record_answer",
           "score_exam", "drill_plan", "load_item", "save_items", "similar_item", "item_conversation"]
