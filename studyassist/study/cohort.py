"""A trainer's view of a cohort: per-area readiness across learners and the rules most of them miss — counts and
estimates only, never one learner's answers, name or question text (issue 18's trainer role).
"""
from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import datetime

from studyassist.knowledge.model import KnowledgeBase
from studyassist.study.progress import ProgressStore
from studyassist.study.readiness import readiness


@dataclass(frozen=True)
class AreaView:
    area: str
    learners: int  # learners with an estimate who have answered in this area
    readiness: float | None  # their mean chance of a right answer on a new question of the area
    lowest: float | None


@dataclass(frozen=True)
class MissedRule:
    rule_id: str
    area: str
    learners: int  # how many learners missed it at least once
    misses: int


@dataclass(frozen=True)
class Cohort:
    learners: int
    answers: int
    ready: int  # learners with an overall estimate (enough answers)
    overall: float | None
    areas: list[AreaView]
    missed: list[MissedRule]

    def contract(self) -> dict:
        return {"learners": self.learners, "answers": self.answers, "ready": self.ready, "overall": self.overall,
                "areas": [vars(a) for a in self.areas], "missed": [vars(m) for m in self.missed]}


def cohort(store: ProgressStore, kb: KnowledgeBase, top: int = 10, now: datetime | None = None) -> Cohort:
    """Every profile's readiness (``readiness.readiness``), averaged per area, and the ``top`` rules missed by the
    most learners (then the most misses).

    PRACTISED: an area's mean is over the learners who answered in it; a learner's estimate for an area they never
    practised is their overall accuracy again, which says nothing about the cohort in that area."""
    profiles = store.profiles()
    estimates = [readiness(store, p, kb, now) for p in profiles]
    areas = []
    for a in kb.areas:
        ps = [e.areas[a.id].p for e in estimates if a.id in e.areas and e.areas[a.id].answers]  # see PRACTISED
        areas.append(AreaView(a.id, len(ps), round(statistics.mean(ps), 3) if ps else None,
                              round(min(ps), 3) if ps else None))
    overall = [e.overall.p for e in estimates if e.overall is not None]
    rules: dict[str, list] = {}
    for p in profiles:
        for m in store.mistakes_by_rule(p):
            entry = rules.setdefault(m.rule_id, [m.area, 0, 0])
            entry[1] += 1
            entry[2] += m.misses
    missed = sorted((MissedRule(r, area, n, misses) for r, (area, n, misses) in rules.items()),
                    key=lambda m: (-m.learners, -m.misses, m.rule_id))[:top]
    return Cohort(len(profiles), sum(e.answered for e in estimates), len(overall),
                  round(statistics.mean(overall), 3) if overall else None, areas, missed)
