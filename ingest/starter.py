"""A starter exam pack for a new review document (`studyassist pack init DOC`).

What ingest reads from the document alone — its areas (top-level headings), its concepts (choice cells merged by
alias), the tables whose reading it is unsure of — is written as the pack's files, for the learner to correct:
``pack.toml`` (name, titles, the document, the areas), ``areas.toml`` (each area's seed words), ``concepts.toml``
(each choice with its aliases) and ``overrides/<document>.json`` (the tables to check, each with how it was read).
The pack is loaded back before it is kept, so a starter pack always loads.
"""
from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from ingest.build import BuildReport, build_knowledge
from ingest.indexer import read_document
from studyassist.errors import InputError
from studyassist.knowledge.model import KnowledgeBase
from studyassist.pack import MANIFEST, NO_PACK, PackError, load_pack
from studyassist.text import key_terms

SEED_WORDS = 12  # per area: its heading's words, then the words its rules' choices use most


@dataclass
class StarterReport:
    folder: Path
    areas: int
    concepts: int
    to_check: list[str] = field(default_factory=list)  # titles of tables read with less than high confidence
    warnings: list[str] = field(default_factory=list)


def _q(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(text, ensure_ascii=False)


def _pack_name(stem: str) -> str:
    name = re.sub(r"[^a-z0-9_-]+", "-", stem.lower()).strip("-_")
    return name or "exam"


def _title(kb: KnowledgeBase, stem: str) -> str:
    top = next((s for s in kb.sections if s.level == 1), None)
    return top.title if top else stem.replace("-", " ").replace("_", " ").strip() or stem


def _seeds(kb: KnowledgeBase, area_id: str, name: str) -> list[str]:
    words = list(dict.fromkeys(key_terms(name)))
    counts: dict[str, int] = {}
    for r in kb.rules:
        if r.area == area_id:
            for t in key_terms(r.choice):
                counts[t] = counts.get(t, 0) + 1
    words += [t for t, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])) if t not in words]
    return words[:SEED_WORDS]


def init_pack(document: Path, packs: Path, name: str | None = None) -> StarterReport:
    """Write a starter pack for ``document`` under ``packs``; one-sentence errors for a missing or unreadable
    document, a bad name, or a pack folder that already exists (nothing is overwritten)."""
    try:
        found = document.is_file()
    except OSError:  # a name the system refuses (too long, say)
        found = False
    if not found:
        raise InputError(f"No document at {str(document)[:80]}; give the path of a review document (.md or .txt).")
    doc, problem = read_document(document)
    if doc is None:
        raise InputError(problem)
    name = name or _pack_name(document.stem)
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", name):
        raise InputError(f"'{name[:80]}' cannot be a pack name; use lowercase letters, digits, - and _.")
    folder = packs / name
    if folder.exists():
        raise InputError(f"{folder} already exists; pick another --name or edit that pack.")
    report = BuildReport()
    kb = build_knowledge([doc], pack=NO_PACK, report=report)
    title = _title(kb, document.stem)
    lines = ["# A starter exam pack written by `studyassist pack init` from what ingest read in the document alone.",
             "# Correct it: area names and weights (the exam's official shares, when known), then the other files.",
             "", f"name = {_q(name)}", f"title = {_q(title)}", f"short_title = {_q(title[:40])}",
             f"documents = [{_q(doc.name)}]", ""]
    for a in kb.areas:
        lines += ["[[areas]]", f"id = {_q(a.id)}", f"name = {_q(a.name)}", "weight = 1.0", ""]
    seeds = ["# Seed words of each area: a rule of a section outside the area headings goes to the area whose words",
             "# it uses most.", "", "[seeds]"]
    seeds += [f"{_q(a.id)} = [{', '.join(_q(w) for w in _seeds(kb, a.id, a.name))}]" for a in kb.areas]
    concepts = ["# The document's choices, each with the other names a learner or a practice bank may use for it.",
                "# Add the short forms and spellings a question may use; a family groups choices of one kind.", ""]
    for c in kb.concepts:
        aliases = sorted({a for a in c.aliases if a.casefold() != c.label.casefold()}, key=str.casefold)
        concepts += ["[[concept]]", f"family = {_q(c.family)}", f"label = {_q(c.label)}",
                     f"aliases = [{', '.join(_q(a) for a in aliases)}]", ""]
    unsure = {t.title: {"orientation": t.orientation, "choice": t.columns[t.choice_column],
                        "situation": ([t.columns[i] for i in t.key_columns] if t.key_columns
                                      else t.columns[t.situation_column]),
                        "confidence": t.orientation_confidence}
              for t in kb.tables if t.orientation_confidence != "high"}
    overrides = {"_why": "Tables ingest read with less than high confidence, each as it was read. To confirm or "
                         "correct one, move it into \"tables\" (orientation: clue_choice, choice_when or comparison; "
                         "choice and situation: column headers); a confirmed table is also quizzed.",
                 "tables": {}, "tables_to_check": unsure}
    try:
        (folder / "overrides").mkdir(parents=True)
        (folder / MANIFEST).write_text("\n".join(lines), encoding="utf-8")
        (folder / "areas.toml").write_text("\n".join(seeds) + "\n", encoding="utf-8")
        (folder / "concepts.toml").write_text("\n".join(concepts), encoding="utf-8")
        (folder / "overrides" / f"{document.stem}.json").write_text(
            json.dumps(overrides, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        load_pack(folder)  # what it wrote must load
    except (OSError, PackError) as exc:
        shutil.rmtree(folder, ignore_errors=True)
        raise InputError(f"Could not write a starter pack to {folder} ({exc}).") from exc
    return StarterReport(folder, len(kb.areas), len(kb.concepts), sorted(unsure), report.warnings)
