"""CLI commands for asking, solving and practising (registered by cli.build_parser)."""
from __future__ import annotations


def register(sub) -> None:
    """Add the study commands to the parser."""
    return None
