"""Exam packs: what the engine knows about one exam beyond its review document, loaded from ``packs/<name>/``.

A pack is a manifest (``pack.toml``: title, the documents it serves, exam areas and weights, the overview table,
quiz distractor families, examples) and data files: ``concepts.toml``, ``areas.toml``, ``clues.toml``,
``anti_patterns.toml``, ``scenarios.toml``, ``overrides/<document>.json`` and ``gold/``. This module is the one
loader: every file is validated here, and a broken file is one sentence naming the file and the key. The
engine asks an ``ExamPack`` for exam knowledge and never keeps its own; ``NO_PACK`` is the engine without one.
"""
from __future__ import annotations

import json
import logging
import re
import string
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from studyassist.errors import StudyAssistError
from studyassist.settings import Settings
from studyassist.text import content_hash

log = logging.getLogger(__name__)

MANIFEST = "pack.toml"
GOLD = "gold"
# What a quiz frame may fill in, and the kinds of table a frame is written for (see quiz.scenarios.frame_kind).
FRAME_PLACEHOLDERS = frozenset({"org", "org_lc", "workload", "model", "situation", "constraint", "noun", "aspect"})
FRAME_KINDS = ("requirement", "symptom", "scenario", "definition", "capture", "gate", "comparison")


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
    """A canonical choice of the exam with its aliases; ``family`` groups choices of one kind."""

    family: str = Field(min_length=1)
    label: str = Field(min_length=1)
    aliases: tuple[str, ...] = ()


class ClueSpec(_Data):
    """An exam clue (a regular expression) and the review's terms for it; ``unless`` cancels it. ``negation``
    says what a negated clue means: "flips" (the default: "no latency requirement" is not a latency clue) or
    "keeps" (the clue names a topic either way: "without any stored credentials" is still about secrets)."""

    pattern: str
    terms: str = Field(min_length=1)
    unless: str | None = None
    negation: Literal["flips", "keeps"] = "flips"

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


class Overview(_Data):
    """The table whose rows summarise one exam area each (a review map)."""

    table: str
    area_column: str
    keywords_column: str | None = None


class QuizSpec(_Data):
    comparison_families: tuple[str, ...] = ()


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


def _where(path: Path) -> str:
    return f"{path.parent.name}/{path.name}" if path.parent.name != "overrides" else \
        f"{path.parent.parent.name}/overrides/{path.name}"


def _key(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def _validated(model: type[BaseModel], data: dict, path: Path, prefix: tuple = ()) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        msg = err["msg"].removeprefix("Value error, ").rstrip(".")
        key = _key(prefix + tuple(err["loc"]))
        raise PackError(f"Exam pack file {_where(path)}: {key}: {msg}; fix it, or move the pack folder out of packs/ "
                        "to run without it.") from None


def _toml(path: Path) -> dict:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise PackError(f"Exam pack file {_where(path)} is not valid TOML ({exc}); fix it, or move the pack folder "
                        "out of packs/ to run without it.") from None
    except OSError as exc:
        raise PackError(f"Exam pack file {_where(path)} cannot be read ({exc.strerror}).") from None


def _list_of(data: dict, key: str, path: Path) -> list:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise PackError(f"Exam pack file {_where(path)}: {key}: must be a list ([[{key}]] tables); fix it, or move the "
                        "pack folder out of packs/ to run without it.")
    return value


def pack_fingerprint(folder: Path) -> str:
    """A hash of every pack file that decides the index (the gold sets do not)."""
    files = sorted(p for p in folder.rglob("*") if p.is_file() and GOLD not in p.relative_to(folder).parts)
    return content_hash(*(f"{p.relative_to(folder)}:{content_hash(p.read_bytes().decode('latin-1'))}" for p in files))


def load_pack(folder: Path) -> ExamPack:
    """The pack in ``folder``, every file validated; ``PackError`` (one sentence naming file and key) otherwise."""
    manifest_path = folder / MANIFEST
    if not manifest_path.is_file():
        raise PackError(f"{folder} has no {MANIFEST}; an exam pack folder needs one.")
    manifest = _validated(Manifest, _toml(manifest_path), manifest_path)
    area_ids = {a.id for a in manifest.areas}
    data: dict[str, Any] = {}

    path = folder / "concepts.toml"
    if path.is_file():
        rows = _list_of(_toml(path), "concept", path)
        data["concepts"] = tuple(_validated(ConceptSpec, r, path, ("concept", i)) for i, r in enumerate(rows))
    path = folder / "clues.toml"
    if path.is_file():
        rows = _list_of(_toml(path), "clue", path)
        data["clues"] = tuple(_validated(ClueSpec, r, path, ("clue", i)) for i, r in enumerate(rows))
    path = folder / "anti_patterns.toml"
    if path.is_file():
        markers = _list_of(_toml(path), "markers", path)
        for i, m in enumerate(markers):
            try:
                _regex(str(m))
            except ValueError as exc:
                raise PackError(f"Exam pack file {_where(path)}: markers[{i}]: {exc}; fix it, or move the pack folder "
                                "out of packs/ to run without it.") from None
        data["anti_markers"] = tuple(str(m) for m in markers)
    areas = list(manifest.areas)
    path = folder / "areas.toml"
    if path.is_file():
        seeds = _toml(path).get("seeds", {})
        for area_id in seeds:
            if area_id not in area_ids:
                raise PackError(f"Exam pack file {_where(path)}: seeds.{area_id}: no such area in {MANIFEST} (areas: "
                                f"{', '.join(sorted(area_ids))}); fix it, or move the pack folder out of packs/ to run "
                                "without it.")
        areas = [_validated(AreaSpec, a.model_dump() | {"keywords": seeds.get(a.id, [])}, path, ("seeds", a.id))
                 for a in areas]
    path = folder / "scenarios.toml"
    if path.is_file():
        scenarios = _validated(Scenarios, _toml(path), path)
        unknown = set(scenarios.workloads) - area_ids - {"default"}
        if unknown:
            raise PackError(f"Exam pack file {_where(path)}: workloads.{sorted(unknown)[0]}: no such area in "
                            f"{MANIFEST}; fix it, or move the pack folder out of packs/ to run without it.")
        data["scenarios"] = scenarios
    overrides: dict[str, dict] = {}
    for path in sorted((folder / "overrides").glob("*.json")):
        try:
            value = json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, OSError) as exc:
            raise PackError(f"Exam pack file {_where(path)} is not valid JSON ({exc}); fix it, or move the pack folder "
                            "out of packs/ to run without it.") from None
        if not isinstance(value, dict):
            raise PackError(f"Exam pack file {_where(path)} must hold one JSON object.")
        overrides[path.stem] = value
    return ExamPack(**manifest.model_dump(exclude={"areas"}), areas=tuple(areas), **data, overrides=overrides,
                    folder=folder, fingerprint=pack_fingerprint(folder))


def candidate_pack(documents: list[str], settings: Settings) -> Path | None:
    """The folder of the pack for a corpus of ``documents`` (file names), read cheaply (only each manifest's
    ``documents``): ``settings.pack`` names one, ``none`` turns packs off, ``auto`` (default) takes the pack that
    serves most of the documents (ties: the first by name). None when no pack applies."""
    choice = (settings.pack or "auto").strip()
    if choice.lower() in ("none", "off", ""):
        return None
    if choice.lower() != "auto":
        return settings.packs / choice
    names = {Path(d).name for d in documents}
    best: tuple[int, Path] | None = None
    folders = sorted(p for p in settings.packs.iterdir() if (p / MANIFEST).is_file()) if settings.packs.is_dir() else []
    for folder in folders:
        try:
            with open(folder / MANIFEST, "rb") as fh:
                served = tomllib.load(fh).get("documents", [])
        except (OSError, tomllib.TOMLDecodeError):
            continue  # select_pack reports it if it is ever chosen by name
        n = len(names & {str(d) for d in served}) if isinstance(served, list) else 0
        if n and (best is None or n > best[0]):
            best = (n, folder)
    return best[1] if best else None


def area_ids(documents: list[str], settings: Settings) -> list[str]:
    """The exam area ids the pack for ``documents`` declares, read from its manifest alone (for help texts: a
    whole, validated pack is loaded where it is used)."""
    folder = candidate_pack(documents, settings)
    try:
        with open(folder / MANIFEST, "rb") as fh:
            areas = tomllib.load(fh).get("areas", [])
        return [str(a["id"]) for a in areas]
    except (OSError, TypeError, KeyError, tomllib.TOMLDecodeError):
        return []


def select_pack(documents: list[str], settings: Settings) -> tuple[ExamPack, list[str]]:
    """The pack for a corpus of ``documents`` (see ``candidate_pack``), and a one-sentence warning when that pack
    cannot be loaded (the engine then runs without one)."""
    folder = candidate_pack(documents, settings)
    if folder is None:
        return NO_PACK, []
    try:
        return load_pack(folder), []
    except PackError as exc:
        log.info("%s", exc)  # the caller shows the warning
        return NO_PACK, [str(exc)]


def pack_state(documents: list[str], settings: Settings) -> dict[str, str | None]:
    """Which pack folder a corpus gets and a hash of its files: an index built with another is stale."""
    folder = candidate_pack(documents, settings)
    exists = folder is not None and folder.is_dir()
    return {"name": folder.name if folder else None, "fingerprint": pack_fingerprint(folder) if exists else ""}


def pack_named(name: str | None, settings: Settings) -> tuple[ExamPack, list[str]]:
    """The pack an index was built with (``NO_PACK`` for none), and a warning when it can no longer be loaded."""
    if not name:
        return NO_PACK, []
    try:
        return load_pack(settings.packs / name), []
    except PackError as exc:
        return NO_PACK, [str(exc)]
