"""Feature grids answered as lookups: "Which is the minimum licence that includes Conditional Access?" over
"Feature | Free | P1 | P2" with ✅/❌ cells is the leftmost column that has the feature, among the options.

Embeddings and BM25 see "Conditional Access" in the question and in its row, but not which of the row's marks
are yes; this reads them. A grid is a comparison table whose row cells are yes/no marks. The stem must name one
of its rows (the row's feature, as words of the stem) and at least two options must name its columns; then the
options whose column has the feature are the candidates: one alone is the answer; of several, "minimum / lowest /
cheapest / least" asks for the leftmost (grids list editions from the smallest up), "highest / premium / most"
the rightmost, and anything else is left to the solver.
"""
from __future__ import annotations

import re

from studyassist.knowledge.model import KnowledgeBase, Rule
from studyassist.text import normalize

_YES = {"✅", "✔", "✔️", "✓", "☑", "☑️", "yes", "y", "included", "supported", "√"}
_NO = {"❌", "✗", "✘", "✖", "✖️", "no", "n", "-", "–", "—", "not included", "not supported", "x"}
_LOWEST = re.compile(r"\b(minimum|lowest|least|cheapest|smallest|entry[- ]level|basic level)\b", re.I)
_HIGHEST = re.compile(r"\b(maximum|highest|most|premium tier)\b", re.I)
_NOT = re.compile(r"\b(not|doesn'?t|does not|lacks?|without|excludes?)\b", re.I)


def _mark(text: str) -> bool | None:
    t = normalize(text).strip(" .*")
    return True if t in _YES else False if t in _NO else None


class Grids:
    """The review's yes/no feature grids: per row, its feature words and which of its columns have it."""

    def __init__(self, kb: KnowledgeBase):
        self.rows: list[tuple[Rule, str, list[tuple[str, bool]]]] = []
        for r in kb.table_rules:
            marks = [(s.label, _mark(s.text)) for s in r.sides]
            if len(marks) >= 2 and all(m is not None for _, m in marks) and any(m for _, m in marks) \
                    and r.situation.strip():
                self.rows.append((r, normalize(r.situation).strip(" *"), marks))

    def pick(self, stem: str, options: list[str]) -> tuple[int, Rule, int] | None:
        """(option index, grid row, side index) when the stem asks a grid row's lookup, else None."""
        if not self.rows:
            return None
        text = normalize(stem)
        named = [(len(feature), r, marks) for r, feature, marks in self.rows
                 if re.search(rf"(?<!\w){re.escape(feature)}(?!\w)", text)]
        if not named or _NOT.search(text):
            return None
        _, rule, marks = max(named, key=lambda x: x[0])
        columns = [normalize(label) for label, _ in marks]
        # each option's column: the longest column label it names as words
        column_of = []
        for o in map(normalize, options):
            found = [i for i, c in enumerate(columns) if re.search(rf"(?<!\w){re.escape(c)}(?!\w)", o)]
            column_of.append(max(found, key=lambda i: len(columns[i])) if found else None)
        if sum(c is not None for c in column_of) < 2:
            return None
        having = [(c, o) for o, c in enumerate(column_of) if c is not None and marks[c][1]]
        if not having:
            return None
        if len(having) == 1:
            c, o = having[0]
        elif _LOWEST.search(text):
            c, o = min(having)
        elif _HIGHEST.search(text):
            c, o = max(having)
        else:
            return None
        return o, rule, c
