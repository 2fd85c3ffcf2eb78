"""Prompt files in prompts/, each checked when loaded: its placeholders must be exactly the allowed ones."""
from __future__ import annotations

import string
from functools import lru_cache
from pathlib import Path

from studyassist.settings import get_settings

# name → the placeholders the code fills in (a prompt must use all of them and no others)
PLACEHOLDERS: dict[str, frozenset[str]] = {
    "answer_system": frozenset(),
    "answer_user": frozenset({"question", "rows"}),
    "rewrite_system": frozenset(),
    "rewrite_user": frozenset({"rule", "stem"}),
}


def placeholders(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field}


def check_prompt(name: str, template: str) -> str:
    """The template, or a ValueError naming the allowed placeholders."""
    if name not in PLACEHOLDERS:
        raise ValueError(f"Unknown prompt '{name}'; known prompts: {', '.join(sorted(PLACEHOLDERS))}.")
    allowed = PLACEHOLDERS[name]
    try:
        used = placeholders(template)
    except ValueError as exc:
        raise ValueError(f"Prompt '{name}' is not a valid template ({exc}); escape literal braces as "
                         "{{ }}.") from exc
    if used != allowed:
        raise ValueError(f"Prompt '{name}' uses placeholders {sorted(used)}; it must use exactly "
                         f"{sorted(allowed) or 'none'}.")
    return template


@lru_cache(maxsize=32)
def _load(path: Path, name: str) -> str:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ValueError(f"Prompt file {path} cannot be read ({exc.strerror}); restore it from the "
                         "repository.") from exc
    return check_prompt(name, text)


def load_prompt(name: str, folder: Path | None = None) -> str:
    """The prompt ``name`` from ``folder`` (default: settings.prompts)."""
    folder = Path(folder or get_settings().prompts)
    return _load(folder / f"{name}.md", name)
