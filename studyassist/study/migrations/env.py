"""Alembic's environment: the caller's connection and transaction (see ``migrations.upgrade``), no autogenerate."""
from alembic import context

context.configure(connection=context.config.attributes["connection"], target_metadata=None)
with context.begin_transaction():  # the caller's transaction: nothing is committed here
    context.run_migrations()
