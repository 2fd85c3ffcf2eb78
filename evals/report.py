"""What an eval run reports: the metric specs, thresholds from ``thresholds.toml``, the table and the
markdown report. ``[min]`` holds higher-is-better metrics, ``[max]`` lower-is-better ones."""
from __future__ import annotations

import json
import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path

THRESHOLDS_FILE = "thresholds.toml"  # beside the exam pack's gold sets


@dataclass(frozen=True)
class Spec:
    name: str
    title: str
    gold: str
    description: str
    lower_is_better: bool = False


def _locked(dev: Spec) -> Spec:
    """The same metric on its set's locked split, which is read only for its total."""
    note = " (lower is better)" if dev.lower_is_better else " (informational)" if "informational" in dev.description \
        else ""
    return Spec(dev.name.replace("_dev_", "_locked_", 1), dev.title.replace("(dev)", "(locked)"),
                dev.gold.replace("_dev", "_locked"), f"as for dev, on the locked split{note}", dev.lower_is_better)


# Questions in a learner's own words, and follow-ups asked in a conversation (dev splits; the locked ones follow).
_LEARNER = (
    Spec("learner_dev_decision_accuracy", "learner questions: decision accuracy (dev)", "learner_dev",
         "decision matches the review's answer, on covered learner-voice questions that have one"),
    Spec("learner_dev_row_accuracy", "learner questions: decision from the right row (dev)", "learner_dev",
         "as decision accuracy, also counting a decision that names another cell of the row the gold decision is a "
         "cell of (the row's choice where the gold names its situation)"),
    Spec("learner_dev_hit_at_3", "learner questions: a right row in the top 3 (dev)", "learner_dev",
         "a row that answers the question is among the first 3 retrieved (covered questions)"),
    Spec("learner_dev_false_not_covered", "learner questions: false 'not covered' (dev)", "learner_dev",
         "covered questions answered with the not-covered sentence (lower is better)", lower_is_better=True),
    Spec("learner_dev_beyond_not_covered", "learner questions beyond the review: 'not covered' (dev)", "learner_dev",
         "share of questions the review does not answer that get the not-covered sentence (informational)"),
    Spec("learner_dev_idea_recall", "learner questions: share of the expected answer's words said (dev)",
         "learner_dev", "ROUGE-1 recall of each covered question's expected answer (written from Microsoft Learn) in "
         "the answer, content words only (informational; synonyms count as missing)"),
    Spec("learner_dev_beyond_idea_recall", "learner questions beyond the review: expected answer's words said (dev)",
         "learner_dev", "the same recall on the questions the review does not answer (the pack's notes may; "
         "informational)"),
)
_FOLLOWUP = (
    Spec("followup_dev_decision_accuracy", "follow-up questions: decision accuracy (dev)", "followup_dev",
         "a follow-up asked after its first question in one conversation: the decision matches the review's answer"),
    Spec("followup_dev_hit_at_3", "follow-up questions: a right row among the first 3 cited (dev)", "followup_dev",
         "a row that answers the follow-up is among the answer's first 3 citations (covered follow-ups)"),
    Spec("followup_dev_false_not_covered", "follow-up questions: false 'not covered' (dev)", "followup_dev",
         "covered follow-ups answered with the not-covered sentence (lower is better)", lower_is_better=True),
    Spec("followup_dev_idea_recall", "follow-up questions: share of the expected answer's words said (dev)",
         "followup_dev", "as for learner questions (informational)"),
)


SPECS = (
    Spec("completed", "items completed", "all", "share of gold items answered without an error"),
    Spec("hit_at_1", "retrieval hit@1", "ask", "an expected rule is the first retrieved rule"),
    Spec("hit_at_3", "retrieval hit@3", "ask", "an expected rule is among the first 3 retrieved rules"),
    Spec("mrr", "retrieval MRR", "ask", "mean of 1/rank of the first expected rule"),
    Spec("recall_at_5", "retrieval recall@5", "ask", "share of expected rules among the first 5 retrieved rules"),
    Spec("decision_accuracy", "decision accuracy", "ask", "decision matches the expected label (normalised match)"),
    Spec("answer_correctness", "answer correctness (RAGAS)", "ask",
         "0.75 × F1 of bold labels vs the expected decision + 0.25 × embedding cosine"),
    Spec("faithfulness", "faithfulness", "ask", "share of asserted (bold) labels found in the cited rows"),
    Spec("citation_recall", "citation recall (ALCE)", "ask",
         "share of statements supported by their citations (an unsure answer's 'not sure which fits' line is none)"),
    Spec("citation_precision", "citation precision (ALCE)", "ask", "share of citations that support their statement"),
    Spec("cited_on_topic", "cited rows on topic", "ask",
         "share of an answer's cited rows that the gold item lists as relevant "
         "(lower bound: unlisted notes count as off)"),
    Spec("not_covered_accuracy", "not-covered accuracy", "ask",
         "balanced accuracy of saying the not-covered sentence exactly for off-topic questions"),
    Spec("mcq_accuracy", "multiple-choice accuracy", "solve", "best option equals the key"),
    Spec("mcq_dev_accuracy", "multiple-choice accuracy (dev)", "solve_dev",
         "best option equals the key, on items written to measure solver changes"),
    Spec("mcq_heldout_accuracy", "multiple-choice accuracy (held-out)", "solve_heldout",
         "best option equals the key, on items never used to tune the solver"),
    Spec("mcq_external_dev_accuracy", "multiple-choice accuracy (external, dev)", "ext_mcq_dev",
         "best option equals the key, on questions written from Microsoft Learn pages (not the review)"),
    Spec("mcq_external_dev_accuracy_answerable", "  … of those the review can answer", "ext_mcq_dev",
         "the same, on the items whose key the review's rows support"),
    Spec("mcq_external_locked_accuracy", "multiple-choice accuracy (external, locked)", "ext_mcq_locked",
         "the same on the locked split, read only for its total"),
    Spec("mcq_external_locked_accuracy_answerable", "  … of those the review can answer", "ext_mcq_locked",
         "the same, on the locked items whose key the review's rows support"),
    *_LEARNER, *map(_locked, _LEARNER), *_FOLLOWUP, *map(_locked, _FOLLOWUP[:2]),
    Spec("mcq_heldout_accuracy_confident_share", "solver says 'confident' (held-out)", "solve_heldout",
         "share of held-out questions the solver calls confident (only those may say right/wrong or be logged)"),
    Spec("mcq_heldout_accuracy_confident_accuracy", "  … and is then right", "solve_heldout",
         "accuracy on the held-out questions it calls confident (target ≥ 0.95)"),
    Spec("mcq_external_dev_accuracy_confident_share", "solver says 'confident' (external, dev)", "ext_mcq_dev",
         "share of external dev questions the solver calls confident"),
    Spec("mcq_external_dev_accuracy_confident_accuracy", "  … and is then right", "ext_mcq_dev",
         "accuracy on the external dev questions it calls confident"),
    Spec("mcq_external_locked_accuracy_confident_share", "solver says 'confident' (external, locked)",
         "ext_mcq_locked", "share of locked external questions the solver calls confident"),
    Spec("mcq_external_locked_accuracy_confident_accuracy", "  … and is then right", "ext_mcq_locked",
         "accuracy on the locked external questions it calls confident"),
    Spec("solve_ece", "solver calibration error (ECE)", "solve",
         "expected calibration error of the solver's probability over every multiple-choice set (10 bins; lower "
         "is better)", lower_is_better=True),
    Spec("ask_ece", "answer calibration error (ECE)", "ask",
         "expected calibration error of the answers' probability over the ask and learner items with a decision "
         "(lower is better)", lower_is_better=True),
    Spec("offtopic_not_covered", "questions from other domains: 'not covered'", "offtopic_dev",
         "share of off-topic questions (cloud, programming, everyday life) given the not-covered sentence"),
    Spec("paraphrase_stability", "paraphrase stability", "ask_rewordings",
         "each gold question asked in 3 other wordings keeps the original's decision"),
    Spec("reworded_decision_accuracy", "decision accuracy on the rewordings", "ask_rewordings",
         "the rewordings' decisions match the expected decision"),
    Spec("wrong_answer_coverage", "wrong-answer coverage", "wrong_answers",
         "share of must-mention points present in the feedback"),
    Spec("wrong_answer_rules_cited", "wrong-answer rules cited", "wrong_answers",
         "both the key's rule and the chosen option's rule are cited"),
    Spec("quiz_single_key", "quiz: single key, 4 distinct options", "quiz", "structurally valid items"),
    Spec("quiz_distractor_validity", "quiz: distractor validity", "quiz", "distractors that do not restate the key"),
    Spec("quiz_answerability", "quiz: answerable by the solver", "quiz", "items whose key the solver picks"),
    Spec("quiz_key_position_deviation", "quiz: key-position deviation", "quiz",
         "max deviation of key positions from uniform (lower is better)", lower_is_better=True),
    Spec("quiz_distinct_stems", "quiz: distinct stems", "quiz", "share of distinct stems"),
    Spec("quiz_rule_coverage", "quiz: rule coverage", "quiz", "distinct source rules / items"),
)
SPEC = {s.name: s for s in SPECS}


@dataclass
class MetricRow:
    name: str
    title: str
    project: float | None
    baseline: float | None
    threshold: float | None
    lower_is_better: bool
    passed: bool | None  # None: no threshold or not measured


@dataclass
class EvalReport:
    """Every metric for this project and the baseline, with thresholds; see ``table`` and ``failures``."""

    rows: list[MetricRow]
    mode: str
    counts: dict[str, int]
    seconds: float
    errors: dict[str, list[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    items: dict[str, list[dict]] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)

    def row(self, name: str) -> MetricRow:
        return next(r for r in self.rows if r.name == name)

    def failures(self) -> list[str]:
        """One line per metric of this project that misses its threshold."""
        return [f"{r.title}: {_fmt(r.project)} is {'above' if r.lower_is_better else 'below'} the threshold "
                f"{_fmt(r.threshold)}" for r in self.rows if r.passed is False]

    def table(self) -> str:
        """Markdown table: metric | this project | baseline | threshold | pass."""
        lines = ["| metric | this project | baseline | threshold | pass |", "|---|---:|---:|---:|:---:|"]
        for r in self.rows:
            thr = "—" if r.threshold is None else f"{'≤' if r.lower_is_better else '≥'} {r.threshold:.2f}"
            ok = {True: "pass", False: "FAIL", None: "—"}[r.passed]
            lines.append(f"| {r.title} | {_fmt(r.project)} | {_fmt(r.baseline)} | {thr} | {ok} |")
        return "\n".join(lines)

    def to_dict(self) -> dict:
        return {"mode": self.mode, "counts": self.counts, "seconds": self.seconds,
                "metrics": [asdict(r) for r in self.rows], "failures": self.failures(),
                "timings": self.timings, "errors": self.errors, "notes": self.notes, "items": self.items}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=1)


def _fmt(v: float | None) -> str:
    return "n/a" if v is None else f"{v:.3f}"


# ---- configuration and gold -------------------------------------------------------------------------
def load_thresholds(path: Path) -> dict[str, float]:
    """Thresholds by metric name; a metric in the wrong section or an unknown name is a ValueError."""
    data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    extra = set(data) - {"min", "max"}
    if extra:
        raise ValueError(f"{path}: unknown section(s) {sorted(extra)}; only [min] and [max] are allowed.")
    out: dict[str, float] = {}
    for section, lower in (("min", False), ("max", True)):
        for name, value in data.get(section, {}).items():
            if name not in SPEC:
                raise ValueError(f"{path}: unknown metric '{name}'; known metrics: {', '.join(SPEC)}.")
            if SPEC[name].lower_is_better != lower:
                want = "max" if SPEC[name].lower_is_better else "min"
                raise ValueError(f"{path}: '{name}' belongs under [{want}], not [{section}].")
            out[name] = float(value)
    return out


def write_report(report: EvalReport, path: Path | str) -> Path:
    """Write the report as markdown (table, failures, definitions, notes, errors) and return the path."""
    path = Path(path)
    lines = ["# Eval report", "",
             f"Produced by `studyassist eval` (mode: `{report.mode}`) on "
             + ", ".join(f"{n} {k}" for k, n in report.counts.items()) + f" gold items in {report.seconds:.1f} s.",
             "", report.table(), ""]
    if report.timings:
        lines += ["Timings (s): " + ", ".join(f"{k} {v:.1f}" for k, v in report.timings.items()) + ".", ""]
    fails = report.failures()
    lines += ["**Gate: FAIL**", "", *[f"- {f}" for f in fails], ""] if fails else ["**Gate: pass**", ""]
    lines += ["## Definitions", "", *[f"- **{s.title}** ({s.gold}): {s.description}." for s in SPECS
                                      if any(r.name == s.name for r in report.rows)],
              "", "Full definitions and sources: the docstrings in `evals/metrics.py`.", ""]
    if report.notes:
        lines += ["## Notes", "", *[f"- {n}" for n in report.notes], ""]
    for who, errs in report.errors.items():
        lines += [f"## Errors ({who})", "", *[f"- {e}" for e in errs], ""]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
