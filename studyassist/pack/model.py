"""The exam pack's data model: the typed, validated form of every file of ``packs/<name>/``."""
from __future__ import annotations

import math
import re
import string
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from studyassist.errors import StudyAssistError

MANIFEST = "pack.toml"
PARAPHRASES = "paraphrases.jsonl"
NOTES = "notes.jsonl"  # facts from the exam's official documentation, beyond the review (solve/notes.py)
GOLD = "gold"
# What a quiz frame may fill in, and the kinds of table a frame is written for (see quiz.scenarios.frame_kind).
FRAME_PLACEHOLDERS = frozenset({"org", "org_lc", "workload", "model", "situation", "constraint", "noun", "aspect",
                                "heading", "details"})
FRAME_KINDS = ("requirement", "symptom", "scenario", "definition", "capture", "gate", "comparison", "myth", "fact",
               "topic")
CALIBRATION = "calibration.toml"  # made by `studyassist calibrate`; not part of the index
Level = Literal["confident", "likely", "unsure"]


class PackError(StudyAssistError):
    """An exam pack file cannot be used; the message names the file and the key."""


class _Data(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def _regex(value: str) -> str:
    try:
        re.compile(value, re.I)
    except re.error as exc:
        raise ValueError(f"not a valid regular expression ({exc})") from None
    return value


class AreaSpec(_Data):
    """An exam area: id (used in progress and ``--area``), name, share of the exam, seed words."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str = Field(min_length=1)
    weight: float = Field(default=1.0, ge=0)
    keywords: tuple[str, ...] = ()


class ConceptSpec(_Data):
    """A canonical choice of the exam with its aliases; ``family`` groups choices of one kind. ``setting_aliases``
    are names that usually set a question's scene rather than ask for the choice ("Using the template in Azure
    DevOps, can I register every model?"): they name the concept in options, cells and rules, not in a question."""

    family: str = Field(min_length=1)
    label: str = Field(min_length=1)
    aliases: tuple[str, ...] = ()
    setting_aliases: tuple[str, ...] = ()


class ClueSpec(_Data):
    """An exam clue (a regular expression) and the review's terms for it; ``unless`` cancels it. ``negation``
    says what a negated clue means: "flips" (the default: "no latency requirement" is not a latency clue) or
    "keeps" (the clue names a topic either way: "without any stored credentials" is still about secrets).
    ``asked``: the clue counts only in a sentence that asks (a tool named where the question only sets its scene,
    "Using the template in Azure DevOps. Can I …?", is no clue)."""

    pattern: str
    terms: str = Field(min_length=1)
    unless: str | None = None
    negation: Literal["flips", "keeps"] = "flips"
    asked: bool = False

    _check = field_validator("pattern", "unless")(lambda v: v if v is None else _regex(v))


class Rewording(_Data):
    pattern: str
    replacement: str

    _check = field_validator("pattern")(_regex)


class Scenarios(_Data):
    """Quiz stem material: who asks, about what, in which frame, and the team's rewording of review phrases."""

    organisations: tuple[str, ...] = Field(min_length=1)
    models: tuple[str, ...] = Field(min_length=1)
    constraints: tuple[str, ...] = ("",)
    proper_names: tuple[str, ...] = ()
    workloads: dict[str, tuple[str, ...]] = {}
    frames: dict[str, tuple[str, ...]] = {}
    nouns: dict[str, str] = {}
    rewording: tuple[Rewording, ...] = ()

    @field_validator("frames")
    @classmethod
    def _frames(cls, frames: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        for kind, texts in frames.items():
            if kind not in FRAME_KINDS:
                raise ValueError(f"unknown frame kind '{kind}'; the kinds are {', '.join(FRAME_KINDS)}")
            for i, text in enumerate(texts):
                try:
                    used = {f for _, f, _, _ in string.Formatter().parse(text) if f}
                except ValueError as exc:
                    raise ValueError(f"{kind}[{i}] is not a valid template ({exc})") from None
                if used - FRAME_PLACEHOLDERS:
                    raise ValueError(f"{kind}[{i}] uses {sorted(used - FRAME_PLACEHOLDERS)}; the placeholders are "
                                     f"{', '.join(sorted(FRAME_PLACEHOLDERS))}")
        return frames

    @field_validator("workloads")
    @classmethod
    def _workloads(cls, workloads: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        if workloads and not workloads.get("default"):
            raise ValueError("needs a 'default' list for areas without workloads of their own")
        return workloads


class OptionWording(_Data):
    """How an exam words one of the review's choices as an option ("Attached Kubernetes / specialized compute" →
    "Attached Kubernetes compute"): quizzes show it, and the solver reads it as that choice."""

    choice: str = Field(min_length=1, max_length=300)
    text: str = Field(min_length=1, max_length=200)


class MistakeWording(_Data):
    """One of the review's known mistakes as the action a candidate might wrongly take ("Retrain the model on last
    month's data and redeploy it right away"): a quiz offers it beside a key that is an action, as exams do."""

    rule: str = Field(min_length=1, max_length=200)  # the mistake's rule id in the review
    text: str = Field(min_length=1, max_length=200)


class WrongAction(_Data):
    """A tempting wrong action for the need of one rule whose choice is an action ("Retrain the model on recent data
    and redeploy it" for errors after a deployment), with why it fails that need: a quiz offers it beside the rule's
    key, as an exam offers wrong actions for the same need."""

    rule: str = Field(min_length=1, max_length=200)
    text: str = Field(min_length=1, max_length=200)
    why: str = Field(min_length=1, max_length=300)


PRACTICE_VOICE = "practice"  # an exam-voice question written as a quiz stem only: embedded, never searched
# How answer options word a rule (doc2query for the options' side): its choice, or for a mistake rule the correction
# ("answer"), and a mistake rule's mistake as a tempting wrong option states it ("mistake"). Embedded, never searched.
ANSWER_VOICE, MISTAKE_VOICE = "answer", "mistake"
OPTION_VOICES = (ANSWER_VOICE, MISTAKE_VOICE)


class Paraphrase(_Data):
    """One way a learner or another exam bank says what a rule answers ("get back to the previous model"), kept
    as an extra search entry that points at the rule; ``near_miss_of`` names the rule it is easily confused with.
    A paraphrase in the ``practice`` voice is a quiz stem only: more of them made the search worse (stop 27)."""

    id: str = Field(min_length=1)
    rule: str = Field(min_length=1)
    text: str = Field(min_length=3, max_length=600)
    voice: str = "learner"
    near_miss_of: str | None = None
    side: int | None = Field(default=None, ge=0)  # an option wording or a quiz stem of one side of a comparison row
    line: int = 0  # where it stands in paraphrases.jsonl (set by the loader, for messages)

    @property
    def searched(self) -> bool:
        return self.voice != PRACTICE_VOICE and not self.option_wording

    @property
    def option_wording(self) -> bool:
        return self.voice in OPTION_VOICES

    @property
    def quiz_stem(self) -> str | None:
        """The text as a quiz stem (on one line), for an exam-voice or practice paraphrase of its own rule."""
        return " ".join(self.text.split()) if self.voice in ("exam", PRACTICE_VOICE) and not self.near_miss_of else None


class Note(_Data):
    """One fact from the exam's official documentation that the review does not state ("mirrored traffic is capped
    at 50%"), in the team's words, with the page it comes from. The solver weighs the options of a question beyond
    the review against these, quotes the note that decided a pick, and never calls such a pick ``confident``."""

    id: str = Field(min_length=1)
    topic: str = ""
    text: str = Field(min_length=10, max_length=600)
    source: str = Field(pattern=r"^https://\S+$", max_length=400)
    line: int = 0  # where it stands in notes.jsonl (set by the loader, for messages)


class LogisticModel(_Data):
    """p = sigmoid(bias + Σ weight·(x − mean)/scale), and the probabilities from which a result is "confident" (its
    answers were right at least as often as the target rate on the data it was fitted on) or "likely"."""

    features: tuple[str, ...]
    weights: tuple[float, ...]
    means: tuple[float, ...]
    scales: tuple[float, ...]
    bias: float
    confident_at: float = Field(ge=0, le=1)
    likely_at: float = Field(ge=0, le=1)

    @model_validator(mode="after")
    def _same_length(self) -> LogisticModel:
        if not len(self.features) == len(self.weights) == len(self.means) == len(self.scales):
            raise ValueError("features, weights, means and scales must have the same length")
        if any(s <= 0 for s in self.scales):
            raise ValueError("every scale must be positive")
        return self

    def probability(self, signals: dict[str, float]) -> float:
        z = self.bias + sum(w * (float(signals.get(f, 0.0)) - m) / s
                            for f, w, m, s in zip(self.features, self.weights, self.means, self.scales))
        return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))

    def level(self, p: float) -> Level:
        return "confident" if p >= self.confident_at else "likely" if p >= self.likely_at else "unsure"


class Calibration(_Data):
    """The fitted models for ``ask`` and ``solve``, with what they were fitted and measured on."""

    ask: LogisticModel | None = None
    solve: LogisticModel | None = None
    fitted_on: dict[str, int] = {}
    measured: dict[str, float] = {}


class Overview(_Data):
    """The table whose rows summarise one exam area each (a review map)."""

    table: str
    area_column: str
    keywords_column: str | None = None


class QuizSpec(_Data):
    """``comparison_families``: concept families a comparison table's items also draw distractors from.
    ``overlapping``: groups of choices (each the start of a choice cell) that one situation can call for together
    ("Compute cluster" also runs batch scoring): never the key and a distractor of one item."""

    comparison_families: tuple[str, ...] = ()
    overlapping: tuple[tuple[str, ...], ...] = ()

    @field_validator("overlapping")
    @classmethod
    def _groups(cls, groups):
        for g in groups:
            if len(g) < 2 or not all(c.strip() for c in g):
                raise ValueError("each group of overlapping choices needs two or more non-empty choices")
        return groups


class Examples(_Data):
    """Questions the app offers a new learner, and an example of a pasted question."""

    ask: tuple[str, ...] = ()
    paste: str = ""


class Manifest(_Data):
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    title: str = Field(min_length=1)
    short_title: str = Field(min_length=1)
    documents: tuple[str, ...] = ()
    areas: tuple[AreaSpec, ...] = ()
    overview: Overview | None = None
    quiz: QuizSpec = QuizSpec()
    examples: Examples = Examples()

    @model_validator(mode="after")
    def _unique_areas(self) -> Manifest:
        ids = [a.id for a in self.areas]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"area id '{dupes[0]}' appears twice")
        return self


class ExamPack(_Data):
    """One exam's knowledge. ``NO_PACK`` (every field empty) is what the engine uses without a pack."""

    name: str | None = None
    title: str = ""
    short_title: str = ""
    documents: tuple[str, ...] = ()
    areas: tuple[AreaSpec, ...] = ()
    overview: Overview | None = None
    quiz: QuizSpec = QuizSpec()
    examples: Examples = Examples()
    concepts: tuple[ConceptSpec, ...] = ()
    clues: tuple[ClueSpec, ...] = ()
    anti_markers: tuple[str, ...] = ()
    scenarios: Scenarios | None = None
    wordings: tuple[OptionWording, ...] = ()
    mistakes: tuple[MistakeWording, ...] = ()
    wrong_actions: tuple[WrongAction, ...] = ()
    paraphrases: tuple[Paraphrase, ...] = ()
    notes: tuple[Note, ...] = ()
    calibration: Calibration | None = None
    paraphrase_problems: tuple[str, ...] = ()  # lines of paraphrases/notes.jsonl left out, a sentence each
    overrides: dict[str, dict[str, Any]] = {}  # by document file stem
    folder: Path | None = None
    fingerprint: str = ""  # hash of every file that decides the index (not gold/)

    @property
    def present(self) -> bool:
        return self.name is not None

    @property
    def gold_dir(self) -> Path | None:
        """Where the pack's eval gold sets live, if it has any."""
        folder = self.folder / GOLD if self.folder else None
        return folder if folder is not None and folder.is_dir() else None

    def serves(self, document: str) -> bool:
        return Path(document).name in self.documents

    def overrides_for(self, document: str) -> dict[str, Any]:
        return self.overrides.get(Path(document).stem, {})


NO_PACK = ExamPack()


