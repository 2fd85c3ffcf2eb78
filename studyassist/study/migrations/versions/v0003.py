"""Schema version 3: the option texts of each attempt, and up to 8 options (its SQL for SQLite and PostgreSQL
is in schema.py)."""
from alembic import op

from studyassist.study.schema import run_migration

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    run_migration(op.get_bind(), 3)
