"""Schema version 1: profiles, attempts and review cards (schema.py holds its SQL for SQLite and PostgreSQL)."""
from alembic import op

from studyassist.study.schema import run_migration

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    run_migration(op.get_bind(), 1)
