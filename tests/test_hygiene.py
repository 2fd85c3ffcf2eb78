"""Data hygiene (issue 16, items 6–8 and part of 10): temporary files stay in STUDYASSIST_HOME/tmp and go away,
exports never write through a link, pipe, device or planted temporary name, CSV cells cannot start a spreadsheet
formula, what the app writes is owner-only whatever the umask, and profile names are normalised. Real SQLite, real
files, the real CLI."""
from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import stat
import tempfile
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from ingest.build import Document, build_knowledge
from studyassist.cli.main import main
from studyassist.errors import InputError
from studyassist.knowledge.model import KnowledgeBase
from studyassist.settings import get_settings
from studyassist.study.export import FORMULA_STARTS, back_lines, csv_cell, csv_file, export_csv
from studyassist.study.names import clean_profile_name, profile_key, shown
from studyassist.study.progress import Attempt, ProgressStore

from conftest import TINY_REVIEW, one_sentence
from test_faults import cli, no_traceback

T0 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
RULE = "online-endpoint-versus-batch-endpoint#2"


def miss(store: ProgressStore, profile: str = "ana", item: str = "q1", rule: str = RULE, area: str = "deployment",
         at: datetime = T0) -> None:
    store.record(Attempt(profile=profile, item_id=item, rule_id=rule, area=area, chosen=0, answer=1, correct=False,
                         source="quiz", stem=f"stem of {item}", answered_at=at))


@pytest.fixture
def missed(shared_index, tmp_path, monkeypatch):
    """A home of its own (progress, scratch folder) whose knowledge base is the shared index's, with one miss."""
    home = tmp_path / "home"
    home.mkdir()
    (home / "index").mkdir()
    (home / "index" / "knowledge.json").symlink_to(shared_index / "index" / "knowledge.json")
    monkeypatch.setenv("STUDYASSIST_HOME", str(home))
    get_settings.cache_clear()
    miss(ProgressStore())
    return home


@pytest.fixture
def system_tmp(tmp_path, monkeypatch) -> Path:
    """The system temp folder, for this test: an empty folder of its own, so a file left there is seen."""
    folder = tmp_path / "system-tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def cli_run(capsys, *args: str) -> tuple[int, str, str]:
    try:
        code = main(list(args))
    except SystemExit as exit_:  # argparse refusing an argument
        code = exit_.code
    out, err = capsys.readouterr()
    return code, out, err


# -- item 6: temporary files ------------------------------------------------------------------------------------

def test_apkg_export_leaves_nothing_in_the_system_temp_folder(missed, system_tmp, tmp_path, capsys):
    out = tmp_path / "cards.apkg"
    code, _, err = cli_run(capsys, "export", "--format", "apkg", "--out", str(out), "--profile", "ana")
    assert code == 0, err
    assert list(system_tmp.iterdir()) == []  # genanki's own writer left its SQLite file here
    scratch = missed / "tmp"
    assert scratch.is_dir() and stat.S_IMODE(scratch.stat().st_mode) == 0o700 and list(scratch.iterdir()) == []
    with zipfile.ZipFile(out) as deck:
        assert set(deck.namelist()) == {"collection.anki2", "media"}
        deck.extract("collection.anki2", tmp_path / "unzipped")
    with sqlite3.connect(tmp_path / "unzipped" / "collection.anki2") as conn:
        assert [f.split("\x1f")[2] for (f,) in conn.execute("SELECT flds FROM notes")] == [RULE]


def test_the_review_pages_exports_leave_nothing_in_any_temp_folder(missed, system_tmp):
    from studyassist.ui.review_page import export_bytes

    kb = KnowledgeBase.load(get_settings().kb_path)
    deck = export_bytes(ProgressStore(), kb, "ana", "apkg")
    sheet = export_bytes(ProgressStore(), kb, "ana", "csv")
    assert deck[:2] == b"PK" and sheet.decode().startswith("front,back,rule_id,area,misses")
    assert list(system_tmp.iterdir()) == []
    assert list((missed / "tmp").iterdir()) == []


# -- item 7: export paths ---------------------------------------------------------------------------------------

def refused(capsys, out: Path, *, kind: str) -> str:
    code, stdout, err = cli_run(capsys, "export", "--format", "csv", "--out", str(out), "--profile", "ana")
    assert code == 2 and stdout == "", err
    message = err.strip().removeprefix("error: ")
    assert one_sentence(message, str(out)) and f"is {kind}, not a regular file" in message, message
    return message


def test_export_onto_a_fifo_leaves_the_fifo(missed, tmp_path, capsys):
    fifo = tmp_path / "out.csv"
    os.mkfifo(fifo)
    refused(capsys, fifo, kind="a named pipe")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.csv")] == []  # no temporary file left


def test_export_onto_a_symlink_leaves_the_link_and_its_target(missed, tmp_path, capsys):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n")
    link = tmp_path / "out.csv"
    link.symlink_to(victim)
    refused(capsys, link, kind="a symbolic link")
    assert link.is_symlink() and os.readlink(link) == str(victim)
    assert victim.read_text() == "keep me\n"


def test_export_onto_a_device_leaves_the_device_node(missed, tmp_path, capsys):
    device = tmp_path / "null"
    try:
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # a /dev/null of our own (root only)
    except PermissionError:
        pytest.skip("making a device node needs root")
    refused(capsys, device, kind="a device")
    assert stat.S_ISCHR(os.lstat(device).st_mode)


def test_export_onto_a_folder_leaves_the_folder(missed, tmp_path, capsys):
    folder = tmp_path / "out.csv"
    folder.mkdir()
    (folder / "inside.txt").write_text("x")
    refused(capsys, folder, kind="a folder")
    assert [p.name for p in folder.iterdir()] == ["inside.txt"]


def test_a_planted_tmp_symlink_is_not_followed(missed, tmp_path, capsys):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n")
    out = tmp_path / "out.csv"
    (tmp_path / "out.csv.tmp").symlink_to(victim)
    code, _, err = cli_run(capsys, "export", "--format", "csv", "--out", str(out), "--profile", "ana")
    assert code == 0, err
    assert victim.read_text() == "keep me\n"
    assert os.readlink(tmp_path / "out.csv.tmp") == str(victim)
    assert stat.S_ISREG(os.lstat(out).st_mode) and RULE in out.read_text()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith((".out", "out"))) == ["out.csv",
                                                                                                  "out.csv.tmp"]


def test_an_export_replaces_a_regular_file_whole_and_owner_only(missed, tmp_path, capsys):
    out = tmp_path / "out.csv"
    out.write_text("an older export, much longer than the new one\n" * 1000)
    out.chmod(0o644)
    code, _, err = cli_run(capsys, "export", "--format", "csv", "--out", str(out), "--profile", "ana", "--json")
    assert code == 0, err
    assert "older export" not in out.read_text() and RULE in out.read_text()
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


SHEET_REVIEW = """# Sheet review

## Cell rules

| Requirement | Better fit | Why |
|---|---|---|
| =HYPERLINK("http://127.0.0.1/x?"&A1) | @SUM(A1:A9) | -1 day before the exam |
| Results must reach the team | +Send the file | Keeps everyone current |
| A calm cell | Plain choice | Harmless |
"""


def test_csv_cells_cannot_start_a_formula_and_keep_their_text(tmp_path):
    kb = build_knowledge([Document("sheet.md", SHEET_REVIEW)])
    store = ProgressStore(tmp_path / "p.sqlite3")
    for n, rule in enumerate(kb.table_rules):
        miss(store, item=f"q{n}", rule=rule.id, area=rule.area, at=T0 + timedelta(minutes=n))
    data, count = csv_file(store, kb, "ana")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    assert count == 3 and rows[0] == ["front", "back", "rule_id", "area", "misses"]
    by_rule = {row[2]: row for row in rows[1:]}
    for rule in kb.table_rules:
        back = "\n".join(back_lines(rule))
        want = "'" + back if back.startswith(FORMULA_STARTS) else back
        assert by_rule[rule.id][1] == want  # the text whole, behind an apostrophe when it could be a formula
    assert by_rule["cell-rules#1"][1].startswith("'@SUM(A1:A9)")
    assert by_rule["cell-rules#2"][1].startswith("'+Send the file")
    assert by_rule["cell-rules#3"][1].startswith("Plain choice")
    assert not any(cell.startswith(FORMULA_STARTS) for row in rows for cell in row)
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert csv_cell(start + "1+1") == "'" + start + "1+1"
    assert csv_cell("a=1") == "a=1" and csv_cell(3) == "3"


# -- item 8: permissions ----------------------------------------------------------------------------------------

UMASK_022 = "import os, sys\nos.umask(0o022)\nfrom studyassist.cli.main import main\nsys.exit(main(sys.argv[1:]))"
# The Python API without the CLI (so without its umask): a miss recorded straight into the progress store.
API_MISS_022 = """import os, sys
os.umask(0o022)
from datetime import datetime, UTC
from studyassist.study.progress import Attempt, ProgressStore
ProgressStore().record(Attempt(profile="ana", item_id="q1", rule_id=sys.argv[1], area="store-selection", chosen=0,
                               answer=1, correct=False, source="quiz", stem="s", answered_at=datetime.now(UTC)))
"""


def modes(home: Path) -> dict[str, int]:
    out = {".": stat.S_IMODE(home.stat().st_mode)}
    for path in home.rglob("*"):
        if not path.is_symlink():
            out[str(path.relative_to(home))] = stat.S_IMODE(path.stat().st_mode)
    return out


def test_everything_written_under_umask_022_is_owner_only(tmp_path):
    corpus, home = tmp_path / "corpus", tmp_path / "home"
    corpus.mkdir()
    (corpus / "storage-review.md").write_text(TINY_REVIEW, encoding="utf-8")
    env = {"STUDYASSIST_CORPUS": str(corpus), "STUDYASSIST_PACKS": str(tmp_path / "no-packs")}
    no_traceback(cli(home, "ingest", "--json", env=env, script=UMASK_022))
    no_traceback(cli(home, "ask", "Which store keeps cold records cheapest?", env=env, script=UMASK_022))
    kb = KnowledgeBase.load(home / "index" / "knowledge.json")
    no_traceback(cli(home, kb.table_rules[0].id, env=env, script=API_MISS_022))
    outs = [tmp_path / "cards.csv", tmp_path / "cards.apkg"]
    for out in outs:
        no_traceback(cli(home, "export", "--format", out.suffix[1:], "--out", str(out), "--profile", "ana", env=env,
                         script=UMASK_022))
    found = modes(home)
    # the parts the issue names are there to be checked, not only whatever happened to be written
    for part in ("progress.sqlite3", "index", "index/knowledge.json", "index/manifest.json",
                 "index/sources/storage-review.md", "index/chroma", "conversations", "conversations/default.json",
                 "tmp"):
        assert part in found, sorted(found)
    with sqlite3.connect(home / "progress.sqlite3") as conn:  # an open connection keeps the -wal and -shm files
        assert conn.execute("SELECT COUNT(*) FROM attempts").fetchone() == (1,)
        assert (home / "progress.sqlite3-wal").exists()
        found |= modes(home)
    loose = {part: oct(mode) for part, mode in found.items()
             if mode != (0o700 if (home / part).is_dir() else 0o600)}
    assert loose == {}
    assert [oct(stat.S_IMODE(out.stat().st_mode)) for out in outs] == ["0o600", "0o600"]


def test_an_old_world_readable_home_is_tightened(isolated_home):
    isolated_home.mkdir(mode=0o755)
    isolated_home.chmod(0o755)
    db = isolated_home / "progress.sqlite3"
    with sqlite3.connect(db):
        pass
    db.chmod(0o644)
    store = ProgressStore()
    miss(store)
    assert stat.S_IMODE(isolated_home.stat().st_mode) == 0o700
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    assert [a.rule_id for a in store.attempts("ana")] == [RULE]


# -- item 10: profile names and echoed input ----------------------------------------------------------------------

def test_alice_and_alice_are_one_profile(tmp_path):
    store = ProgressStore(tmp_path / "p.sqlite3")
    miss(store, profile="Alice", item="q1")
    miss(store, profile="alice", item="q2", at=T0 + timedelta(minutes=1))
    miss(store, profile="ＡＬＩＣＥ", item="q3", at=T0 + timedelta(minutes=2))  # full-width letters (NFKC)
    assert store.profiles() == ["alice"]
    assert [a.item_id for a in store.attempts("Alice")] == ["q1", "q2", "q3"]
    assert clean_profile_name("  Alice ") == clean_profile_name("alice") == "alice"


def test_a_profile_name_mixing_scripts_is_refused_in_one_sentence(isolated_home, capsys):
    lookalike = "\u0430lice"  # Cyrillic а, then Latin lice
    assert clean_profile_name(lookalike) is None
    code, _, err = cli_run(capsys, "review", "--profile", lookalike)
    assert code == 2
    message = err.splitlines()[-1]
    assert message.endswith(f"error: argument --profile: '{lookalike}' cannot be a profile name; it mixes Cyrillic "
                            "and Latin letters, so it could pass for another name; type it in one alphabet"), message
    assert clean_profile_name("алиса") == "алиса" and clean_profile_name("山田たろう") == "山田たろう"


@pytest.mark.parametrize("lookalike", ["\u0430\u04cf\u0456\u0441\u0435", "\u0410\u0421\u0415", "\u039a\u039f\u039d"],
                         ids=["alice-in-cyrillic", "ACE-in-cyrillic", "KON-in-greek"])
def test_a_profile_name_spelled_in_look_alikes_of_one_script_is_refused(isolated_home, capsys, lookalike):
    assert clean_profile_name(lookalike) is None
    code, _, err = cli_run(capsys, "review", "--profile", lookalike)
    assert code == 2 and "could pass for another name" in err.splitlines()[-1], err
    assert clean_profile_name("Ася") == "ася" and clean_profile_name("Κώστας") == profile_key("Κώστας")  # real names still are


def test_an_existing_database_with_alice_and_alice_keeps_every_attempt(tmp_path):
    path = tmp_path / "p.sqlite3"
    old = ProgressStore(path)
    miss(old, profile="x", item="seed")  # the schema as it is, then names as the old code stored them
    with sqlite3.connect(path) as conn:
        conn.execute("DELETE FROM cards")
        conn.execute("DELETE FROM attempts")
        conn.execute("DELETE FROM profiles")
        for name, created in (("Alice", "2025-01-01"), ("alice", "2025-02-01"), ("Bob", "2025-01-05")):
            conn.execute("INSERT INTO profiles (name, created_at) VALUES (?, ?)", (name, created))
        rows = [("Alice", "q1", "r#1", 0), ("alice", "q1", "r#1", 1), ("alice", "q2", "r#2", 0), ("Bob", "q1", "r#1", 0)]
        for n, (who, item, rule, correct) in enumerate(rows):
            conn.execute("INSERT INTO attempts (profile, item_id, rule_id, area, chosen, answer, correct, source, stem,"
                         " answered_at) VALUES (?, ?, ?, 'deploy', 0, 0, ?, 'quiz', 's', ?)",
                         (who, item, rule, correct, f"2025-03-01T09:0{n}:00.000000+00:00"))
        for who, due in (("Alice", 200.0), ("alice", 100.0)):
            conn.execute("INSERT INTO cards (profile, rule_id, area, card, due) VALUES (?, 'r#1', 'deploy', ?, ?)",
                         (who, json.dumps({"who": who}), due))
    store = ProgressStore(path)
    assert store.profiles() == ["alice", "bob"]
    kept = store.attempts("Alice")
    assert sorted((a.item_id, a.rule_id, a.correct) for a in kept) == [
        ("q1", "r#1", True), ("q1 (Alice)", "r#1", False), ("q2", "r#2", False)]
    assert [a.item_id for a in store.attempts("BOB")] == ["q1"]
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT profile, card, due FROM cards").fetchall() == [
            ("alice", json.dumps({"who": "alice"}), 100.0)]  # of two schedules, the sooner review stays
        assert conn.execute("SELECT created_at FROM profiles WHERE name = 'alice'").fetchone() == ("2025-01-01",)
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []


@pytest.mark.parametrize("args", [["quiz", "--seed", "9" * 5000], ["quiz", "--seed", "x" * 5000],
                                  ["review", "--profile", "a" * 5000], ["quiz", "--area", "deploy " * 1000],
                                  ["quiz", "--difficulty", "h" * 5000], ["answer", "q-" + "0" * 5000, "A"],
                                  ["solve", "--jsonl", "n" * 3000], ["solve", "--file", "n" * 3000]])
def test_a_long_argument_is_quoted_short(isolated_home, capsys, args):
    code, _, err = cli_run(capsys, *args)
    assert code == 2
    message = err.splitlines()[-1]
    assert len(message) < 250, message
    assert max(args, key=len)[:10] in message


@pytest.mark.parametrize("args", [["ask", "x", "Q" * 5000], ["export", "--format", "Q" * 5000], ["Q" * 5000],
                                  ["quiz", "--json=" + "Q" * 5000]],
                         ids=["extra-argument", "invalid-choice", "invalid-command", "ignored-explicit-argument"])
def test_argparses_own_errors_quote_a_long_argument_short(isolated_home, capsys, args):
    code, _, err = cli_run(capsys, *args)
    assert code == 2
    message = err.splitlines()[-1]
    assert "Q" * 79 + "…" in message and "Q" * 80 not in message, message


def test_thousands_of_extra_arguments_are_quoted_short(isolated_home, capsys):
    code, _, err = cli_run(capsys, "ask", "x", *["word"] * 3000)
    assert code == 2
    assert err.splitlines()[-1] == "studyassist: error: unrecognized arguments: " + shown(" ".join(["word"] * 3000))


def test_a_5000_digit_seed_says_it_is_too_long(isolated_home, capsys):
    code, _, err = cli_run(capsys, "quiz", "--seed", "9" * 5000)
    assert code == 2
    assert err.splitlines()[-1].endswith("error: argument --seed: '9999999999999999999…' has 5,000 digits, more than "
                                         "the 100 allowed; give any whole number from 0 up")


def test_export_errors_quote_a_long_path_short(missed, capsys):
    long_path = "/no-such-folder/" + "d" * 3000 + "/cards.csv"
    with pytest.raises(InputError) as err:
        export_csv(ProgressStore(), KnowledgeBase.load(get_settings().kb_path), "ana", Path(long_path))
    assert len(str(err.value)) < 200 and one_sentence(str(err.value)), str(err.value)


def test_profile_key_is_stable():
    for name in ("Alice", "Straße", "İstanbul", "Ana María", "ﬁle"):
        key = profile_key(name)
        assert profile_key(key) == key
