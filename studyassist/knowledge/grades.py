"""Superlatives over graded columns: "Which strategy has the fastest rollback?" of a table "Strategy | Downtime | Risk |
Rollback Speed | Complexity" whose cells grade each row ("Low", "Medium-High", "Very fast (swap)", "Instant").

No row's text says "fastest", so neither embeddings nor BM25 find the row whose grade is the extreme one; a learner's
trial of AZ-400 notes got "Rolling — Rollback Speed: Medium" for the fastest rollback and database rows for "the
highest risk". A question with a superlative ("fastest", "lowest", "most", "least") followed by the words of one graded
column's header ("rollback", "risk", "complex") is answered by the row whose grade in that column is the extreme one,
when exactly one row holds it.
"""
from __future__ import annotations

import re

from studyassist.text import normalize, short_stems, without_brackets

# Grades on one scale: how much of a quality a cell says a row has (speed words on their own scale above "high").
_LEVELS = {"none": 0, "very low": 1, "low": 2, "low-medium": 2.5, "low to medium": 2.5, "medium": 3, "moderate": 3,
           "medium-high": 3.5, "medium to high": 3.5, "high": 4, "very high": 5}
_SPEEDS = {"very slow": 1, "slow": 2, "medium": 3, "moderate": 3, "fast": 4, "quick": 4, "very fast": 5,
           "near-instant": 5.5, "instant": 6, "instantaneous": 6, "immediate": 6}
# A cell that grades a row rather than naming its kind ("Downtime: Yes", "Risk: Medium", "Rollback: Very fast"), of
# which ``grade`` ranks the levels and speeds: a column of such cells is an attribute every row has in some degree
# (Recreate is still a deployment strategy), by which the quiz sorts no choices into kinds
_GRADE_CELL = re.compile(r"(?i)(?:(?:very|mostly|partly|partial|fully?|not)[\s-]+)?"
                         r"(?:yes|no|none|some|true|false|low|medium|high|fast|slow|instant|optional|required|"
                         r"supported|n/?a|[✓✔✗✘❌✅-])(?:[\s-]+(?:high|low))?[.!]?")
GRADED_SHARE = 0.75  # of a column's cells that must be grades of one scale for it to be graded
# A superlative and the words after it that name the column ("the fastest rollback", "the most complex"); its sign
_SUPERLATIVE = re.compile(r"\b(highest|most|greatest|largest|biggest|fastest|quickest|maximum|lowest|least|smallest|"
                          r"slowest|minimum|fewest)\s+((?:[a-z-]+\s+){0,2}[a-z-]+)", re.I)
_UP = {"highest", "most", "greatest", "largest", "biggest", "fastest", "quickest", "maximum"}
_SPEED_WORDS = {"fastest", "quickest", "slowest"}


def grades_row(cell: str) -> bool:
    """Whether a cell grades its row (above), brackets aside ("Slow (redeploy)")."""
    return bool(_GRADE_CELL.fullmatch(without_brackets(cell).strip()))


def grade(cell: str) -> tuple[str, float] | None:
    """(scale, rank) of a cell that grades its row ("Very fast (swap)" → ("speed", 5)), else None."""
    text = normalize(without_brackets(cell)).strip(" .*")
    if text in _SPEEDS and text not in _LEVELS:
        return "speed", _SPEEDS[text]
    if text in _LEVELS:
        return "level", _LEVELS[text]
    return None


def graded(cells: list[str]) -> str | None:
    """The scale of a column whose cells are grades (``GRADED_SHARE`` of them, "medium" fitting either), else None."""
    grades = [grade(c) for c in cells if c.strip()]
    scales = {g[0] for g in grades if g is not None}
    scale = "speed" if "speed" in scales else "level" if scales else None
    fits = sum(g is not None and (g[0] == scale or normalize(without_brackets(c)).strip(" .*") in _SPEEDS)
               for g, c in zip(grades, [c for c in cells if c.strip()]))
    return scale if scale and len(grades) >= 3 and fits >= GRADED_SHARE * len(grades) else None


def extreme(question: str, headers: list[str], rows: list[dict[str, str]]) -> int | None:
    """The index of the one row whose grade is the extreme the question asks for in the graded column its
    superlative names (by a word of the header: "rollback" of "Rollback Speed"), else None."""
    for m in _SUPERLATIVE.finditer(question):
        word, named = m.group(1).lower(), short_stems(m.group(2))
        for header in headers:
            cells = [row.get(header, "") for row in rows]
            scale = graded(cells)
            if scale is None or not (short_stems(header) - {"speed", "level"}) & named and not (
                    word in _SPEED_WORDS and scale == "speed" and short_stems(header) & short_stems(question)):
                continue
            ranks = [grade(c) for c in cells]
            values = [r[1] if r is not None and (r[0] == scale or scale == "speed") else None for r in ranks]
            known = [v for v in values if v is not None]
            if len(known) < 3:
                continue
            best = max(known) if word in _UP else min(known)
            at = [i for i, v in enumerate(values) if v == best]
            return at[0] if len(at) == 1 else None
    return None
