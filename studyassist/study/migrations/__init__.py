"""The progress database's Alembic revisions (``versions/``, one per schema version, each running its SQL from
``schema.py``) and ``upgrade``: bring a database to the head inside the caller's transaction.

A SQLite file from before Alembic has no ``alembic_version`` table: its ``PRAGMA user_version`` says which
revision it is at, and it is stamped so before the upgrade. Alembic is imported only when a database is behind.
"""
from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).parent


def revision_id(number: int) -> str:
    return f"{number:04d}"


def upgrade(conn, current: int, stamped: bool) -> None:
    """Run every revision after ``current`` on ``conn`` (a SQLAlchemy connection already in a transaction); a
    database Alembic has not ``stamped`` (a file from before it) is first recorded at ``current``."""
    from alembic import command  # noqa: PLC0415 -- ~60 ms of imports, paid only by a database that is behind
    from alembic.config import Config  # noqa: PLC0415

    config = Config()
    config.set_main_option("script_location", str(HERE))
    config.attributes["connection"] = conn
    if current and not stamped:  # a file made before Alembic: at its user_version
        command.stamp(config, revision_id(current))
    command.upgrade(config, "head")
