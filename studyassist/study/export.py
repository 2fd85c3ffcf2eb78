"""Export missed rules as flashcards: a CSV file or an Anki deck (.apkg via genanki)."""
from __future__ import annotations

import csv
import hashlib
import html
import io
import itertools
import json
import logging
import os
import sqlite3
import stat
import tempfile
import time
import zipfile
from contextlib import closing
from pathlib import Path

from studyassist.errors import InputError
from studyassist.knowledge.model import KnowledgeBase, Rule
from studyassist.settings import get_settings, private_dir
from studyassist.study.names import shown
from studyassist.study.progress import ProgressStore, RuleMistakes

log = logging.getLogger(__name__)

CSV_COLUMNS = ("front", "back", "rule_id", "area", "misses")
MODEL_NAME = "StudyAssist missed rule"
DECK_NAME = "StudyAssist::Missed rules"


def _stable_id(name: str) -> int:
    # Anki keys models and decks by id; a hash of a fixed name keeps re-imports updating, not duplicating.
    return (1 << 30) + int.from_bytes(hashlib.sha1(name.encode()).digest()[:4], "big") % (1 << 30)


# The note type of every card: front, back and the rule id, under a fixed id (re-imports update, not duplicate).
MODEL_ID = _stable_id(MODEL_NAME)
MODEL_SPEC = dict(
    fields=[{"name": "Front"}, {"name": "Back"}, {"name": "RuleId"}],
    templates=[{"name": "Missed rule", "qfmt": "{{Front}}", "afmt": "{{FrontSide}}<hr id=answer>{{Back}}"}],
    css=".card { font-family: sans-serif; font-size: 18px; text-align: left; }",
)


def question(rule: Rule) -> str:
    """The rule's situation phrased as a question."""
    situation = rule.situation.strip().rstrip(".")
    if rule.situation.strip().endswith("?"):
        return rule.situation.strip()
    leaf = rule.section.split(" > ")[-1]
    if rule.kind == "trap":
        return f"What trap does the review warn about under “{leaf}”?"
    if rule.anti_pattern and situation:
        return f"Which common mistake does this correct: {situation}?"
    if rule.sides:
        labels = " and ".join(side.label for side in rule.sides)
        return f"How do {labels} differ on: {situation}?"
    if not situation:
        return f"Which item does the review list under “{leaf}”?"
    return f"Which choice fits this situation: {situation}?"


def front_lines(kb: KnowledgeBase, rule: Rule) -> list[str]:
    """The card's front: the table title (when the rule is a table row) and the question."""
    title = [kb.table(rule.table).title] if rule.table else []
    return [*title, question(rule)]


def back_lines(rule: Rule) -> list[str]:
    """The card's back: the choice, its notes (why / watch for / trap) and a citation line."""
    if rule.sides:
        choice = [f"{side.label}: {side.text}" for side in rule.sides]
    elif rule.kind == "trap":
        choice = [f"{rule.choice}: {rule.situation}"]
    else:
        choice = [rule.choice]
    notes = [f"{label}: {text}" for label, text in rule.notes.items()]
    return [*choice, *notes, f"Source: {rule.section} — {rule.id}"]


def _missed(store: ProgressStore, kb: KnowledgeBase, profile: str) -> list[tuple[Rule, RuleMistakes]]:
    out = []
    for row in store.mistakes_by_rule(profile):
        if kb.has_rule(row.rule_id):
            out.append((kb.rule(row.rule_id), row))
        else:
            log.warning("missed rule %s is not in the knowledge base any more; not exported", row.rule_id)
    return out


# A spreadsheet reads a cell starting with one of these as a formula ("=HYPERLINK(…)" sends data away); OWASP's
# advice is a leading apostrophe, which makes a spreadsheet show the cell as text (and hide the apostrophe). Nothing
# here reads the CSV back; a reader that is not a spreadsheet sees the apostrophe.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISLNK, "a symbolic link"), (stat.S_ISFIFO, "a named pipe"),
          (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"), (stat.S_ISSOCK, "a socket"))


def csv_cell(value: object) -> str:
    """One CSV cell, a text that could start a spreadsheet formula prefixed with an apostrophe."""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def check_target(path: Path) -> None:
    """An InputError when ``path`` exists and is not a regular file (a link, folder, pipe, device or socket)."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise _cannot_write(path, exc) from exc
    kind = next((name for test, name in _KINDS if test(mode)), None)
    if kind:
        raise InputError(f"{shown(path)} is {kind}, not a regular file, so it was left as it is; export to a new "
                         "file name or to a regular file.")


def write_file(path: Path, data: bytes) -> None:
    """Put ``data`` at ``path``, whole or not at all, replacing only a regular file (never a link, pipe or device).

    The bytes go to a new owner-only file beside the target (mkstemp: O_EXCL and a random name, so a link planted
    as '<out>.tmp' is never followed), which is then renamed over it."""
    path = Path(path)
    check_target(path)
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:100]}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        if tmp:
            Path(tmp).unlink(missing_ok=True)
        raise _cannot_write(path, exc) from exc


def _cannot_write(path: Path, exc: OSError) -> InputError:
    return InputError(f"Cannot write {shown(path)} ({exc.strerror or exc}); choose a folder you can write to.")


def csv_file(store: ProgressStore, kb: KnowledgeBase, profile: str) -> tuple[bytes, int]:
    """The CSV file of a profile's missed rules (a header row, then one row per rule) and its number of cards."""
    missed = _missed(store, kb, profile)
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for rule, row in missed:
        writer.writerow([csv_cell(cell) for cell in ("\n".join(front_lines(kb, rule)), "\n".join(back_lines(rule)),
                                                     rule.id, row.area, row.misses)])
    return out.getvalue().encode("utf-8"), len(missed)


def apkg_file(store: ProgressStore, kb: KnowledgeBase, profile: str, scratch: Path | None = None) -> tuple[bytes, int]:
    """An Anki deck (.apkg) with one note per missed rule, and its number of cards.

    The deck's collection is built in a scratch SQLite file in ``scratch`` (default STUDYASSIST_HOME/tmp, owner
    only), removed before returning: genanki's own writer leaves its copy in the system temp folder."""
    import genanki  # noqa: PLC0415 -- 25 ms to import: every CLI start would pay it for the export command

    model = genanki.Model(MODEL_ID, MODEL_NAME, **MODEL_SPEC)
    deck_name = f"{DECK_NAME}::{profile}"
    deck = genanki.Deck(_stable_id(deck_name), deck_name)
    missed = _missed(store, kb, profile)
    for rule, row in missed:
        deck.add_note(genanki.Note(
            model=model,
            fields=[_html(front_lines(kb, rule)), _html(back_lines(rule)), html.escape(rule.id)],
            guid=genanki.guid_for("studyassist", profile, rule.id),
            tags=["studyassist", _tag(row.area)],
        ))
    folder = private_dir(scratch or get_settings().tmp_dir)
    fd, db = tempfile.mkstemp(prefix="deck-", suffix=".anki2", dir=folder)
    os.close(fd)
    try:
        with closing(sqlite3.connect(db)) as conn:
            now = time.time()
            genanki.Package(deck).write_to_db(conn.cursor(), now, itertools.count(int(now * 1000)))
            conn.commit()
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as deck_file:  # the layout genanki's Package.write_to_file gives
            deck_file.write(db, "collection.anki2")
            deck_file.writestr("media", json.dumps({}))
    finally:
        for leftover in (db, db + "-journal"):
            Path(leftover).unlink(missing_ok=True)
    return out.getvalue(), len(missed)


def export_csv(store: ProgressStore, kb: KnowledgeBase, profile: str, path: Path) -> int:
    """Write one CSV row per missed rule (with a header row) to ``path``; return the number of cards."""
    return _export(csv_file, store, kb, profile, path)


def export_apkg(store: ProgressStore, kb: KnowledgeBase, profile: str, path: Path) -> int:
    """Write an Anki deck with one note per missed rule to ``path``; return the number of cards."""
    return _export(apkg_file, store, kb, profile, path)


def _export(build, store: ProgressStore, kb: KnowledgeBase, profile: str, path: Path) -> int:
    check_target(Path(path))  # before the work, so a wrong target is said at once
    data, n = build(store, kb, profile)
    write_file(path, data)
    log.info("exported %d missed rules for %s to %s", n, profile, path)
    return n


def _html(lines: list[str]) -> str:
    return "<br>".join(html.escape(line) for line in lines)


def _tag(area: str) -> str:
    # Anki tags are space separated, so an area name must not contain spaces.
    return "area::" + "_".join(area.split())
