"""The mistake log and spaced review store: every attempt, and one FSRS card per rule.

By default the database is the SQLite file ``Settings.progress_db`` (under STUDYASSIST_HOME) in WAL mode; with
``STUDYASSIST_DATABASE_URL`` it is a PostgreSQL database shared by app replicas. Either is brought up to date by
the Alembic revisions in ``migrations/`` (a SQLite file from before them is at its ``PRAGMA user_version``).
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from fsrs import Card, Rating, Scheduler

from studyassist.errors import InputError, ProgressStoreError
from studyassist.settings import PRIVATE_FILE, get_settings, make_private, private_dir
from studyassist.study.migrations import upgrade
from studyassist.study.names import profile_key, shown
from studyassist.study.schema import MERGE_SPELLINGS, SCHEMA_VERSION

if TYPE_CHECKING:  # SQLAlchemy takes ~0.2 s to import: `ask` and `solve` never open this store (database.py)
    from studyassist.study.database import Session

log = logging.getLogger(__name__)

SOURCES = ("quiz", "pasted", "exam", "review")
MAX_OPTIONS = 8  # a pasted question may have options A to H; a generated one has 4

# Fuzzing would make the same answers give different due dates; reviews here should be reproducible.
_SCHEDULER = Scheduler(enable_fuzzing=False)


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _as_utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _stamp(moment: datetime) -> str:
    # A fixed-width format keeps text comparison in SQL equal to time order.
    return _as_utc(moment).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")


@dataclass(frozen=True)
class Attempt:
    """One answered question: which option was chosen, the key, and the rule it tests.

    ``options`` are the option texts as shown (empty for attempts recorded before schema 3).
    """

    profile: str
    item_id: str
    rule_id: str
    area: str
    chosen: int
    answer: int
    correct: bool
    source: str
    stem: str
    answered_at: datetime = field(default_factory=_utcnow)
    options: tuple[str, ...] = ()


class RuleMistakes(NamedTuple):
    """How often one rule was missed, out of how many attempts."""

    rule_id: str
    area: str
    misses: int
    attempts: int
    last_missed: datetime


class Seen(NamedTuple):
    """A question a learner answered: its item id, stem, rule, when, and whether the answer was right."""

    item_id: str
    stem: str
    rule_id: str
    answered_at: datetime
    correct: bool


class DailyAccuracy(NamedTuple):
    """Correct and total answers in one area on one UTC day."""

    day: date
    area: str
    correct: int
    total: int


class ProgressStore:
    """Attempts and per-rule FSRS cards for every profile: one SQLite file (the default), or the PostgreSQL database
    of ``STUDYASSIST_DATABASE_URL`` that several app replicas share (see database.py)."""

    def __init__(self, path: Path | None = None, *, url: str | None = None, timeout: float = 5.0) -> None:
        settings = get_settings()
        url = url or (settings.database_url if path is None else None)
        self.timeout = timeout
        self.path = None if url else (Path(path) if path is not None else settings.progress_db)
        if self.path is not None:
            self._create_file(settings)
        from studyassist.study.database import Database, sqlite_url  # noqa: PLC0415 -- imported when a store opens

        self.db = Database(url or sqlite_url(self.path), timeout)
        self.where = self.db.where  # the file, or the server without its password, for messages
        self._migrate()
        if self.db.kind == "sqlite":  # only files from before profile names were normalised can hold two spellings
            self._merge_spellings()

    def _create_file(self, settings) -> None:
        try:
            if not self.path.parent.exists() or self.path.parent == settings.home:
                private_dir(self.path.parent)
            # Created owner-only before SQLite opens it: SQLite gives the -wal and -shm files the mode of the database.
            os.close(os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE_FILE))
        except FileExistsError:  # an existing database keeps its file; only its mode is tightened
            make_private(self.path)
        except OSError as exc:
            raise ProgressStoreError(f"Cannot create the progress database {self.path} ({exc.strerror}); "
                                     "set STUDYASSIST_HOME to a folder you can write to.") from exc

    # -- connection and schema -------------------------------------------------------------

    def transaction(self):
        """One write transaction (a Session with ``execute(sql, params)``), rolled back on any error."""
        return self.db.write()

    def _migrate(self) -> None:
        """Bring the database to SCHEMA_VERSION with the Alembic revisions (migrations/), under the write lock (SQLite)
        or an advisory lock (PostgreSQL), so that processes starting together migrate once."""
        with self.db.read() as s:
            version, stamped = self._version(s)
        if version > SCHEMA_VERSION:
            raise ProgressStoreError(f"The progress database {self.where} has schema {version}, newer than this "
                                     f"studyassist ({SCHEMA_VERSION}); upgrade studyassist to use it.")
        if version == SCHEMA_VERSION and stamped:
            return
        with self.db.write() as s:
            if self.db.kind == "postgresql":
                s.execute("SELECT pg_advisory_xact_lock(7262)")
            version, stamped = self._version(s)  # another process may have migrated while we waited for the lock
            if version < SCHEMA_VERSION or not stamped:
                upgrade(s.conn, version, stamped)
                log.info("progress database %s migrated from schema %d to %d", self.where, version, SCHEMA_VERSION)

    def _version(self, s: Session) -> tuple[int, bool]:
        """The schema version and whether Alembic has recorded it: a SQLite file from before Alembic is at its
        user_version (0 for a new file)."""
        sqlite = self.db.kind == "sqlite"
        if s.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'" if sqlite else
                     "SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema()"
                     " AND table_name = 'alembic_version'").first():
            found = s.execute("SELECT version_num FROM alembic_version").scalar()
            return (int(found) if found else 0), True
        return (s.execute("PRAGMA user_version").scalar() if sqlite else 0), False

    def _merge_spellings(self) -> None:
        with self.db.read() as s:
            names = [r[0] for r in s.execute("SELECT name FROM profiles")]
        if all(name == profile_key(name) for name in names):
            return
        with self.db.write() as s:
            for statement in MERGE_SPELLINGS.split(";"):
                s.conn.exec_driver_sql(statement)
        log.info("progress database %s: profile names merged by their normalised spelling", self.path)

    # -- writing ---------------------------------------------------------------------------

    def record(self, attempt: Attempt) -> None:
        """Store one attempt and reschedule its rule's FSRS card, in one transaction."""
        from sqlalchemy.exc import IntegrityError  # noqa: PLC0415 -- loaded with the store (see __init__)

        _check(attempt)
        attempt = replace(attempt, profile=profile_key(attempt.profile))
        when = _as_utc(attempt.answered_at)
        with self.transaction() as conn:
            conn.execute("INSERT INTO profiles (name, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING",
                         (attempt.profile, _stamp(when)))
            if self.db.kind == "postgresql":  # one learner's answers are written one at a time, whichever replica
                conn.execute("SELECT name FROM profiles WHERE name = ? FOR UPDATE", (attempt.profile,))
            try:
                conn.execute(
                    "INSERT INTO attempts (profile, item_id, rule_id, area, chosen, answer, correct, source,"
                    " stem, answered_at, options) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (attempt.profile, attempt.item_id, attempt.rule_id, attempt.area, attempt.chosen,
                     attempt.answer, int(attempt.correct), attempt.source, attempt.stem, _stamp(when),
                     json.dumps(list(attempt.options), ensure_ascii=False) if attempt.options else None))
            except IntegrityError as exc:
                raise InputError(f"Item {attempt.item_id} was already answered by profile "
                                 f"'{attempt.profile}'; ask for a new question to practise again.") from exc
            self._review(conn, attempt, when)

    @staticmethod
    def _review(conn: Session, attempt: Attempt, when: datetime) -> None:
        row = conn.execute("SELECT card FROM cards WHERE profile = ? AND rule_id = ?",
                           (attempt.profile, attempt.rule_id)).fetchone()
        card = reviewed(Card.from_json(row[0]) if row else None, attempt.rule_id, attempt.correct, when)
        save_card(conn, attempt.profile, attempt.rule_id, attempt.area, card)

    # -- reading ---------------------------------------------------------------------------

    def _rows(self, sql: str, params: tuple = ()) -> list[tuple]:
        with self.db.read() as s:
            return [tuple(r) for r in s.execute(sql, params)]

    def attempts(self, profile: str) -> list[Attempt]:
        """Every attempt of a profile, oldest first."""
        profile = profile_key(profile)
        rows = self._rows(f"SELECT {_ATTEMPT_COLUMNS} FROM attempts WHERE profile = ? ORDER BY answered_at, id",
                          (profile,))
        return [_attempt(row) for row in rows]

    def last_misses(self, profile: str) -> dict[str, Attempt]:
        """Rule id → the most recent missed attempt on it (its stem and options, for the mistake log)."""
        profile = profile_key(profile)
        rows = self._rows(
            f"SELECT {_ATTEMPT_COLUMNS} FROM attempts a WHERE profile = ? AND correct = 0 AND id = ("
            " SELECT b.id FROM attempts b WHERE b.profile = a.profile AND b.rule_id = a.rule_id AND b.correct = 0"
            " ORDER BY b.answered_at DESC, b.id DESC LIMIT 1)", (profile,))
        return {row[2]: _attempt(row) for row in rows}

    def cards(self, profile: str) -> dict[str, Card]:
        """Rule id → FSRS card, for every rule the profile has answered on."""
        rows = self._rows("SELECT rule_id, card FROM cards WHERE profile = ?", (profile_key(profile),))
        return {rule_id: Card.from_json(card) for rule_id, card in rows}

    def card(self, profile: str, rule_id: str) -> Card | None:
        """The FSRS card of one rule, or None if the rule was never practised."""
        profile = profile_key(profile)
        rows = self._rows("SELECT card FROM cards WHERE profile = ? AND rule_id = ?", (profile, rule_id))
        return Card.from_json(rows[0][0]) if rows else None

    def mistakes_by_rule(self, profile: str) -> list[RuleMistakes]:
        """Rules missed at least once, most misses first (then most recently missed)."""
        profile = profile_key(profile)
        rows = self._rows(
            "SELECT a.rule_id, COALESCE(c.area, MAX(a.area)), SUM(1 - a.correct), COUNT(*),"
            " MAX(CASE WHEN a.correct = 0 THEN a.answered_at END) AS last_missed"
            " FROM attempts a LEFT JOIN cards c ON c.profile = a.profile AND c.rule_id = a.rule_id"
            " WHERE a.profile = ? GROUP BY a.rule_id, c.area HAVING SUM(1 - a.correct) > 0"
            " ORDER BY 3 DESC, last_missed DESC, a.rule_id", (profile,))
        return [RuleMistakes(r[0], r[1], r[2], r[3], datetime.fromisoformat(r[4])) for r in rows]

    def area_accuracy(self, profile: str) -> dict[str, tuple[int, int]]:
        """Area → (correct, total) over all attempts."""
        profile = profile_key(profile)
        rows = self._rows("SELECT area, SUM(correct), COUNT(*) FROM attempts WHERE profile = ?"
                          " GROUP BY area ORDER BY area", (profile,))
        return {area: (correct, total) for area, correct, total in rows}

    def accuracy_over_time(self, profile: str) -> list[DailyAccuracy]:
        """Correct and total answers per UTC day and area, oldest first."""
        profile = profile_key(profile)
        rows = self._rows("SELECT substr(answered_at, 1, 10) AS day, area, SUM(correct), COUNT(*) FROM attempts"
                          " WHERE profile = ? GROUP BY day, area ORDER BY day, area", (profile,))
        return [DailyAccuracy(date.fromisoformat(d), area, c, t) for d, area, c, t in rows]

    def due_rules(self, profile: str, now: datetime | None = None) -> list[str]:
        """Missed rules whose FSRS review is due at ``now``, most overdue first."""
        profile = profile_key(profile)
        moment = _as_utc(now or _utcnow()).timestamp()
        rows = self._rows(
            "SELECT c.rule_id FROM cards c WHERE c.profile = ? AND c.due <= ? AND EXISTS ("
            " SELECT 1 FROM attempts a WHERE a.profile = c.profile AND a.rule_id = c.rule_id AND a.correct = 0)"
            " ORDER BY c.due, c.rule_id", (profile, moment))
        return [r[0] for r in rows]

    def upcoming_rules(self, profile: str, now: datetime | None = None) -> list[tuple[str, datetime]]:
        """Missed rules not yet due at ``now``, with when each comes due, soonest first."""
        profile = profile_key(profile)
        moment = _as_utc(now or _utcnow()).timestamp()
        rows = self._rows(
            "SELECT c.rule_id, c.due FROM cards c WHERE c.profile = ? AND c.due > ? AND EXISTS ("
            " SELECT 1 FROM attempts a WHERE a.profile = c.profile AND a.rule_id = c.rule_id AND a.correct = 0)"
            " ORDER BY c.due, c.rule_id", (profile, moment))
        return [(r[0], datetime.fromtimestamp(r[1], UTC)) for r in rows]

    def recent_items(self, profile: str, n: int = 50) -> list[str]:
        """The item ids of the last ``n`` attempts, newest first."""
        profile = profile_key(profile)
        rows = self._rows("SELECT item_id FROM attempts WHERE profile = ? ORDER BY answered_at DESC, id DESC"
                          " LIMIT ?", (profile, max(n, 0)))
        return [r[0] for r in rows]

    def recent_stems(self, profile: str, n: int = 50) -> list[str]:
        """The question stems of the last ``n`` attempts, newest first."""
        profile = profile_key(profile)
        rows = self._rows("SELECT stem FROM attempts WHERE profile = ? ORDER BY answered_at DESC, id DESC"
                          " LIMIT ?", (profile, max(n, 0)))
        return [r[0] for r in rows]

    def seen_lately(self, profile: str, n: int, since: datetime) -> list[Seen]:
        """The last ``n`` attempts and every attempt since ``since``, newest first."""
        profile = profile_key(profile)
        rows = self._rows(
            "SELECT item_id, stem, rule_id, answered_at, correct FROM attempts WHERE profile = ? AND (answered_at >= ?"
            " OR id IN (SELECT id FROM attempts WHERE profile = ? ORDER BY answered_at DESC, id DESC LIMIT ?))"
            " ORDER BY answered_at DESC, id DESC", (profile, _stamp(since), profile, max(n, 0)))
        return [Seen(i, s, r, datetime.fromisoformat(at), bool(c)) for i, s, r, at, c in rows]

    def practised_rules(self, profile: str) -> set[str]:
        """Every rule the profile has answered a question on."""
        profile = profile_key(profile)
        return {r[0] for r in self._rows("SELECT DISTINCT rule_id FROM attempts WHERE profile = ?", (profile,))}

    def weakest_areas(self, profile: str, min_attempts: int = 1) -> list[str]:
        """Areas with at least ``min_attempts`` answers, lowest accuracy first (ties: more misses first)."""
        return weakest(self.area_accuracy(profile), min_attempts)

    def save_items(self, items: list[tuple[str, str]]) -> None:
        """Keep generated items (id, JSON body) so they can be answered or explained later."""
        with self.db.write() as s:
            s.executemany("INSERT INTO items (id, body, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                          [(i, body, _stamp(_utcnow())) for i, body in items])

    def item(self, item_id: str) -> str | None:
        """The JSON body of a saved item, or None."""
        rows = self._rows("SELECT body FROM items WHERE id = ?", (item_id,))
        return rows[0][0] if rows else None

    def answered(self, profile: str, item_id: str) -> bool:
        profile = profile_key(profile)
        return bool(self._rows("SELECT 1 FROM attempts WHERE profile = ? AND item_id = ?", (profile, item_id)))

    def profiles(self) -> list[str]:
        """Every profile that has recorded an attempt, by name."""
        return [r[0] for r in self._rows("SELECT name FROM profiles ORDER BY name")]

    def last_profile(self) -> str | None:
        """The profile of the last answer recorded, or the only profile there is; None when that says nothing."""
        rows = self._rows("SELECT profile FROM attempts ORDER BY id DESC LIMIT 1")  # the last row written
        if rows:
            return rows[0][0]
        names = self.profiles()
        return names[0] if len(names) == 1 else None


def weakest(accuracy: dict[str, tuple[int, int]], min_attempts: int = 1) -> list[str]:
    """The areas of ``accuracy`` (area -> (correct, answered)) with at least ``min_attempts`` answers, lowest accuracy
    first (ties: more misses first)."""
    scored = [(correct / total, -(total - correct), area)
              for area, (correct, total) in accuracy.items() if total >= min_attempts]
    return [area for *_, area in sorted(scored)]


_ATTEMPT_COLUMNS = "profile, item_id, rule_id, area, chosen, answer, correct, source, stem, answered_at, options"


def _attempt(row: tuple) -> Attempt:
    return Attempt(*row[:6], bool(row[6]), row[7], row[8], datetime.fromisoformat(row[9]),
                   tuple(json.loads(row[10])) if row[10] else ())


def _check(attempt: Attempt) -> None:
    if attempt.source not in SOURCES:
        raise InputError(f"Unknown attempt source '{shown(attempt.source)}'; use one of {', '.join(SOURCES)}.")
    if len(attempt.options) > MAX_OPTIONS or not all(isinstance(o, str) for o in attempt.options):
        raise InputError(f"An attempt has at most {MAX_OPTIONS} options, each a text; got {len(attempt.options)}.")
    last = len(attempt.options) - 1 if attempt.options else 3  # without option texts: a 4-option item
    for name in ("chosen", "answer"):
        value = getattr(attempt, name)
        if not isinstance(value, int) or not 0 <= value <= last:
            raise InputError(f"The {name} option must be an index from 0 to {last}, not {shown(repr(value))}.")
    if not attempt.profile or not attempt.item_id or not attempt.rule_id:
        raise InputError("An attempt needs a profile, an item id and a rule id; none may be empty.")


def save_card(conn: Session, profile: str, rule_id: str, area: str, card: Card) -> None:
    """Write one rule's card for a profile (new, or replacing the one there), inside the caller's transaction."""
    conn.execute("INSERT INTO cards (profile, rule_id, area, card, due) VALUES (?, ?, ?, ?, ?)"
                 " ON CONFLICT (profile, rule_id) DO UPDATE SET area = excluded.area, card = excluded.card,"
                 " due = excluded.due", (profile, rule_id, area, card.to_json(), card.due.timestamp()))


def reviewed(card: Card | None, rule_id: str, correct: bool, when: datetime) -> Card:
    """The rule's card after one answer at ``when`` (Good if right, Again if wrong; a new card for a first answer)."""
    card = card or Card(card_id=_card_id(rule_id), due=_as_utc(when))
    return _SCHEDULER.review_card(card, Rating.Good if correct else Rating.Again, _as_utc(when))[0]


def retrievability(card: Card, now: datetime) -> float:
    """FSRS's chance that the rule of ``card`` is still recalled at ``now``."""
    return _SCHEDULER.get_card_retrievability(card, _as_utc(now))


def _card_id(rule_id: str) -> int:
    # Stable per rule, so the same rule has the same card id in every profile and export.
    return int.from_bytes(hashlib.sha1(rule_id.encode()).digest()[:6], "big")
