"""Calibrated confidence (evals/calibration.py, `studyassist calibrate`): the fit ranks sure answers above unsure
ones, "confident" starts where answers were right at least the target rate, the calibration error and the
Wilson bound are the textbook quantities, and the written file loads back into the pack with the same model."""
from __future__ import annotations

import json
import shutil
import sys

import numpy as np
import pytest

from evals import metrics as m
from evals.calibration import TARGET, _threshold, fit, wilson_lower, write
from studyassist.pack import CALIBRATION, load_pack

from conftest import PACK


def synthetic(seed: int = 0, n: int = 400) -> list[tuple[dict, bool]]:
    """Answers whose chance of being right rises with one signal ("lead") and not with another ("noise")."""
    rng = np.random.default_rng(seed)
    lead, noise = rng.uniform(0, 1, n), rng.uniform(0, 1, n)
    right = rng.uniform(0, 1, n) < 1 / (1 + np.exp(-(12 * lead - 6)))  # right >= 95% of the time from 0.75
    return [({"lead": float(a), "noise": float(b)}, bool(r)) for a, b, r in zip(lead, noise, right)]


def test_the_fit_weighs_the_signal_that_predicts_rightness_and_its_confident_answers_meet_the_target():
    pytest.importorskip("sklearn")
    model, cv = fit(synthetic(), ("lead", "noise"))
    assert model.weights[0] > 1.0 and abs(model.weights[1]) < 0.5 * model.weights[0]
    fresh = synthetic(seed=1)
    sure = [ok for signals, ok in fresh if model.level(model.probability(signals)) == "confident"]
    assert len(sure) >= 40 and np.mean(sure) >= TARGET - 0.05  # fresh data: the target, within sampling error
    assert cv["confident_accuracy"] >= TARGET and 0 < cv["confident_share"] < 1 and cv["ece"] < 0.1
    unsure = [ok for signals, ok in fresh if model.level(model.probability(signals)) == "unsure"]
    assert np.mean(unsure) < 0.5


def test_the_confident_threshold_is_where_accuracy_from_the_top_reaches_the_target():
    p = np.linspace(1.0, 0.01, 100)
    y = np.array([1] * 40 + [0] + [1] * 19 + [0] * 40)  # one wrong among the first 60, then only wrong ones
    threshold = _threshold(p, y)
    sure = p >= threshold
    assert y[sure].mean() >= TARGET and sure.sum() == 62  # 59 of 62 = 0.952; one more would be 59 of 63 = 0.937
    assert _threshold(p, np.zeros(100, dtype=int)) == 0.999  # nothing is ever right: nothing is confident


def test_wilson_lower_bound_matches_the_textbook_values():
    assert wilson_lower(0, 0) == 0.0
    assert wilson_lower(10, 10, z=0.0) == 1.0
    assert abs(wilson_lower(81, 100, z=1.96) - 0.7222) < 1e-3  # 81/100 at 95%: [0.722, 0.875]
    assert wilson_lower(40, 40, z=1.0) < 1.0


def test_expected_calibration_error_is_zero_when_probabilities_are_frequencies():
    p = [0.25] * 4 + [0.75] * 4
    y = [True, False, False, False, True, True, True, False]
    assert m.expected_calibration_error(p, y) == pytest.approx(0.0)
    assert m.expected_calibration_error([0.9] * 10, [False] * 10) == pytest.approx(0.9)
    assert m.expected_calibration_error([], []) is None


def test_a_written_calibration_loads_back_into_the_pack(tmp_path):
    pytest.importorskip("sklearn")
    from studyassist.pack import Calibration

    model, cv = fit(synthetic(), ("lead", "noise"))
    folder = tmp_path / "ai300"
    shutil.copytree(PACK, folder, ignore=shutil.ignore_patterns("gold"))
    write(Calibration(ask=model, solve=model, fitted_on={"ask": 400, "solve": 400},
                      measured={f"solve_cv_{k}": v for k, v in cv.items()}), folder / CALIBRATION)
    loaded = load_pack(folder).calibration
    assert loaded.solve == model and loaded.ask == model and loaded.fitted_on == {"ask": 400, "solve": 400}
    signals = {"lead": 0.9, "noise": 0.1}
    assert loaded.solve.probability(signals) == pytest.approx(model.probability(signals))


def test_a_damaged_calibration_file_is_one_sentence_and_the_pack_loads_without_it(tmp_path):
    from studyassist.pack import PackError

    folder = tmp_path / "ai300"
    shutil.copytree(PACK, folder, ignore=shutil.ignore_patterns("gold"))
    (folder / CALIBRATION).write_text('[solve]\nfeatures = ["lead"]\nweights = [1.0, 2.0]\n', encoding="utf-8")
    with pytest.raises(PackError) as err:
        load_pack(folder)
    assert "calibration.toml" in str(err.value)


def test_the_calibrate_command_writes_the_packs_file(index_home, tmp_path, monkeypatch, capsys):
    pytest.importorskip("sklearn")
    from studyassist.cli.main import main
    from studyassist.settings import get_settings

    packs = tmp_path / "packs"
    shutil.copytree(PACK, packs / "ai300")
    (packs / "ai300" / CALIBRATION).unlink()
    monkeypatch.setenv("STUDYASSIST_PACKS", str(packs))
    get_settings.cache_clear()
    monkeypatch.setattr(sys, "argv", ["studyassist"])
    assert main(["calibrate", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["path"] == str(packs / "ai300" / CALIBRATION)
    assert out["fitted_on"]["solve"] > 200 and out["fitted_on"]["ask"] > 200
    pack = load_pack(packs / "ai300")
    assert pack.calibration.solve is not None and pack.calibration.ask is not None
    assert 0 < out["measured"]["solve_cv_ece"] < 0.2


def test_calibrating_one_model_keeps_the_other_as_it_was(index_home, tmp_path, monkeypatch, capsys):
    pytest.importorskip("sklearn")
    from studyassist.cli.main import main
    from studyassist.settings import get_settings

    packs = tmp_path / "packs"
    shutil.copytree(PACK, packs / "ai300")
    before = load_pack(packs / "ai300").calibration
    monkeypatch.setenv("STUDYASSIST_PACKS", str(packs))
    get_settings.cache_clear()
    monkeypatch.setattr(sys, "argv", ["studyassist"])
    assert main(["calibrate", "--only", "ask", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    after = load_pack(packs / "ai300").calibration
    assert after.solve == before.solve and out["fitted_on"]["solve"] == before.fitted_on["solve"]
    assert {k: v for k, v in after.measured.items() if k.startswith("solve_")} == {
        k: v for k, v in before.measured.items() if k.startswith("solve_")}
    assert after.ask is not None and out["fitted_on"]["ask"] > 200 and "ask_cv_ece" in out["measured"]
    with pytest.raises(SystemExit):
        main(["calibrate", "--only", "nope"])
    assert "invalid choice: 'nope' (choose from 'ask', 'solve')" in capsys.readouterr().err


def test_without_a_model_a_solved_lead_is_likely_only_for_an_option_that_fits_a_rule_in_the_reviews_words():
    from studyassist.answer.confidence import UNFITTED_SOLVE_TOP, UNFITTED_UNKNOWN, close_call, judge

    fits = {"lead": 0.6, "top": UNFITTED_SOLVE_TOP + 0.5, "unknown_words": 0.0}
    assert judge(None, fits, solved=True) == ("likely", None)
    # the best of weak fits, or options in words the review never uses: no lead is worth a "likely"
    assert judge(None, fits | {"top": UNFITTED_SOLVE_TOP / 2}, solved=True) == ("unsure", None)
    assert judge(None, fits | {"unknown_words": UNFITTED_UNKNOWN + 0.1}, solved=True) == ("unsure", None)
    assert judge(None, fits | {"top": 0.1}) == ("likely", None)  # a free answer's scores are on another scale
    assert judge(None, fits | {"lead": 0.1}, solved=True) == ("unsure", None)
    # only an unsure result whose two best are close sends the quiz generator after a second key
    assert close_call("unsure", None, fits | {"lead": 0.1})
    assert not close_call("unsure", None, fits | {"top": 0.1})
    assert close_call("unsure", 0.4, fits) and not close_call("likely", 0.8, fits)


def test_without_a_model_an_answer_that_echoes_the_one_concept_a_question_names_is_not_likely():
    """AZ-204 notes: "… sends so much telemetry to Application Insights … What should it configure?" was answered
    "Application Insights", likely; four such answers on other exams' notes, none right."""
    from studyassist.answer.confidence import ask_signals, judge
    from studyassist.answer.retrieval import Hit
    from studyassist.knowledge.model import Rule

    rule = Rule(id="r#1", kind="list_item", section="Insights", table=None, row=1, cells={}, situation="Live views",
                choice="Insights", area="", source_file="n.md", list_kind="point")
    hits = [Hit(chunk_id="c1", text="Insights: Live views", metadata={}, score=1.0, dense_rank=1, lexical_rank=1,
                similarity=0.6, rule=rule)]
    echo = ask_signals(hits, "r#1", True, ["insights"], ["insights"], "which", False)
    assert echo["echoes"] == 1.0 and echo["lead"] == 1.0
    assert judge(None, echo) == ("unsure", None)
    # naming two concepts and answering one of them is a choice between them, not an echo; nor is a question that
    # asks what the concept it names is, or when to use it
    between = ask_signals(hits, "r#1", True, ["insights", "monitor"], ["insights"], "which", False)
    assert between["echoes"] == 0.0 and judge(None, between) == ("likely", None)
    for intent in ("define", "when", "versus"):
        assert judge(None, ask_signals(hits, "r#1", True, ["insights"], ["insights"], intent, False))[0] == "likely"
    # "What pattern does Kinesis follow?" names the concept in the sentence that asks: it asks about it
    about = ask_signals(hits, "r#1", True, ["insights"], ["insights"], "which", False, ["insights"])
    assert about["echoes"] == 0.0 and judge(None, about) == ("likely", None)


def test_an_unsure_solution_says_why_it_is_unsure():
    from studyassist.solve.verdict import not_sure

    assert not_sure("C", "A", True) == "Not sure: two options fit the review's rules about as well, C and A."
    assert "C fits the review's rules best, but only loosely; A comes next" in not_sure("C", "A", False)
