"""Exam readiness: the chance of answering a new exam question right, per exam area and overall, with an interval.

The estimate, step by step (each constant is explained where it is set):

1. A rule's accuracy: its last ``RECENT`` answers, shrunk towards its area's mean by ``RULE_PRIOR`` answers' worth.
2. An area's mean: the mean of its practised rules' accuracies, each rule once (a rule drilled five times after a
   miss does not outweigh the others), shrunk towards the learner's overall accuracy by ``AREA_PRIOR`` rules' worth.
3. Forgetting: FSRS's retrievability R of the rule's card (the chance it is still recalled now) moves its accuracy
   towards a guess: p = CHANCE + (accuracy - CHANCE) * R.
4. A new exam question is on a random rule of its area: an area's readiness is the mean p over the area's exam
   rules (a rule never practised counts at the area's mean); the exam's is the areas' mean weighted by the exam's
   area weights (the pack's; equal without one).

The interval: each area's estimate is read as a Beta posterior with as many observations as the area's counted
answers (plus the prior's), and the exam's as the Beta with the mean and variance of the weighted sum of the areas.
OVERALL: the areas are not independent — an area not practised yet is the learner's overall accuracy again — so the
exam's Beta is never surer than the answers it rests on plus the overall accuracy's Beta(1, 1) prior. Without that
cap, 8 answers gave a 90% interval that held simulated learners' true chance for 53% of them (0.90 with it; 20
answers 0.67 -> 0.80, 100 answers 0.85 -> 0.87).
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from fsrs import Card

from studyassist.knowledge.model import KnowledgeBase, Rule
from studyassist.study.beta import beta_quantile
from studyassist.study.progress import Attempt, ProgressStore, retrievability

RECENT = 3  # a rule's last three answers say where the learner stands now; older ones say where they were
RULE_PRIOR = 2.0  # a rule's own answers outweigh its area's mean from its third answer on
AREA_PRIOR = 3.0  # an area's own rules outweigh the learner's overall accuracy from the fourth practised rule on
CHANCE = 0.25  # a generated question has four options: a forgotten rule is a guess among them
MIN_ANSWERS = 5  # below this, no estimate: the interval would span almost everything
LEVEL = 0.9  # the interval holds the chance with this probability
DAY_ONE = "Answer a few questions to get an estimate."


@dataclass(frozen=True)
class Estimate:
    """A chance of a right answer, its ``LEVEL`` interval, and how many recent answers it rests on."""

    p: float
    low: float
    high: float
    answers: int

    def contract(self) -> dict:
        return {"p": round(self.p, 3), "low": round(self.low, 3), "high": round(self.high, 3), "answers": self.answers}


@dataclass(frozen=True)
class Readiness:
    """Exam readiness overall and per area id (None before ``MIN_ANSWERS`` answers), with the area weights used."""

    overall: Estimate | None
    areas: dict[str, Estimate]
    weights: dict[str, float]
    answered: int

    @property
    def message(self) -> str | None:
        return DAY_ONE if self.overall is None else None

    def contract(self) -> dict:
        """The ``readiness`` object of ``review --json``."""
        return {"overall": self.overall.contract() if self.overall else None,
                "areas": {a: e.contract() | {"weight": round(self.weights[a], 4)} for a, e in self.areas.items()},
                "answered": self.answered, "min_answers": MIN_ANSWERS, "level": LEVEL, "message": self.message}


def exam_rules(kb: KnowledgeBase) -> list[Rule]:
    """The rules an exam question can be on: decision-table rows (not the review map's), with situation and choice."""
    return [r for r in kb.table_rules if not r.overview and r.situation and r.choice]


def readiness(store: ProgressStore, profile: str, kb: KnowledgeBase, now: datetime | None = None) -> Readiness:
    """The learner's exam readiness from their answers and FSRS cards (only the areas of ``kb``)."""
    areas = {a.id for a in kb.areas}
    attempts = [a for a in store.attempts(profile) if a.area in areas]
    return estimate(attempts, store.cards(profile), kb, now)


def estimate(attempts: Iterable[Attempt], cards: dict[str, Card], kb: KnowledgeBase,
             now: datetime | None = None) -> Readiness:
    """Readiness from ``attempts`` (oldest first) and the rules' cards at ``now``; see the module's steps."""
    now = now or datetime.now(UTC)
    total = sum(a.weight for a in kb.areas)
    weights = {a.id: a.weight / total if total else 1 / len(kb.areas) for a in kb.areas}
    recent: dict[str, list[bool]] = defaultdict(list)
    area_of: dict[str, str] = {}
    last: dict[str, bool] = {}
    for a in attempts:
        if last.get(a.rule_id, True):  # see REVIEWS
            recent[a.rule_id] = (recent[a.rule_id] + [a.correct])[-RECENT:]
        last[a.rule_id] = a.correct
        area_of[a.rule_id] = a.area
    answered = sum(len(v) for v in recent.values())
    if answered < MIN_ANSWERS or not kb.areas:
        return Readiness(None, {}, weights, answered)
    overall_mean = (1 + sum(sum(v) for v in recent.values())) / (2 + answered)  # Beta(1, 1) prior
    by_area: dict[str, list[str]] = defaultdict(list)
    for rule_id, area in area_of.items():
        by_area[area].append(rule_id)
    exam_by_area: dict[str, list[str]] = defaultdict(list)
    for r in exam_rules(kb):
        exam_by_area[r.area].append(r.id)
    result: dict[str, Estimate] = {}
    strength: dict[str, float] = {}
    for area in weights:
        practised = by_area.get(area, [])
        mean = (AREA_PRIOR * overall_mean + sum(sum(recent[r]) / len(recent[r]) for r in practised)) / (
            AREA_PRIOR + len(practised))

        def chance(rule_id: str, mean: float = mean) -> float:
            answers = recent.get(rule_id)
            if not answers:
                return mean
            p = (RULE_PRIOR * mean + sum(answers)) / (RULE_PRIOR + len(answers))
            card = cards.get(rule_id)
            return CHANCE + (p - CHANCE) * retrievability(card, now) if card is not None else p

        rules = exam_by_area.get(area) or practised
        p = sum(chance(r) for r in rules) / len(rules) if rules else mean
        strength[area] = len(practised) + AREA_PRIOR
        result[area] = _interval(p, strength[area], sum(len(recent[r]) for r in practised))
    p = sum(weights[a] * e.p for a, e in result.items())
    variance = sum(weights[a] ** 2 * _variance(e.p, strength[a]) for a, e in result.items())
    strength = max(p * (1 - p) / variance - 1, 1.0) if variance > 0 else 1e6
    strength = min(strength, answered + 2)  # see OVERALL
    return Readiness(_interval(p, strength, answered), result, weights, answered)


def _variance(p: float, strength: float) -> float:
    return p * (1 - p) / (strength + 1)


def _interval(p: float, strength: float, answers: int) -> Estimate:
    """The ``LEVEL`` equal-tailed interval of Beta(p·strength, (1 - p)·strength)."""
    p = min(max(p, 1e-6), 1 - 1e-6)
    a, b = p * strength, (1 - p) * strength
    tail = (1 - LEVEL) / 2
    return Estimate(p, beta_quantile(tail, a, b), beta_quantile(1 - tail, a, b), answers)
