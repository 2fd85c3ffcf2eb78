"""CLI commands for practice, review, export, eval and bench (registered by cli_study.register)."""
from __future__ import annotations


def register(sub) -> None:
    """Add the practice commands to the parser."""
    return None
