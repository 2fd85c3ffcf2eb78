"""Learners answering through two replicas over one real PostgreSQL while one replica is killed: nothing an
answer's reply said was recorded is lost, nothing is recorded twice (studyassist/bench/load.py)."""
from __future__ import annotations

import socket
import threading

import pytest

from studyassist.bench.load import _GONE, _post, run, run_app

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


def test_a_reply_cut_off_mid_body_counts_as_a_dead_replica():
    """A replica killed while it writes a reply leaves a body shorter than its Content-Length: the learner's
    request must fail with an error the load run treats as 'that replica is gone', not kill the learner thread."""
    listener = socket.create_server(("127.0.0.1", 0))

    def half_reply() -> None:
        conn, _ = listener.accept()
        conn.recv(65536)
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 40\r\n\r\n{\"id\": ")
        conn.close()

    threading.Thread(target=half_reply, daemon=True).start()
    with pytest.raises(_GONE):
        _post(listener.getsockname()[1], "/question", {"profile": "p", "seed": 1})
    listener.close()
