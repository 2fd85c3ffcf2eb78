"""Schema version 2: the items shown to a learner (schema.py holds its SQL for SQLite and PostgreSQL)."""
from alembic import op

from studyassist.study.schema import run_migration

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    run_migration(op.get_bind(), 2)
