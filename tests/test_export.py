"""Export of missed rules to CSV and Anki, read back with csv and sqlite3."""
from __future__ import annotations

import csv
import sqlite3
import zipfile
from datetime import UTC, datetime, timedelta

import pytest

from studyassist.errors import InputError
from studyassist.knowledge.model import KnowledgeBase, Rule
from studyassist.settings import get_settings
from studyassist.study.export import CSV_COLUMNS, MODEL_ID, export_apkg, export_csv
from studyassist.study.progress import Attempt, ProgressStore

T0 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def kb(shared_index) -> KnowledgeBase:
    return KnowledgeBase.load(get_settings().kb_path)


@pytest.fixture
def progress(tmp_path, kb) -> tuple[ProgressStore, list[Rule]]:
    """A store where three rules (one table row, one comparison row, one list item) were missed, one twice."""
    store = ProgressStore(tmp_path / "progress.sqlite3")
    clue = next(r for r in kb.table_rules if r.notes and not r.sides)
    comparison = next(r for r in kb.table_rules if r.sides)
    listed = next(r for r in kb.rules if r.kind == "list_item" and r.situation)
    right = next(r for r in kb.table_rules if r.id not in {clue.id, comparison.id})
    plan = [(clue, False), (clue, False), (comparison, False), (listed, False), (right, True), (clue, True)]
    for n, (rule, ok) in enumerate(plan):
        store.record(Attempt(profile="ana", item_id=f"q{n}", rule_id=rule.id, area=rule.area, chosen=0,
                             answer=0 if ok else 2, correct=ok, source="quiz", stem="s",
                             answered_at=T0 + timedelta(minutes=n)))
    return store, [clue, comparison, listed]


def test_csv_has_one_row_per_missed_rule(progress, kb, tmp_path):
    store, missed = progress
    path = tmp_path / "missed.csv"
    assert export_csv(store, kb, "ana", path) == 3
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert tuple(rows[0]) == CSV_COLUMNS
    clue, comparison, listed = missed
    # Most misses first, then the most recently missed.
    assert [r["rule_id"] for r in rows] == [clue.id, listed.id, comparison.id]
    assert rows[0]["misses"] == "2"

    front, back = rows[0]["front"].splitlines(), rows[0]["back"].splitlines()
    assert front[0] == kb.table(clue.table).title
    assert front[1].endswith("?") and clue.situation.rstrip(".") in front[1]
    assert back[0] == clue.choice
    assert all(f"{label}: {text}" in back for label, text in clue.notes.items())
    assert back[-1] == f"Source: {clue.section} — {clue.id}"
    assert all(side.text in rows[2]["back"] for side in comparison.sides)
    assert rows[1]["back"].splitlines()[0] == listed.choice


def test_apkg_is_an_anki_collection_with_one_note_per_missed_rule(progress, kb, tmp_path):
    store, missed = progress
    path = tmp_path / "missed.apkg"
    assert export_apkg(store, kb, "ana", path) == 3
    with zipfile.ZipFile(path) as zf:
        assert "collection.anki2" in zf.namelist()
        zf.extract("collection.anki2", tmp_path / "unzipped")
    with sqlite3.connect(tmp_path / "unzipped" / "collection.anki2") as conn:
        notes = conn.execute("SELECT mid, flds FROM notes").fetchall()
    assert len(notes) == 3
    assert {mid for mid, _ in notes} == {MODEL_ID}
    fields = sorted(flds.split("\x1f") for _, flds in notes)
    assert sorted(f[2] for f in fields) == sorted(r.id for r in missed)
    assert all("Source: " in f[1] for f in fields)


def test_exports_are_stable_and_empty_without_misses(progress, kb, tmp_path):
    store, _ = progress
    assert export_csv(store, kb, "nobody", tmp_path / "none.csv") == 0
    assert (tmp_path / "none.csv").read_text(encoding="utf-8").strip() == ",".join(CSV_COLUMNS)
    export_apkg(store, kb, "ana", tmp_path / "a.apkg")
    export_apkg(store, kb, "ana", tmp_path / "b.apkg")
    for name in ("a", "b"):
        with zipfile.ZipFile(tmp_path / f"{name}.apkg") as zf:
            zf.extract("collection.anki2", tmp_path / name)
    ids = []
    for name in ("a", "b"):
        with sqlite3.connect(tmp_path / name / "collection.anki2") as conn:
            ids.append(sorted(conn.execute("SELECT guid, mid FROM notes").fetchall()))
    assert ids[0] == ids[1]


def test_unwritable_path_gives_one_sentence(progress, kb, tmp_path):
    store, _ = progress
    with pytest.raises(InputError) as err:
        export_csv(store, kb, "ana", tmp_path / "no-such-folder" / "x.csv")
    assert ". " not in str(err.value) and str(err.value).endswith(".")
