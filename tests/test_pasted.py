"""Pasted-question picks in the mistake log: real model, real index, real SQLite in the temp home."""
from __future__ import annotations

import csv
import io
import json
import sys
from datetime import UTC, datetime, timedelta

import pytest

from studyassist.solve.mcq import from_parts, parse_pasted
from studyassist.study.export import export_csv
from studyassist.study.pasted import pasted_item_id, record_pasted
from studyassist.study.progress import ProgressStore

from conftest import PASTED_BATCH, always

BATCH = PASTED_BATCH
BATCH_RULE = "online-endpoint-versus-batch-endpoint#"
T0 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def solver(assistant, monkeypatch):
    """The solver, sure of every answer: these tests are about what happens to a pick that may be logged (what an
    answer that is not sure does is tested on its own below)."""
    monkeypatch.setattr(assistant.solver, "model", always("confident"))
    return assistant.solver


@pytest.fixture
def store(tmp_path):
    return ProgressStore(tmp_path / "progress.sqlite3")


def pick(assistant, solver, store, text, chose, profile="ana", now=T0):
    q = parse_pasted(text)
    return q, record_pasted(store, assistant.kb, profile, q, solver.solve(q, chose), now=now)


def test_a_wrong_pick_is_a_miss_on_the_best_options_rule(assistant, solver, store, tmp_path):
    q, logged = pick(assistant, solver, store, BATCH, "A")
    assert logged.recorded and logged.correct is False and logged.rule_id.startswith(BATCH_RULE)
    assert "miss" in logged.message and "review queue" in logged.message
    [attempt] = store.attempts("ana")
    assert (attempt.source, attempt.chosen, attempt.answer, attempt.correct) == ("pasted", 0, 1, False)
    assert attempt.stem == q.stem and attempt.options == q.options and attempt.item_id == logged.item_id
    assert attempt.area == assistant.kb.rule(logged.rule_id).area
    # like a generated-item miss: the mistake log, the review queue and the export all have the rule
    assert [m.rule_id for m in store.mistakes_by_rule("ana")] == [logged.rule_id]
    assert store.last_misses("ana")[logged.rule_id] == attempt
    assert logged.rule_id in store.due_rules("ana", now=T0 + timedelta(days=1))
    assert export_csv(store, assistant.kb, "ana", tmp_path / "cards.csv") == 1
    [row] = list(csv.DictReader(open(tmp_path / "cards.csv", encoding="utf-8")))
    assert row["rule_id"] == logged.rule_id and row["misses"] == "1"


def test_a_right_pick_is_a_correct_attempt(assistant, solver, store):
    _, logged = pick(assistant, solver, store, BATCH, "B")
    assert logged.recorded and logged.correct is True and "correct" in logged.message
    assert [a.correct for a in store.attempts("ana")] == [True]
    assert store.mistakes_by_rule("ana") == [] and store.area_accuracy("ana")


def test_the_same_question_counts_once_a_day(assistant, solver, store):
    first = pick(assistant, solver, store, BATCH, "A")[1]
    again = pick(assistant, solver, store, BATCH, "B", now=T0 + timedelta(hours=3))[1]  # after seeing the answer
    lines = BATCH.splitlines()
    shuffled = "\n".join(lines[:2] + ["A) Batch endpoint", "B) Managed online endpoint"] + lines[4:])
    reordered = pick(assistant, solver, store, shuffled, "B", now=T0 + timedelta(hours=4))[1]
    assert first.recorded and not again.recorded and not reordered.recorded
    assert "Already logged today" in again.message and again.item_id == first.item_id == reordered.item_id
    assert [a.correct for a in store.attempts("ana")] == [False]
    tomorrow = pick(assistant, solver, store, BATCH, "B", now=T0 + timedelta(days=1))[1]
    assert tomorrow.recorded and tomorrow.correct  # a later day is a new attempt, as a review would be
    assert [a.correct for a in store.attempts("ana")] == [False, True]
    assert pick(assistant, solver, store, BATCH, "A", profile="ben")[1].recorded  # another learner


@pytest.mark.parametrize("text, why", [
    ("Which pizza topping do most people in Naples prefer?\nA) Basil\nB) Pineapple\nC) Anchovies\nD) Ham",
     "cannot tie it to one rule"),
    ("Which of these is NOT a reason to use a batch endpoint?\nA) Scoring millions of stored records\n"
     "B) A user waiting for an immediate prediction\nC) Results written to storage\nD) A nightly schedule",
     "NOT/LEAST"),
])
def test_a_question_the_solver_cannot_ground_is_not_logged(assistant, solver, store, text, why):
    _, logged = pick(assistant, solver, store, text, "A")
    assert not logged.recorded and why in logged.message and logged.message.endswith(".")
    assert store.attempts("ana") == [] and store.profiles() == []


CANARY = ("A company must expose a new fraud model to 5% of checkout traffic before a full rollout. What should they do?\n"
          "A. Deploy to a batch endpoint\nB. Add a second deployment to the managed online endpoint and set traffic to "
          "5%\nC. Retrain the model on more data\nD. Use a compute instance")
WORKSPACE = ("Which Azure resource is the top-level container that owns your experiments, jobs, registered models "
             "and endpoints?\nA) A compute cluster\nB) A datastore\nC) The Azure Machine Learning workspace\n"
             "D) A container registry")


def test_a_miss_goes_on_a_decision_row_never_on_the_review_maps_summary(assistant, solver, store):
    q = parse_pasted(CANARY)
    solution = solver.solve(q, "A")
    logged = record_pasted(store, assistant.kb, "ana", q, solution, now=T0)
    assert solution.best == "B" and logged.recorded
    # the traffic-split row, not the review map's "Model deployment" row that also names traffic and rollout
    assert not assistant.kb.rule(logged.rule_id).overview
    assert logged.rule_id.startswith(("online-endpoint-versus-batch-endpoint#", "deployment-patterns",
                                      "endpoint-versus-deployment#"))
    q = parse_pasted(WORKSPACE)  # the review has no decision row for the workspace itself, only its map row
    solution = solver.solve(q, "A")
    assert solution.best == "C" and assistant.kb.rule(solution.best_rule).overview
    logged = record_pasted(store, assistant.kb, "ben", q, solution, now=T0)
    assert not logged.recorded and "overview table's summary" in logged.message and store.attempts("ben") == []


def test_a_pick_the_solver_is_not_sure_of_is_neither_judged_nor_logged(assistant, store, monkeypatch):
    monkeypatch.setattr(assistant.solver, "model", always("unsure"))
    q = parse_pasted(BATCH)
    wrong, right = assistant.solver.solve(q, "A"), assistant.solver.solve(q, "B")
    assert wrong.best == right.best == "B" and wrong.confidence == right.confidence == "unsure"
    for solution in (wrong, right):
        logged = record_pasted(store, assistant.kb, "ana", q, solution, now=T0)
        assert not logged.recorded and "not sure enough" in logged.message
        text = solution.explanation + solution.chosen_feedback
        assert "well chosen" not in text and "Why not your answer" not in text
    assert "can't tell for sure whether your pick is wrong" in wrong.chosen_feedback
    # no praise in other words either: the pick is unconfirmed, and the closest other option is named beside it
    assert right.chosen_feedback.startswith("Unconfirmed:") and "A comes close" in right.chosen_feedback
    assert "Not sure: two options fit" in right.explanation and "**A)" in right.explanation  # the two closest
    assert store.attempts("ana") == []


def test_no_pick_logs_nothing(assistant, solver, store):
    q = parse_pasted(BATCH)
    logged = record_pasted(store, assistant.kb, "ana", q, solver.solve(q))
    assert not logged.recorded and store.attempts("ana") == []


def test_more_than_four_options_are_logged(assistant, solver, store):
    q = from_parts("A retail team scores ten million customer records every night and writes the results to "
                   "storage. Which deployment option should they use?",
                   ["Managed online endpoint", "Compute instance", "Sweep job", "Canary", "Batch endpoint"])
    logged = record_pasted(store, assistant.kb, "ana", q, solver.solve(q, "D"), now=T0)
    assert logged.recorded and not logged.correct
    assert [(a.chosen, a.answer, len(a.options)) for a in store.attempts("ana")] == [(3, 4, 5)]


def test_item_ids_are_per_question_and_day():
    q = from_parts("Which endpoint?", ["Batch endpoint", "Online endpoint"])
    assert pasted_item_id(q, T0) == pasted_item_id(from_parts("Which  endpoint?", ["online endpoint",
                                                                                   "Batch endpoint"]), T0)
    assert pasted_item_id(q, T0) != pasted_item_id(q, T0 + timedelta(days=1))
    assert pasted_item_id(q, T0) != pasted_item_id(from_parts("Which endpoint now?", list(q.options)), T0)


def run_cli(monkeypatch, capsys, args, stdin=BATCH):
    from studyassist.cli.main import main

    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(args)
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def test_cli_solve_and_explain_log_the_pick_unless_told_not_to(index_home, confident_packs, monkeypatch, capsys):
    out = json.loads(run_cli(monkeypatch, capsys, ["solve", "--chose", "A", "--json", "--profile", "sam"]))
    assert {"best", "scores", "explanation", "citations", "chosen", "chosen_feedback"} <= set(out)
    assert out["confidence"] == "confident" and out["probability"] == 1.0  # the calibration the fixture wrote
    assert out["recorded"]["recorded"] and out["recorded"]["rule_id"].startswith(BATCH_RULE)
    store = ProgressStore()
    assert [(a.profile, a.source, a.correct) for a in store.attempts("sam")] == [("sam", "pasted", False)]

    out = json.loads(run_cli(monkeypatch, capsys, ["solve", "--chose", "C", "--json", "--no-record"]))
    assert "recorded" not in out and store.attempts("default") == [] and len(store.attempts("sam")) == 1

    text = run_cli(monkeypatch, capsys, ["explain", "--chose", "B", "--profile", "sam"])
    assert "Already logged today for profile 'sam'" in text
    assert len(store.attempts("sam")) == 1

    text = run_cli(monkeypatch, capsys, ["review", "--profile", "sam"])
    assert "last missed (pasted): A retail team scores ten million" in text


def test_cli_without_a_profile_uses_the_environment_then_whoever_answered_last(index_home, confident_packs,
                                                                            monkeypatch, capsys):
    from studyassist.cli.main import main

    monkeypatch.delenv("STUDYASSIST_PROFILE", raising=False)
    store = ProgressStore()
    run_cli(monkeypatch, capsys, ["solve", "--chose", "A", "--json"])  # nothing recorded yet: 'default'
    assert [a.profile for a in store.attempts("default")] == ["default"]
    run_cli(monkeypatch, capsys, ["solve", "--chose", "A", "--json", "--profile", "Sam"])
    # a learner who practised as sam and then asks why, without --profile, means sam
    text = run_cli(monkeypatch, capsys, ["explain", "--chose", "B"])
    assert "Already logged today for profile 'sam'" in text
    assert run_cli(monkeypatch, capsys, ["review"], stdin="").startswith("Profile 'sam'. Due now")
    monkeypatch.setenv("STUDYASSIST_PROFILE", "Kim")  # the environment names one: it wins over the last answer
    run_cli(monkeypatch, capsys, ["solve", "--chose", "A", "--json"])
    assert len(store.attempts("kim")) == 1 and len(store.attempts("sam")) == 1
    monkeypatch.setenv("STUDYASSIST_PROFILE", "ki/m")
    monkeypatch.setattr(sys, "stdin", io.StringIO(BATCH))
    assert main(["solve", "--chose", "A"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: STUDYASSIST_PROFILE 'ki/m' cannot be a profile name;") and err.count("\n") == 1
    assert len(store.attempts("kim")) == 1  # nothing logged under a name that was refused


def test_cli_explain_of_a_generated_question_logs_the_pick_once(index_home, monkeypatch, capsys):
    items = json.loads(run_cli(monkeypatch, capsys, ["quiz", "--count", "2", "--seed", "21", "--json"], stdin=""))
    first, second = items
    wrong = "ABCD"[(first["answer"] + 1) % 4]
    store = ProgressStore()

    out = json.loads(run_cli(monkeypatch, capsys, ["explain", "--item", first["id"], "--chose", wrong,
                                                   "--profile", "kim", "--json"]))
    assert out["recorded"] == {"recorded": True, "message": out["recorded"]["message"], "item_id": first["id"],
                               "rule_id": first["rule_id"], "correct": False}
    assert "Logged as a miss on" in out["recorded"]["message"] and out["markdown"]
    assert [(a.item_id, a.correct, a.source) for a in store.attempts("kim")] == [(first["id"], False, "quiz")]
    assert [m.rule_id for m in store.mistakes_by_rule("kim")] == [first["rule_id"]]

    # asking why again, or after `answer` recorded it, does not count the attempt twice
    text = run_cli(monkeypatch, capsys, ["explain", "--item", first["id"], "--chose", wrong, "--profile", "kim"])
    assert "Not logged again: profile 'kim' has already answered this question." in text
    assert len(store.attempts("kim")) == 1

    out = json.loads(run_cli(monkeypatch, capsys, ["explain", "--item", second["id"], "--no-record", "--json",
                                                   "--profile", "kim", "--chose", "ABCD"[second["answer"]]]))
    assert "recorded" not in out and len(store.attempts("kim")) == 1


def test_cli_text_output_names_both_answers_of_a_select_two_question(index_home, confident_packs, monkeypatch,
                                                                     capsys):
    two = ("Which TWO actions keep credentials out of a training repository? (Select two.)\nA) Use managed identity\n"
           "B) Store keys in the notebook\nC) Use Key Vault\nD) Put the connection string in YAML\n")
    for command in (["solve", "--chose", "B"], ["explain", "--chose", "B"]):
        out = run_cli(monkeypatch, capsys, command + ["--no-record"], stdin=two)
        assert out.startswith("Best answers: A) Use managed identity, C) Use Key Vault\nConfidence: confident ("), out
        assert "Sources:" in out and "You chose B)" in out


def test_cli_json_carries_the_calibrated_confidence_of_the_packs_model(index_home, monkeypatch, capsys):
    from studyassist.answer.confidence import LEVELS
    from studyassist.pack import load_pack
    from studyassist.settings import get_settings

    model = load_pack(get_settings().packs / "ai300").calibration.solve
    out = json.loads(run_cli(monkeypatch, capsys, ["solve", "--json", "--no-record"]))
    assert out["confidence"] in LEVELS and 0.0 <= out["probability"] <= 1.0
    assert out["confidence"] == model.level(out["probability"])
    asked = json.loads(run_cli(monkeypatch, capsys, ["ask", "When is a batch endpoint the right choice?", "--json"]))
    assert asked["confidence"] in LEVELS and 0.0 <= asked["probability"] <= 1.0
