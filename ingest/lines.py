"""Markdown's lines that open or go on with a block: a list's item, a code fence (also as a list's item), and where a
list goes on past blank lines."""
from __future__ import annotations

import re

_MARKER = r"(?:[-*•+]|\d{1,2}[.)])"  # a list item's bullet or number
BULLET = re.compile(rf"^\s*+{_MARKER}\s++(.*\S)\s*$")
# three backticks or more and a language, maybe as a list's item ("  - ```"); a bare run of as many closes it
FENCE = re.compile(rf"^\s*(?:{_MARKER}\s+)?(`{{3,}})(.*)$")


def opens_code(line: str) -> re.Match | None:
    """A fence opening code, as in CommonMark no backtick after its run: code opened and closed on one line is text
    ("``` DBCC PDW_SHOWSPACEUSED(…); ```", "- ``` vault login ``` signs in"). Vault notes open code as a list's item
    ("  - ```"): read as text, its closing fence had opened code, and the rest of the notes swapped code and text."""
    return f if (f := FENCE.match(line)) and "`" not in f.group(2) else None


def item_line(line: str) -> re.Match | None:
    """A list's item (its text the match's group 1), unless it opens code."""
    return None if opens_code(line) else BULLET.match(line)


def resumed(lines: list[str], i: int, base: int, last: int) -> int:
    """Where a list goes on past the blank lines at ``i``: at its next item when that is nested deeper than the list's
    first (``base`` indent: "1. Token Type: **Batch**", a blank line, "   - Lightweight"), or back at the list's own
    level after such a nested part (``last``, the indent of the item before, deeper: "2. Token Type: **Periodic**");
    else at ``i`` (a blank line between two items of one level ends a list, as it always has)."""
    j = i
    while j < len(lines) and not lines[j].strip():
        j += 1
    if j == len(lines) or not item_line(lines[j]):
        return i
    at = len(lines[j]) - len(lines[j].lstrip())
    return j if at > base or at == base < last else i
