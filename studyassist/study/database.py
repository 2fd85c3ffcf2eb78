"""Where progress is kept, behind SQLAlchemy 2.x: one SQLite file on the learner's machine (the default), or a
PostgreSQL database that several app replicas share (``STUDYASSIST_DATABASE_URL=postgresql+psycopg://…``).

The store writes plain SQL that both understand (``?`` placeholders, ``ON CONFLICT``); this module turns it into
SQLAlchemy ``text()`` with named parameters, runs each write in one short transaction (``BEGIN IMMEDIATE`` on
SQLite, so two processes never interleave a read-modify-write) and says what went wrong in one sentence: a file
locked or corrupt, a server that cannot be reached.
"""
from __future__ import annotations

import itertools
import re
import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Connection, CursorResult, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.pool import NullPool

from studyassist.errors import ProgressStoreError
from studyassist.study.names import profile_key

_PLACEHOLDER = re.compile(r"\?")
WAL_RETRY_SECONDS = 0.05  # between tries of the switch to write-ahead logging


@lru_cache(maxsize=256)
def _named(sql: str):
    """The statement with each ``?`` as ``:p0``, ``:p1``, … (the store's SQL has no literal question mark)."""
    count = itertools.count()
    return text(_PLACEHOLDER.sub(lambda _: f":p{next(count)}", sql))


def _params(values: Sequence) -> dict:
    return {f"p{i}": v for i, v in enumerate(values)}


class Session:
    """One connection in one transaction: ``execute(sql, params)`` with ``?`` placeholders, as sqlite3 has it."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def execute(self, sql: str, params: Sequence = ()) -> CursorResult:
        return self.conn.execute(_named(sql), _params(params))

    def executemany(self, sql: str, rows: Sequence[Sequence]) -> None:
        if rows:
            self.conn.execute(_named(sql), [_params(r) for r in rows])


class Database:
    """An engine for one progress database: ``write()`` and ``read()`` give a Session; errors come out as
    ProgressStoreError sentences."""

    def __init__(self, url: str, timeout: float = 5.0) -> None:
        try:
            parsed = make_url(url)
        except ArgumentError:
            raise ProgressStoreError("STUDYASSIST_DATABASE_URL is not a database URL; give "
                                     "postgresql+psycopg://user@host:5432/name, or unset it to use SQLite.") from None
        if parsed.drivername in ("postgres", "postgresql"):  # psycopg 3 is the driver installed
            parsed = parsed.set(drivername="postgresql+psycopg")
        self.kind = parsed.get_backend_name()
        if self.kind not in ("sqlite", "postgresql"):
            raise ProgressStoreError(f"STUDYASSIST_DATABASE_URL names a {self.kind} database; progress is kept in "
                                     "SQLite or PostgreSQL (postgresql+psycopg://…).")
        # said in messages: the file, or the server without its password
        socket = parsed.query.get("host") if self.kind == "postgresql" else None
        self.where = (parsed.database if self.kind == "sqlite" else f"PostgreSQL at {socket}" if socket
                      else f"PostgreSQL at {parsed.host or 'localhost'}:{parsed.port or 5432}")
        if self.kind == "sqlite":
            self.engine = create_engine(parsed, poolclass=NullPool, connect_args={"timeout": timeout})
            event.listen(self.engine, "connect", _sqlite_connection(timeout))
            event.listen(self.engine, "begin", _sqlite_begin)
        else:
            self.engine = create_engine(parsed, pool_pre_ping=True, pool_size=5, max_overflow=10,
                                        connect_args={"connect_timeout": max(1, int(timeout))})

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction: committed at the end, rolled back on any error."""
        try:
            with self.engine.execution_options(write=True).begin() as conn:
                yield Session(conn)
        except DBAPIError as exc:
            raise self.error(exc) from exc

    @contextmanager
    def read(self) -> Iterator[Session]:
        try:
            with self.engine.connect() as conn:
                yield Session(conn)
        except DBAPIError as exc:
            raise self.error(exc) from exc

    def error(self, exc: DBAPIError) -> ProgressStoreError:
        reason = next(iter(str(exc.orig or exc).strip().splitlines()), "")  # the driver's first line
        if self.kind == "postgresql":
            if exc.connection_invalidated or "connect" in reason.lower() or "connection" in reason.lower():
                return ProgressStoreError(f"Cannot reach {self.where} ({reason}); check STUDYASSIST_DATABASE_URL "
                                          "and that the server is running.")
            return ProgressStoreError(f"The progress database ({self.where}) refused a request ({reason}).")
        text_ = reason.lower()
        if "locked" in text_ or "busy" in text_:
            return ProgressStoreError(f"The progress database {self.where} is locked by another program; "
                                      "close the other studyassist window or program using it and try again.")
        if "unable to open" in text_:
            return ProgressStoreError(f"Cannot open the progress database {self.where}; "
                                      "check that its folder exists and you can write to it.")
        return ProgressStoreError(f"The progress database {self.where} is unreadable or corrupt ({reason}); "
                                  "move it aside (rename it) and studyassist will start a new one.")

    def dispose(self) -> None:
        self.engine.dispose()


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{Path(path)}"


def _sqlite_connection(timeout: float):
    def on_connect(dbapi: sqlite3.Connection, _record) -> None:
        dbapi.isolation_level = None  # transactions are begun below, not by the driver
        dbapi.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
        dbapi.execute("PRAGMA foreign_keys = ON")
        _wal(dbapi, timeout)
        dbapi.create_function("profile_key", 1, profile_key, deterministic=True)

    return on_connect


def _wal(dbapi: sqlite3.Connection, timeout: float) -> None:
    """Write-ahead logging on: switching a new file to it takes a lock SQLite reports as busy at once, not after
    ``busy_timeout`` (four processes opening one new file together: one of them failed now and then), so the
    switch is tried again until ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if dbapi.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                dbapi.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(WAL_RETRY_SECONDS)


def _sqlite_begin(conn: Connection) -> None:
    # A write takes the write lock up front, so a read-then-write cannot be overtaken by another process.
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("write") else "BEGIN")
