"""The solver on team-written questions, with the real model and store."""
from __future__ import annotations

import pytest

from studyassist.assistant import Assistant
from studyassist.mcq import from_parts, parse_pasted
from studyassist.solver import Solver


@pytest.fixture(scope="module")
def solver(built_home):
    from studyassist.settings import Settings

    return Solver(Assistant(Settings(home=built_home)))


def test_nightly_scoring_picks_batch_and_explains_the_wrong_choice(solver):
    q = parse_pasted("A bank re-scores 30 million stored loan records every night; nobody waits on the output.\n"
                     "Which option fits best?\nA) A managed online endpoint\nB) A batch endpoint\n"
                     "C) A compute instance\nD) A sweep job")
    s = solver.solve(q, chose="A")
    assert s.best == "B"
    assert max(s.scores, key=s.scores.get) == "B"
    ids = [c.id for c in s.citations]
    assert any(i.startswith("online-endpoint-versus-batch-endpoint#") for i in ids)
    assert s.chosen == "A" and "A) A managed online endpoint" in s.chosen_feedback
    assert "[" in s.explanation  # cited


def test_negated_question_inverts(solver):
    q = from_parts("Which of these is NOT a way to keep credentials out of training code?",
                   ["Key Vault with a managed identity", "Managed identity permissions on the storage account",
                    "A connection string pasted into the notebook", "Key Vault-backed secret handling"])
    assert solver.solve(q).best == "C"


def test_choosing_the_key_is_confirmed(solver):
    q = from_parts("Which Azure ML job type tunes hyperparameters and stops weak trials early?",
                   ["A sweep job", "A batch endpoint", "A compute instance", "A traffic rule"])
    s = solver.solve(q, chose="A")
    assert s.best == "A" and "well chosen" in s.chosen_feedback
