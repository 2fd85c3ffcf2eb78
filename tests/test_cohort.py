"""`studyassist cohort`: a trainer's numbers across learners, on the real knowledge base and a real store."""
from __future__ import annotations

import io
import json
import re
import sys
from datetime import UTC, datetime, timedelta

from studyassist.study.cohort import cohort
from studyassist.study.progress import Attempt, ProgressStore

T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


def answer(store, profile: str, n: int, rule, correct: bool) -> None:
    store.record(Attempt(profile=profile, item_id=f"{profile}-{n}", rule_id=rule.id, area=rule.area,
                         chosen=0 if correct else 1, answer=0, correct=correct, source="quiz",
                         stem=f"secret stem {profile} {n}", answered_at=T0 + timedelta(minutes=n)))


def test_the_most_missed_rules_and_area_readiness_without_anyones_answers(shared_index, monkeypatch, capsys):
    from studyassist.cli.main import main
    from studyassist.knowledge.model import KnowledgeBase
    from studyassist.settings import get_settings

    kb = KnowledgeBase.load(get_settings().kb_path)
    store = ProgressStore(get_settings().home.parent / "cohort.sqlite3")
    rules = [r for r in kb.rules if not r.anti_pattern][:40]
    hard, easy = rules[0], rules[1]
    for learner in range(3):  # everyone misses the hard rule once; ana answers enough for an estimate
        profile = ["ana", "ben", "cy"][learner]
        answer(store, profile, 0, hard, False)
        answer(store, profile, 1, easy, learner != 2)
    for n, rule in enumerate(rules[2:32], start=2):
        answer(store, "ana", n, rule, n % 4 != 0)
    view = cohort(store, kb, top=2, now=T0 + timedelta(days=1))
    assert (view.learners, view.answers, view.ready) == (3, 36, 1)
    assert [(m.rule_id, m.learners, m.misses) for m in view.missed][0] == (hard.id, 3, 3)
    assert view.missed[1].learners == 1 and len(view.missed) == 2
    assert {a.area for a in view.areas} == {a.id for a in kb.areas}
    assert any(a.learners for a in view.areas) and all(a.readiness is None or 0 < a.readiness < 1 for a in view.areas)
    answered = {r.area for r in rules[:32]}
    for a in view.areas:  # an area nobody practised has no readiness: it would be ana's overall accuracy again
        assert (a.learners > 0) == (a.area in answered) and (a.readiness is None) == (a.area not in answered), a

    monkeypatch.setenv("STUDYASSIST_DATABASE_URL", f"sqlite:///{store.path}")
    get_settings.cache_clear()
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert main(["cohort", "--top", "1"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Cohort: 3 learners, 36 answers; 1 with an exam readiness estimate, mean ")
    assert f"{hard.id}: " in out and "— 3 learners, 3 misses" in out
    assert "secret stem" not in out and not re.search(r"\b(ana|ben|cy)\b", out)  # numbers only: no name or question
    assert main(["cohort", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["missed"][0] == {"rule_id": hard.id, "area": hard.area,
                                                                "learners": 3, "misses": 3}
