"""Loading an exam pack: every file of ``packs/<name>/`` read and validated (a broken file is one sentence naming
the file and the key), the paraphrase bank line by line, and which pack serves a corpus."""
from __future__ import annotations

import functools
import json
import logging
import re
import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from studyassist.pack.model import (
    CALIBRATION,
    GOLD,
    MANIFEST,
    NO_PACK,
    NOTES,
    PARAPHRASES,
    AreaSpec,
    Calibration,
    ClueSpec,
    ConceptSpec,
    ExamPack,
    Manifest,
    MistakeWording,
    Note,
    OptionWording,
    PackError,
    Paraphrase,
    Scenarios,
    WrongAction,
    _regex,
)
from studyassist.settings import Settings
from studyassist.stamps import per_version
from studyassist.text import content_hash, normalize

log = logging.getLogger(__name__)


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


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    return f"{_key(tuple(err['loc']))}: {err['msg'].removeprefix('Value error, ')}"


def _lines(path: Path, model: type[Paraphrase] | type[Note], what: str) -> tuple[tuple[Any, ...], tuple[str, ...]]:
    """A JSON Lines file of the pack (the paraphrase bank, the notes), line by line: a broken line or a repeated id
    is left out with one sentence saying which line, and the rest is kept (a bank of thousands of lines should not
    fail whole for one typo)."""
    kept: dict[str, Any] = {}
    problems: list[str] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        return (), (f"Exam pack file {_where(path)} cannot be read ({type(exc).__name__}); no {what} are used.",)
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = model.model_validate(json.loads(line) | {"line": n})
        except ValidationError as exc:  # (a subclass of ValueError: first)
            detail = _first_error(exc)
        except json.JSONDecodeError:
            detail = "not valid JSON"
        except TypeError:
            detail = "not a JSON object"
        else:
            detail = None
        if detail is not None:
            problems.append(f"Exam pack file {_where(path)} line {n} is left out ({detail.rstrip('.')}).")
            continue
        if item.id in kept:
            problems.append(f"Exam pack file {_where(path)} line {n} is left out (id '{item.id}' is used twice).")
            continue
        kept[item.id] = item
    return tuple(kept.values()), tuple(problems)


def pack_fingerprint(folder: Path) -> str:
    """A hash of every pack file that decides the index (the gold sets and the calibration do not)."""
    files = sorted(p for p in folder.rglob("*") if p.is_file() and GOLD not in p.relative_to(folder).parts
                   and p.name != CALIBRATION)
    return content_hash(*(f"{p.relative_to(folder)}:{file_hash(p)}" for p in files))


def file_hash(path: Path) -> str:
    """The content hash of a file (a corpus document's, a pack file's), worked out again only when it changed."""
    return per_version(path, "hash", lambda p: content_hash(p.read_bytes().decode("latin-1")))


def _documents_served(manifest: Path) -> object:
    with open(manifest, "rb") as fh:
        return tomllib.load(fh).get("documents", [])


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
    path = folder / "options.toml"
    if path.is_file():
        options = _toml(path)
        # each group of fields is unique (a wrong answer may be written for several needs, but once per need)
        for key, model, name, unique in (("option", OptionWording, "wordings", (("choice",), ("text",))),
                                         ("mistake", MistakeWording, "mistakes", (("rule",), ("text",))),
                                         ("wrong", WrongAction, "wrong_actions", (("rule", "text"),))):
            data[name] = tuple(_validated(model, r, path, (key, i)) for i, r in enumerate(_list_of(options, key, path)))
            for fields in unique:
                seen: dict[tuple[str, ...], int] = {}
                for i, w in enumerate(data[name]):
                    if (j := seen.setdefault(tuple(normalize(getattr(w, f)) for f in fields), i)) != i:
                        raise PackError(f"Exam pack file {_where(path)}: {key}[{i}].{fields[-1]} repeats {key}[{j}]'s; "
                                        "fix it, or move the pack folder out of packs/ to run without it.")
    path = folder / CALIBRATION
    if path.is_file():
        data["calibration"] = _validated(Calibration, _toml(path), path)
    path = folder / PARAPHRASES
    if path.is_file():
        data["paraphrases"], data["paraphrase_problems"] = _lines(path, Paraphrase, "paraphrases")
    path = folder / NOTES
    if path.is_file():
        data["notes"], problems = _lines(path, Note, "notes")
        data["paraphrase_problems"] = data.get("paraphrase_problems", ()) + problems
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
            served = per_version(folder / MANIFEST, "documents", _documents_served)
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


WORDING = Path(__file__).with_name("wording.toml")


@functools.lru_cache(maxsize=1)
def general_wording() -> tuple[ClueSpec, ...]:
    """The general wording lexicon (``wording.toml``) as clues: each group's phrases stand for all of them."""
    specs = []
    for group in tomllib.loads(WORDING.read_text(encoding="utf-8"))["group"]:
        phrases = sorted(group["phrases"], key=len, reverse=True)  # the longest first: "every three months"
        words = "|".join(re.escape(p).replace(r"\ ", r"[\s-]+") for p in phrases)
        specs.append(ClueSpec(pattern=rf"\b(?:{words})\b", terms=" ".join(phrases)))
    return tuple(specs)
