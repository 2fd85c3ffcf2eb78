"""Alembic revisions of the progress schema, one per version (0001-0003; see ../__init__.py)."""
