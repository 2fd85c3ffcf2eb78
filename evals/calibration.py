"""Fitting the confidence models behind `studyassist calibrate`: a logistic regression per kind of answer (ask,
solve) over the signals each answer carries, fitted on the exam pack's dev sets, thresholds chosen on
cross-validated predictions, measured on the sets held out from the fit, and written to the pack's
``calibration.toml``.

"Confident" is the lowest probability from which the cross-validated answers were right at least ``TARGET`` of the
time (a learner told "right" or "wrong" must be able to trust it); "likely" is from ``LIKELY`` on.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from evals import metrics as m
from evals.runner import load_gold
from studyassist.answer.confidence import INTENTS
from studyassist.answer.types import says_not_covered
from studyassist.pack import Calibration, LogisticModel
from studyassist.solve.mcq import from_parts

# "confident": right at least TARGET of the time; "unsure": below the probability under which answers were wrong
# more often than UNSURE_ACCURACY allows (between LIKELY_RANGE), "likely" in between.
TARGET, UNSURE_ACCURACY, LIKELY_RANGE = 0.95, 0.45, (0.2, 0.5)
MIN_CONFIDENT = 8  # a threshold must keep at least this many training answers confident
# Margin for chance, in standard errors (0: the point estimate). With any margin (z >= 0.25) no threshold qualifies
# on the current dev sets: the very top of the ranking holds questions beyond the review that the solver cannot
# know (its best option matches a rule well, but the key is something the review never says). So the point
# estimate is used, and the accuracy of the held-out sets' confident answers is reported beside it.
WILSON_Z = 0.0
FOLDS, SEED = 5, 7
SOLVE_FIT = ("solve", "solve_dev", "ext_mcq_dev", "wrong_answers")
SOLVE_HELD = ("solve_heldout", "ext_mcq_locked")
ASK_FIT = ("ask", "learner_dev")
ASK_HELD = ("learner_locked",)
SOLVE_FEATURES = ("top", "lead", "matched", "anti", "negated", "picks", "paraphrase", "near_best", "votes", "vote_lead",
                  "row", "retrieved", "unknown_words", "tied")
# one indicator per kind of question but the first ("which", the baseline) and "why_not" (rare on the dev sets)
ASK_FEATURES = ("covered", "top", "lead", "similarity", "paraphrase", "decided_top", "agree", "named", "named_decision",
                "follow_up", "echoes", "note", *(f"intent_{i}" for i in INTENTS[1:] if i != "why_not"))


def solve_examples(assistant, gold_dir: Path, sets: Iterable[str]) -> list[tuple[dict, bool]]:
    """(signals, whether the best option is the key) for every question of ``sets``."""
    out = []
    for name in sets:
        for row in load_gold(gold_dir / f"{name}.jsonl"):
            solution = assistant.solver.solve(from_parts(row["question"], row["options"]))
            out.append((solution.signals, solution.best == row["answer"]))
    return out


def ask_examples(assistant, gold_dir: Path, sets: Iterable[str]) -> list[tuple[dict, bool]]:
    """(signals, whether the answer is right) for every question whose rightness the gold item decides: the
    expected decision when it names one, the not-covered sentence when the review does not answer it."""
    out = []
    for name in sets:
        for row in load_gold(gold_dir / f"{name}.jsonl"):
            expected = row.get("expected_decision") if name == "ask" else row.get("decision")
            off_topic = row.get("type") == "not_covered" if name == "ask" else not row.get("covered")
            if not expected and not off_topic:
                continue  # an explanation: whether it is right is not a string match
            answer = assistant.ask(row["question"])
            right = says_not_covered(answer.answer) if off_topic else m.decision_correct(answer.decision, expected)
            out.append((answer.signals, bool(right)))
    return out


def _matrix(examples: list[tuple[dict, bool]], features: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    x = np.array([[float(s.get(f, 0.0)) for f in features] for s, _ in examples], dtype=float)
    y = np.array([int(ok) for _, ok in examples])
    return x, y


def fit(examples: list[tuple[dict, bool]], features: tuple[str, ...]) -> tuple[LogisticModel, dict[str, float]]:
    """The model and what its cross-validated predictions say of it (ECE, share and accuracy of confident ones)."""
    from sklearn.linear_model import LogisticRegression  # noqa: PLC0415 -- only this maintainer command needs it
    from sklearn.model_selection import StratifiedKFold, cross_val_predict  # noqa: PLC0415

    x, y = _matrix(examples, features)
    means, scales = x.mean(axis=0), x.std(axis=0)
    scales[scales < 1e-9] = 1.0
    z = (x - means) / scales
    regression = LogisticRegression(C=1.0, max_iter=2000)
    folds = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=SEED)
    p = cross_val_predict(regression, z, y, cv=folds, method="predict_proba")[:, 1]
    confident_at, likely_at = _threshold(p, y), _unsure_below(p, y)
    regression.fit(z, y)
    model = LogisticModel(features=features, weights=tuple(round(float(w), 6) for w in regression.coef_[0]),
                          means=tuple(round(float(v), 6) for v in means),
                          scales=tuple(round(float(v), 6) for v in scales),
                          bias=round(float(regression.intercept_[0]), 6), confident_at=round(confident_at, 4),
                          likely_at=round(likely_at, 4))
    return model, measure(model, examples, probabilities=p)


def wilson_lower(right: int, n: int, z: float = WILSON_Z) -> float:
    """Wilson score lower bound of a success rate (Wilson 1927): what ``right`` of ``n`` lets one claim."""
    if n == 0:
        return 0.0
    rate = right / n
    centre = rate + z * z / (2 * n)
    spread = z * np.sqrt(rate * (1 - rate) / n + z * z / (4 * n * n))
    return float((centre - spread) / (1 + z * z / n))


def _threshold(p: np.ndarray, y: np.ndarray) -> float:
    """The lowest probability from which the answers at or above it are right at least TARGET of the time, with
    room for chance: the Wilson lower bound of their accuracy must reach TARGET (picking the threshold that looks
    best on these answers flatters it, and a confident answer that is wrong is the worst thing the tool does)."""
    order = np.argsort(-p)
    best = 1.0
    right = 0
    for n, i in enumerate(order, start=1):
        right += int(y[i])
        if n >= MIN_CONFIDENT and wilson_lower(right, n) >= TARGET:
            best = float(p[i])
    return min(best, 0.999)


def _unsure_below(p: np.ndarray, y: np.ndarray) -> float:
    """The highest probability (within LIKELY_RANGE) under which the answers were right at most UNSURE_ACCURACY of
    the time: below it an answer is more likely wrong than right, so it is shown as unsure."""
    low, high = LIKELY_RANGE
    best = low
    for t in sorted(set(np.round(p, 4))):
        if not low <= t <= high:
            continue
        below = p < t
        if below.sum() >= MIN_CONFIDENT and y[below].mean() <= UNSURE_ACCURACY:
            best = float(t)
    return best


def measure(model: LogisticModel, examples: list[tuple[dict, bool]], probabilities=None) -> dict[str, float]:
    """Expected calibration error (10 bins), and the share and accuracy of the answers called confident."""
    if not examples:
        return {}
    p = np.array(probabilities if probabilities is not None else [model.probability(s) for s, _ in examples])
    y = np.array([int(ok) for _, ok in examples])
    sure, unsure = p >= model.confident_at, p < model.likely_at
    return {"items": float(len(y)), "accuracy": round(float(y.mean()), 4),
            "ece": round(m.expected_calibration_error(list(p), list(y)), 4),
            "confident_share": round(float(sure.mean()), 4),
            "confident_accuracy": round(float(y[sure].mean()), 4) if sure.any() else float("nan"),
            "unsure_share": round(float(unsure.mean()), 4),
            "unsure_accuracy": round(float(y[unsure].mean()), 4) if unsure.any() else float("nan")}


KINDS = ("solve", "ask")


def calibrate(assistant, gold_dir: Path, kinds: Iterable[str] = KINDS) -> Calibration:
    """Fit the models of ``kinds`` on the pack's dev sets and measure them on its held-out sets; the pack's other
    model, with what it was fitted and measured on, is kept as it is."""
    kinds = set(kinds)
    before = assistant.pack.calibration
    measured: dict[str, float] = {}
    fitted_on: dict[str, int] = {}
    models = {}
    for kind, fit_sets, held_sets, features, examples_of in (
            ("solve", SOLVE_FIT, SOLVE_HELD, SOLVE_FEATURES, solve_examples),
            ("ask", ASK_FIT, ASK_HELD, ASK_FEATURES, ask_examples)):
        if kind not in kinds:  # kept as the pack has it
            if before is not None and getattr(before, kind) is not None:
                models[kind] = getattr(before, kind)
                if kind in before.fitted_on:
                    fitted_on[kind] = before.fitted_on[kind]
                measured.update({k: v for k, v in before.measured.items() if k.startswith(f"{kind}_")})
            continue
        fit_sets = [s for s in fit_sets if (gold_dir / f"{s}.jsonl").exists()]
        held_sets = [s for s in held_sets if (gold_dir / f"{s}.jsonl").exists()]
        training = examples_of(assistant, gold_dir, fit_sets)
        if len({ok for _, ok in training}) < 2:
            continue  # nothing to learn from (every answer right, or every one wrong)
        model, cv = fit(training, features)
        models[kind] = model
        fitted_on[kind] = len(training)
        measured.update({f"{kind}_cv_{k}": v for k, v in cv.items()})
        held = measure(model, examples_of(assistant, gold_dir, held_sets))
        measured.update({f"{kind}_held_out_{k}": v for k, v in held.items()})
    return Calibration(ask=models.get("ask"), solve=models.get("solve"), fitted_on=fitted_on,
                       measured={k: v for k, v in measured.items() if v == v})  # NaN (nothing confident) left out


def write(calibration: Calibration, path: Path) -> Path:
    """``calibration.toml``: written by hand-rolled TOML (the values are numbers, strings and flat lists)."""
    lines = ["# Made by `studyassist calibrate`: the confidence models of this pack's answers, fitted on its dev sets",
             "# and measured on its held-out sets. Do not edit by hand; run the command again after the engine or the",
             "# gold sets change.", ""]
    lines += ["[fitted_on]"] + [f"{k} = {v}" for k, v in calibration.fitted_on.items()] + [""]
    lines += ["[measured]"] + [f"{k} = {v}" for k, v in sorted(calibration.measured.items())] + [""]
    for kind in ("ask", "solve"):
        model = getattr(calibration, kind)
        if model is None:
            continue
        lines.append(f"[{kind}]")
        for key, value in model.model_dump().items():
            lines.append(f"{key} = {json.dumps(list(value) if isinstance(value, tuple) else value)}")
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
