"""Feature grids answered as lookups: "Which is the minimum licence that includes Conditional Access?" over
"Feature | Free | P1 | P2" with ✅/❌ cells is the leftmost column that has the feature, among the options.

Embeddings and BM25 see "Conditional Access" in the question and in its row, but not which of the row's marks
are yes; this reads them. A grid is a comparison table whose row cells are yes/no marks. The stem must name one
of its rows (the row's feature, as words of the stem) and at least two options must name its columns; then the
options whose column has the feature are the candidates: one alone is the answer; of several, "minimum / lowest /
cheapest / least" asks for the leftmost (grids list editions from the smallest up), "highest / premium / most"
the rightmost, and anything else is left to the solver.

The other way round, "Which feature requires P2?" (a column the stem names after "requires", "upgrade to",
"only in") over options that name grid rows: the one option whose row has the
feature first in that column (not in any column left of it) is the answer.

And a comparison row read across: "Unlike a relational database, a NoSQL database is normally grown in which way?"
over "Horizontal (scale-out)" and "Vertical (scale-up)", the cells of "Scaling | SQL (Relational DB) | NoSQL
(Non-Relational DB)": the cell in the one column the stem names outside what it sets aside.
"""
from __future__ import annotations

import re

from studyassist.knowledge.attributes import cell_mark
from studyassist.knowledge.model import KnowledgeBase, Rule
from studyassist.knowledge.negation import affirmed
from studyassist.solve.cells import RowCells
from studyassist.text import bracket_names, normalize, question_sentence

_LOWEST = re.compile(r"\b(minimum|lowest|least|cheapest|smallest|entry[- ]level|basic level)\b", re.I)
_HIGHEST = re.compile(r"\b(maximum|highest|most|premium tier)\b", re.I)
# "requires P2", "force an upgrade to P2", "only available in P2": the column a feature must first appear in
_NEEDS = re.compile(r"\b(?:requires?|required|needs?|upgrade to|only (?:available )?(?:in|with)|included only in)\s+"
                    r"(?:(?:the|an?|microsoft|entra|id|azure|ad)\s+)*", re.I)
_NOT = re.compile(r"\b(not|doesn'?t|does not|lacks?|without|excludes?)\b", re.I)


class Grids:
    """The review's yes/no feature grids: per row, its feature words and which of its columns have it."""

    def __init__(self, kb: KnowledgeBase):
        self.rows: list[tuple[Rule, str, list[tuple[str, bool]]]] = []
        for r in kb.table_rules:
            marks = [(s.label, cell_mark(s.text)) for s in r.sides]  # ("Yes (with archiving enabled)": yes)
            if len(marks) >= 2 and all(m is not None for _, m in marks) and any(m for _, m in marks) \
                    and r.situation.strip():
                self.rows.append((r, normalize(r.situation).strip(" *"), marks))
        self.comparisons = [r for r in kb.table_rules if len(r.sides) >= 2]
        self.cells = RowCells(kb)  # (and tables of attributes, by the row a stem names: cells.py)

    def lookup(self, stem: str, options: list[str], described: str | None = None) -> tuple[int, Rule, int] | None:
        """(option index, row, column or side index) of the first lookup that answers: a yes/no grid's column
        (``pick``), the row first having a column's feature (``pick_row``), a comparison row's cell (``pick_cell``), a
        named row's cell of a table of attributes (``cells.pick``)."""
        return (self.pick(stem, options, described) or self.pick_row(stem, options) or self.pick_cell(stem, options)
                or self.cells.pick(stem, options))

    def pick(self, stem: str, options: list[str], described: str | None = None) -> tuple[int, Rule, int] | None:
        """(option index, grid row, side index) when the stem asks a grid row's lookup, else None. A stem that names
        no row may describe one: ``described`` is the choice of the rule whose situation fits the stem best ("block
        sign-ins by device and location" is Conditional Access in another table), a row's feature when it is one."""
        if not self.rows:
            return None
        text, wanted = normalize(stem), normalize(affirmed(stem))  # ("needs no duplicate detection" names none)
        named = [(len(feature), r, marks) for r, feature, marks in self.rows
                 if re.search(rf"(?<!\w){re.escape(feature)}(?!\w)", wanted)]
        if not named and described:  # (the nearest rule may be the grid row itself, its sides its choice)
            row = normalize(described).strip(" *")
            named = [(len(feature), r, marks) for r, feature, marks in self.rows
                     if row in (feature, normalize(r.choice).strip(" *"))]
        if not named or _NOT.search(normalize(question_sentence(stem))):  # ("… without a Lambda workaround. Which
            return None  # service supports it natively?" asks for the one that has it)
        _, rule, marks = max(named, key=lambda x: x[0])
        columns = [_names(label) for label, _ in marks]
        # each option's column: the one whose longest name (label, or a name in or outside its bracket) it says
        column_of = []
        for o in map(normalize, options):
            found = [(len(n), i) for i, names in enumerate(columns) for n in names
                     if re.search(rf"(?<!\w){re.escape(n)}(?!\w)", o)]
            column_of.append(max(found)[1] if found else None)
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

    def pick_row(self, stem: str, options: list[str]) -> tuple[int, Rule, int] | None:
        """(option index, grid row, column index) when the stem asks which row first has a column's feature."""
        text = normalize(stem)
        if not self.rows or _NOT.search(text):
            return None
        rows = []  # each option's grid row: the row whose feature the option names, or which names the option
        for o in map(normalize, options):
            found = [(len(f), r, marks) for r, f, marks in self.rows if f and (f in o or (len(o) > 3 and o in f))]
            rows.append(max(found, key=lambda x: x[0])[1:] if found else None)
        grids = {tuple(label for label, _ in row[1]) for row in rows if row}
        if sum(row is not None for row in rows) < 3 or len(grids) != 1:
            return None
        columns = [normalize(c) for c in next(iter(grids))]
        named = [i for i, c in enumerate(columns) if re.search(rf"(?<!\w){re.escape(c)}(?!\w)", text)]
        wanted = [i for i in named if re.search(_NEEDS.pattern + rf"{re.escape(columns[i])}(?!\w)", text, re.I)]
        if len(wanted) != 1:  # "included in P2" is true of every row with P2: only a need names the column
            return None
        target = wanted[0]
        first = [o for o, row in enumerate(rows) if row
                 and next((i for i, (_, yes) in enumerate(row[1]) if yes), None) == target]
        return (first[0], rows[first[0]][0], target) if len(first) == 1 else None

    def pick_cell(self, stem: str, options: list[str]) -> tuple[int, Rule, int] | None:
        """(option index, comparison row, side index) when the options are cells of one comparison row ("Vertical
        (scale-up)", "Horizontal (scale-out)" of "Scaling | SQL | NoSQL") and the stem names exactly one of their
        sides' columns outside a contrast ("unlike a relational database, a NoSQL database is grown which way?")."""
        said = normalize(_SET_ASIDE.sub(" ", affirmed(stem)))
        found = None
        for rule in self.comparisons:
            cells = [_cell(s.text) for s in rule.sides]
            side_of = {o: cells.index(c) for o, c in enumerate(map(_cell, options)) if c and cells.count(c) == 1}
            if len(set(side_of.values())) < 2:
                continue
            named = [o for o, side in side_of.items() if any(
                re.search(rf"(?<!\w){re.escape(n)}(?!\w)", said) for n in _names(rule.sides[side].label))]
            if len(named) != 1:
                continue
            if found is not None:
                return None  # two rows answer: neither decides
            found = named[0], rule, side_of[named[0]]
        return found


# "unlike a typical relational database", "rather than X": the side the stem sets aside
_SET_ASIDE = re.compile(r"\b(?:unlike|rather than|instead of|as opposed to|compared (?:with|to))\s+[^,.;?]+", re.I)


def _cell(text: str) -> str:
    return normalize(text).strip(" *.")


def _names(label: str) -> set[str]:
    """A column's names: its label, the label without its bracketed part, and the bracket's text ("NoSQL
    (Non-Relational DB)" → "nosql", "non-relational db")."""
    label = _cell(label)
    return {n for n in (label, *(" ".join(x.split()) for x in bracket_names(label))) if len(n) >= 2}
