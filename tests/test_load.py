"""Learners answering through two replicas over one real PostgreSQL while one replica is killed: nothing an
answer's reply said was recorded is lost, nothing is recorded twice (studyassist/bench/load.py)."""
from __future__ import annotations

import pytest

from studyassist.bench.load import run, run_app

pytestmark = pytest.mark.slow


def test_killing_a_replica_mid_run_loses_no_answered_attempt(built_home, postgres_server):
    report = run(postgres_server.url(), built_home, learners=8, seconds=16, kill_after=8)
    assert report["answers"] >= 40 and report["answers_after_kill"] > 0, report  # the killed replica's learners too
    assert report["stored"] >= report["answers"] and report["lost"] == 0 and report["duplicated"] == 0, report


def test_learners_on_two_real_app_replicas_lose_nothing_when_one_is_killed(built_home, postgres_server):
    """Through `streamlit run app.py` itself, each learner a websocket session (a tab) on the Practise page: every
    answer whose verdict was drawn is in the database once, the killed replica's learners go on in a new tab."""
    report = run_app(postgres_server.url(), built_home, learners=4, seconds=16, kill_after=8, think=0.3)
    assert report["failures"] == [], report
    assert report["answers"] >= 10 and report["answers_after_kill"] > 0, report
    assert report["stored"] >= report["answers"] and report["lost"] == 0 and report["duplicated"] == 0, report
