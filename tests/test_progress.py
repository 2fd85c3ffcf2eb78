"""The progress store on real SQLite in the temp home: attempts, FSRS review, faults and crashes."""
from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from studyassist.errors import InputError, ProgressStoreError
from studyassist.settings import PROJECT_ROOT, get_settings
from studyassist.study.progress import SCHEMA_VERSION, Attempt, ProgressStore

from conftest import one_sentence

T0 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


def attempt(item: str, rule: str = "r#1", area: str = "deploy", correct: bool = False,
            profile: str = "ana", at: datetime = T0, source: str = "quiz") -> Attempt:
    return Attempt(profile=profile, item_id=item, rule_id=rule, area=area, chosen=0 if correct else 1,
                   answer=0, correct=correct, source=source, stem=f"stem of {item}", answered_at=at)


@pytest.fixture
def store(new_store) -> ProgressStore:
    """An empty store, on SQLite and on PostgreSQL: the same tests run on both."""
    return new_store()


def test_default_path_is_under_home(isolated_home):
    store = ProgressStore()
    assert store.path == get_settings().progress_db
    assert store.path.parent == isolated_home
    with sqlite3.connect(store.path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_record_and_read_back(store):
    first = attempt("q1", correct=True, at=T0)
    second = attempt("q2", rule="r#2", area="security", at=T0 + timedelta(minutes=1), source="exam")
    store.record(first)
    store.record(second)
    store.record(attempt("q3", profile="ben"))

    assert store.attempts("ana") == [first, second]
    assert store.profiles() == ["ana", "ben"]
    assert store.practised_rules("ana") == {"r#1", "r#2"}
    assert store.recent_items("ana") == ["q2", "q1"]
    assert store.recent_items("ana", n=1) == ["q2"]
    assert store.area_accuracy("ana") == {"deploy": (1, 1), "security": (0, 1)}
    [missed] = store.mistakes_by_rule("ana")
    assert missed == ("r#2", "security", 1, 1, second.answered_at)
    [day1, day2] = store.accuracy_over_time("ana")
    assert (day1.day, day1.area, day1.correct, day1.total) == (T0.date(), "deploy", 1, 1)
    assert tuple(day2) == (T0.date(), "security", 0, 1)


def test_answering_an_item_twice_is_rejected_and_not_recorded(store):
    store.record(attempt("q1", correct=False))
    card_before = store.card("ana", "r#1").to_dict()
    with pytest.raises(InputError) as err:
        store.record(attempt("q1", correct=True, at=T0 + timedelta(minutes=5)))
    assert one_sentence(str(err.value))
    assert len(store.attempts("ana")) == 1
    assert store.card("ana", "r#1").to_dict() == card_before
    # Another learner may answer the same item.
    store.record(attempt("q1", profile="ben"))
    assert len(store.attempts("ben")) == 1


@pytest.mark.parametrize("change", [{"chosen": 4}, {"answer": -1}, {"source": "guess"}, {"item_id": ""}])
def test_bad_attempts_are_refused(store, change):
    with pytest.raises(InputError) as err:
        store.record(replace(attempt("q1"), **change))
    assert one_sentence(str(err.value))
    assert store.attempts("ana") == []


def test_a_miss_is_due_soon_and_a_correct_answer_pushes_it_later(store):
    store.record(attempt("q1", correct=False, at=T0))
    after_miss = store.card("ana", "r#1").due
    assert after_miss <= T0 + timedelta(days=1)
    assert store.due_rules("ana", now=T0) == []
    assert store.due_rules("ana", now=after_miss) == ["r#1"]

    store.record(attempt("q2", correct=True, at=after_miss))
    after_right = store.card("ana", "r#1").due
    assert after_right - after_miss > after_miss - T0
    assert store.due_rules("ana", now=after_miss) == []
    assert store.due_rules("ana", now=after_right) == ["r#1"]


def test_due_rules_only_missed_ones_most_overdue_first(store):
    store.record(attempt("q1", rule="never-missed", correct=True, at=T0))
    store.record(attempt("q2", rule="late", correct=False, at=T0 + timedelta(hours=1)))
    store.record(attempt("q3", rule="early", correct=False, at=T0))
    assert store.due_rules("ana", now=T0 + timedelta(days=30)) == ["early", "late"]
    assert store.due_rules("ben", now=T0 + timedelta(days=30)) == []


def test_weakest_area_is_lowest_accuracy_then_most_misses(store):
    answers = {"deploy": [True, True, False], "security": [False, False, True, True],
               "monitor": [False, True], "data": [True]}
    n = 0
    for area, results in answers.items():
        for ok in results:
            n += 1
            store.record(attempt(f"q{n}", rule=f"{area}#1", area=area, correct=ok))
    # security and monitor are both at 50%; security has more misses.
    assert store.weakest_areas("ana") == ["security", "monitor", "deploy", "data"]
    assert store.weakest_areas("ana", min_attempts=3) == ["security", "deploy"]
    assert [m.rule_id for m in store.mistakes_by_rule("ana")][:1] == ["security#1"]


def test_migrations_are_idempotent(tmp_path):
    path = tmp_path / "p.sqlite3"
    ProgressStore(path).record(attempt("q1"))
    again = ProgressStore(path)
    assert [a.item_id for a in again.attempts("ana")] == ["q1"]
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_migration_from_schema_2_keeps_attempts_and_allows_up_to_eight_options(tmp_path):
    from studyassist.study.schema import MIGRATIONS

    path = tmp_path / "p.sqlite3"
    with sqlite3.connect(path) as conn:  # a database as schema 2 left it, with one attempt
        for script in MIGRATIONS[:2]:
            conn.executescript(script)
        conn.execute("PRAGMA user_version = 2")
        conn.execute("INSERT INTO profiles (name, created_at) VALUES ('ana', '2025-03-01T09:00:00.000000+00:00')")
        conn.execute("INSERT INTO attempts (profile, item_id, rule_id, area, chosen, answer, correct, source, stem,"
                     " answered_at) VALUES ('ana', 'q1', 'r#1', 'deploy', 1, 0, 0, 'quiz', 'stem of q1',"
                     " '2025-03-01T09:00:00.000000+00:00')")
        with pytest.raises(sqlite3.IntegrityError):  # schema 2 allowed options A to D only
            conn.execute("INSERT INTO attempts (profile, item_id, rule_id, area, chosen, answer, correct, source,"
                         " stem, answered_at) VALUES ('ana', 'p1', 'r#1', 'deploy', 4, 0, 0, 'pasted', 's', 'x')")
    store = ProgressStore(path)
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 3
        indexes = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert {"attempts_by_rule", "attempts_by_time"} <= indexes
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert store.attempts("ana") == [attempt("q1")]  # kept, with no option texts
    pasted = replace(attempt("p1", at=T0 + timedelta(minutes=1), source="pasted"), chosen=4, answer=2,
                     options=("a", "b", "c", "d", "e"))
    store.record(pasted)
    assert store.attempts("ana") == [attempt("q1"), pasted]
    with pytest.raises(InputError, match="already answered"):  # UNIQUE (profile, item_id) survived the rebuild
        store.record(pasted)
    assert store.last_misses("ana") == {"r#1": pasted}


@pytest.mark.parametrize("change", [{"chosen": 5, "options": ("a", "b", "c", "d", "e")},
                                    {"options": tuple("abcdefghi")}])
def test_picks_beyond_the_options_are_refused(store, change):
    with pytest.raises(InputError) as err:
        store.record(replace(attempt("p1"), **change))
    assert one_sentence(str(err.value)) and store.attempts("ana") == []


def test_last_misses_are_the_newest_miss_per_rule(store):
    store.record(attempt("q1", at=T0))
    store.record(replace(attempt("q2", at=T0 + timedelta(hours=1)), options=("w", "x", "y", "z")))
    store.record(attempt("q3", correct=True, at=T0 + timedelta(hours=2)))
    store.record(attempt("q4", rule="r#2", correct=True, at=T0))
    last = store.last_misses("ana")
    assert list(last) == ["r#1"] and last["r#1"].item_id == "q2" and last["r#1"].options == ("w", "x", "y", "z")
    assert store.last_misses("ben") == {}


def test_a_newer_schema_is_refused(tmp_path):
    path = tmp_path / "p.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(ProgressStoreError) as err:
        ProgressStore(path)
    assert one_sentence(str(err.value)) and "upgrade" in str(err.value)


def test_a_locked_database_gives_one_sentence(tmp_path):
    path = tmp_path / "p.sqlite3"
    store = ProgressStore(path, timeout=0.2)
    holder = sqlite3.connect(path, isolation_level=None)
    try:
        holder.execute("BEGIN EXCLUSIVE")
        with pytest.raises(ProgressStoreError) as err:
            store.record(attempt("q1"))
        message = str(err.value)
        assert one_sentence(message) and "locked" in message and "close" in message
    finally:
        holder.close()
    assert store.attempts("ana") == []
    store.record(attempt("q1"))
    assert len(store.attempts("ana")) == 1


def test_a_corrupt_file_is_reported_and_left_untouched(tmp_path):
    path = tmp_path / "p.sqlite3"
    garbage = bytes(range(256)) * 16
    path.write_bytes(garbage)
    with pytest.raises(ProgressStoreError) as err:
        ProgressStore(path)
    message = str(err.value)
    assert one_sentence(message) and "move it aside" in message
    assert path.read_bytes() == garbage


def _write_many(target: str, worker: int, count: int) -> None:
    store = ProgressStore(url=target, timeout=30) if "://" in target else ProgressStore(Path(target), timeout=30)
    for n in range(count):
        store.record(attempt(f"w{worker}-{n}", rule=f"r#{n % 7}", correct=n % 3 == 0))


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_concurrent_writers_lose_nothing(tmp_path, request, backend):
    target = str(tmp_path / "p.sqlite3") if backend == "sqlite" else request.getfixturevalue("postgres_server").url()
    ctx = multiprocessing.get_context("spawn")
    workers = [ctx.Process(target=_write_many, args=(target, w, 50)) for w in range(4)]
    for proc in workers:
        proc.start()
    for proc in workers:
        proc.join(timeout=120)
        assert proc.exitcode == 0
    store = ProgressStore(url=target) if backend == "postgresql" else ProgressStore(Path(target))
    items = [a.item_id for a in store.attempts("ana")]
    assert len(items) == 200
    assert set(items) == {f"w{w}-{n}" for w in range(4) for n in range(50)}
    assert set(store.cards("ana")) == {f"r#{n}" for n in range(7)}  # one card per rule, however many wrote it


CHILD = textwrap.dedent("""
    import sys
    from pathlib import Path
    from studyassist.study.progress import Attempt, ProgressStore

    store = ProgressStore(Path(sys.argv[1]))
    n = 0
    while True:
        item = f"k{n}"
        store.record(Attempt(profile="ana", item_id=item, rule_id=f"r#{n % 5}", area="deploy",
                             chosen=1, answer=0, correct=n % 2 == 0, source="quiz", stem="s"))
        print(item, flush=True)
        n += 1
""")


@pytest.mark.slow
def test_sigkill_mid_burst_loses_at_most_the_attempt_in_flight(tmp_path):
    path = tmp_path / "p.sqlite3"
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(path)], cwd=PROJECT_ROOT,
                             stdout=subprocess.PIPE, text=True)
    reported = []
    try:
        for line in child.stdout:
            reported.append(line.strip())
            if len(reported) >= 40:
                break
    finally:
        os.kill(child.pid, signal.SIGKILL)
        rest, _ = child.communicate(timeout=30)
    reported += rest.split()
    assert child.returncode == -signal.SIGKILL
    assert len(reported) >= 40

    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    stored = [a.item_id for a in ProgressStore(path).attempts("ana")]
    assert set(reported) <= set(stored)
    assert len(stored) - len(reported) <= 1
    assert len(stored) == len(set(stored))


def test_due_in_reads_like_the_review_page():
    from datetime import timedelta

    from studyassist.study.names import due_in

    assert [due_in(timedelta(seconds=s)) for s in (-5, 30, 59 * 60, 3600, 86399, 86400, 3 * 86400)] == \
        ["1 min", "1 min", "59 min", "1 h", "23 h", "1 day", "3 days"]


def test_an_unreachable_postgresql_is_one_sentence_without_its_password():
    with pytest.raises(ProgressStoreError) as err:
        ProgressStore(url="postgresql+psycopg://bob:s3cret@127.0.0.1:1/progress", timeout=2)
    message = str(err.value)
    assert message.startswith("Cannot reach PostgreSQL at 127.0.0.1:1 (") and "s3cret" not in message
    assert message.endswith("check STUDYASSIST_DATABASE_URL and that the server is running.") and "\n" not in message
    for url, said in (("mysql://u@h/d", "names a mysql database"), ("no url", "is not a database URL")):
        with pytest.raises(ProgressStoreError, match=said):
            ProgressStore(url=url)


@pytest.mark.slow
def test_a_postgresql_that_goes_away_fails_the_next_answer_visibly_and_loses_nothing():
    from studyassist.bench.servers import Postgres

    server = Postgres(Path(tempfile.mkdtemp(prefix="studyassist-pg-"))).start()  # not under pytest's 0700 folders
    try:
        store = ProgressStore(url=server.url(), timeout=2)
        store.record(attempt("q1"))
        server.stop()
        with pytest.raises(ProgressStoreError, match="^Cannot reach PostgreSQL at "):
            store.record(attempt("q2"))
        server.start(fresh=False)
        store.record(attempt("q3"))  # the pool reconnects: no restart of the app
        assert [a.item_id for a in store.attempts("ana")] == ["q1", "q3"]
        assert set(store.cards("ana")) == {"r#1"}
    finally:
        server.stop()
        shutil.rmtree(server.root, ignore_errors=True)


def test_a_progress_file_made_by_the_release_before_alembic_upgrades_in_place_keeping_everything(tmp_path):
    """tests/data/progress-fab49f7.sqlite3 was written by that commit's own ProgressStore (user_version 3, no Alembic):
    every attempt, review card and saved item is kept, and the file is stamped at Alembic's head."""
    path = tmp_path / "p.sqlite3"
    shutil.copy(PROJECT_ROOT / "tests" / "data" / "progress-fab49f7.sqlite3", path)
    with sqlite3.connect(path) as conn:
        before = {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall()
                  for t in ("profiles", "attempts", "cards", "items")}
        assert "alembic_version" not in {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    store = ProgressStore(path)
    with sqlite3.connect(path) as conn:
        after = {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in before}
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [("0003",)]
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert after == before and len(before["attempts"]) == 4 and len(before["cards"]) == 3
    assert [m.rule_id for m in store.mistakes_by_rule("ana")] == ["sweep-jobs#5",  # one miss each, newest first
                                                                  "online-endpoint-versus-batch-endpoint#2"]
    assert store.attempts("ana")[2].options == ("a", "b", "c", "d", "e")
    store.record(attempt("q9", rule="sweep-jobs#5"))  # and it takes new answers
    assert len(store.attempts("ana")) == 4


def test_a_new_postgresql_database_is_built_by_the_same_revisions(new_store):
    store = new_store()
    with store.db.read() as s:
        assert s.execute("SELECT version_num FROM alembic_version").scalar() == "0003"
    again = type(store)(url=str(store.db.engine.url.render_as_string(hide_password=False))) \
        if store.db.kind == "postgresql" else type(store)(store.path)  # opening it again migrates nothing
    assert again.profiles() == []


def test_the_switch_to_write_ahead_logging_is_tried_again_while_another_process_holds_the_new_file():
    """A clean-clone run (stop 64) failed once with "database is locked" as four processes opened one new file:
    SQLite answers the switch to WAL with "busy" at once instead of waiting, so it is tried again until the timeout."""
    from studyassist.study.database import _wal

    class Busy:  # a connection whose first two tries find the file locked
        def __init__(self, fails: int, message: str = "database is locked") -> None:
            self.fails, self.message, self.switched = fails, message, False

        def execute(self, sql: str):
            if self.fails:
                self.fails -= 1
                raise sqlite3.OperationalError(self.message)
            self.switched = self.switched or sql.endswith("=WAL")
            return sqlite3.connect(":memory:").execute("SELECT 'delete'")

    conn = Busy(2)
    _wal(conn, timeout=5)
    assert conn.fails == 0 and conn.switched
    with pytest.raises(sqlite3.OperationalError):  # not forever: the timeout ends it
        _wal(Busy(10**6), timeout=0.2)
    with pytest.raises(sqlite3.OperationalError):  # and any other error at once
        _wal(Busy(1, "disk I/O error"), timeout=5)
