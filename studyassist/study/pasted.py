"""Pasted questions in the mistake log: the learner's pick on a question from another practice bank,
recorded against the rule behind the solver's best option — only when the solver is sure of that rule.

A pasted question counts once per profile per UTC day: its item id is a hash of the stem and the
(sorted) options plus the date, so pasting it again that day — to reread the explanation, or with
another pick after seeing the answer — records nothing more, while pasting it on a later day is a new
attempt, as a review would be.
"""
from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from datetime import UTC, datetime

from studyassist.errors import InputError
from studyassist.knowledge.model import KnowledgeBase
from studyassist.solve.mcq import PastedQuestion
from studyassist.solve.types import Solution
from studyassist.study.progress import Attempt, ProgressStore
from studyassist.text import content_hash, normalize

log = logging.getLogger(__name__)



@dataclass(frozen=True)
class PastedRecord:
    """What happened to a pasted question's pick in the progress store; ``message`` is one sentence."""

    recorded: bool
    message: str
    item_id: str | None = None
    rule_id: str | None = None
    correct: bool | None = None

    def contract(self) -> dict:
        return asdict(self)


def pasted_item_id(question: PastedQuestion, day) -> str:
    """The same question (options in any order) on the same UTC day gets the same id."""
    key = content_hash(normalize(question.stem), *sorted(normalize(o) for o in question.options))
    return f"p-{key[:12]}-{day:%Y%m%d}"


def logged_rule(solution: Solution) -> tuple[str | None, str]:
    """The rule to log the pick against, or None and why the solver is not sure enough of one."""
    if solution.negated:
        return None, "a NOT/LEAST question's answer is the option that fits no rule here"
    if len(solution.picks) > 1:
        return None, f"it asks for {len(solution.picks)} options, which no single rule covers"
    if solution.best_rule is None:
        return None, "no rule of the review matches its best option closely"
    if solution.confidence != "confident":  # a pick logged as right or wrong must be trusted to be
        return None, f"the solver is not sure enough of the answer (it is {solution.confidence})"
    return solution.best_rule, ""


def _overview_only(kb: KnowledgeBase, rule_id: str) -> bool:
    return kb.has_rule(rule_id) and kb.rule(rule_id).overview


def record_pasted(store: ProgressStore, kb: KnowledgeBase, profile: str, question: PastedQuestion,
                  solution: Solution, now: datetime | None = None) -> PastedRecord:
    """Log the pick in ``solution`` (from ``Solver.solve(question, chose)``) as an attempt, if the solver is sure."""
    if solution.chosen is None:
        return PastedRecord(False, "Nothing was logged: say which option you picked to log the attempt.")
    rule_id, why_not = logged_rule(solution)
    if rule_id is not None and _overview_only(kb, rule_id):  # reviewing "Model deployment" as a whole teaches nothing
        rule_id, why_not = None, "its best option matches only the overview table's summary of an exam area"
    if rule_id is None or not kb.has_rule(rule_id):
        return PastedRecord(False, f"Not logged in your mistake log: {why_not or 'its rule is not in the review'}, "
                                   "so the solver cannot tie it to one rule.")
    when = now or datetime.now(UTC)
    item_id = pasted_item_id(question, when.astimezone(UTC))
    chosen, answer = question.letters.index(solution.chosen), question.letters.index(solution.best)
    again = PastedRecord(False, f"Already logged today for profile '{profile}'; a question pasted again the same "
                                "day counts once.", item_id, rule_id)
    if store.answered(profile, item_id):
        return again
    try:
        store.record(Attempt(profile=profile, item_id=item_id, rule_id=rule_id, area=kb.rule(rule_id).area,
                             chosen=chosen, answer=answer, correct=chosen == answer, source="pasted",
                             stem=question.stem, answered_at=when, options=tuple(question.options)))
    except InputError:
        if store.answered(profile, item_id):  # the same paste, recorded by another window a moment ago
            return again
        raise
    log.info("pasted question %s logged for %s against %s (correct: %s)", item_id, profile, rule_id, chosen == answer)
    if chosen == answer:
        return PastedRecord(True, f"Logged as a correct answer on {kb.where(rule_id)} for profile '{profile}'.",
                            item_id, rule_id, True)
    return PastedRecord(True, f"Logged as a miss on {kb.where(rule_id)} for profile '{profile}'; that rule is now "
                              "in your review queue.", item_id, rule_id, False)
