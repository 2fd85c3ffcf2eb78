"""Attribute tables read across: "Type | Contiguous? | Overlapping? | Window size" or "File Format | Binary |
Orientation | Schema defined", one row per thing the options name and a short value per attribute column.

No row's text states a scenario, so neither embeddings nor BM25 see that "binary, row-oriented, embeds its own
schema" is the row "AVRO | Yes | Row | Yes". Each attribute column the stem speaks to votes, per row:
- a yes/no column (its cells are marks): the stem uses the header's words outside a negation ("a binary format")
  → +1 for a yes, -1 for a no; inside one ("no overlap") the other way round;
- any other column: a stem word that some of the column's values use and others do not ("row-oriented": Row, not
  Columnar) → +1 for the rows whose value uses it and, when the values repeat (kinds, not descriptions), -1 for the
  rows with another value; a negated word the reverse ("not when events arrive").
The option whose row leads every other option's by MIN_LEAD votes is lifted (``solve/compare.py`` weighs it).
"""
from __future__ import annotations

import re
from collections.abc import Callable
from functools import cached_property

from studyassist.knowledge.grades import extreme
from studyassist.knowledge.model import KnowledgeBase, Rule
from studyassist.knowledge.negation import affirmed, negated_spans
from studyassist.text import bracket_names, normalize, short_stems

MIN_ROWS, MIN_ATTRIBUTES = 3, 2  # an attribute table has at least this many rows and short-valued columns
VALUE_WORDS = 5  # an attribute's values are short: at most this many words
MIN_LEAD = 2
HEADER_SHARE = 0.5  # of a yes/no column's header words the stem must use to speak to it (all, a free question)
MARK_SHARE = 0.75  # of a column's filled cells that must be marks for it to be a yes/no column
_YES = {"✅", "✔", "✔️", "✓", "☑", "☑️", "yes", "y", "included", "supported", "√"}
_NO = {"❌", "✗", "✘", "✖", "✖️", "no", "n", "-", "–", "—", "not included", "not supported", "x"}
_EMPTY = {"", "n/a", "na", "-", "–", "—", "?", "tbd"}
NAMED_ROWS = 3  # a table of fewer rows is no table of things a text names by their row


def row_naming(name: str) -> re.Pattern | None:
    """The pattern of a text that names a row by ``name``, without its bracket, or by a name its bracket gives
    ("Role-Based Access Control (RBAC)"; not "EIGRP (internal)" by "internal"): as whole words, or with one
    lower-case letter in front of it ("eBGP" and "iBGP" of "BGP"). None for a row with no name of two characters."""
    first, *inside = bracket_names(name)
    names = sorted(n for n in {name, first, *(b for b in inside if re.search(r"[A-Z].*[A-Z]", b))} if len(n) >= 2)
    return re.compile(rf"(?<![\w-])[a-z]?(?:{'|'.join(map(re.escape, names))})(?![\w-])") if names else None


def named_rows(kb: KnowledgeBase) -> list[list[tuple[Rule, re.Pattern | None]]]:
    """Per table of things (not of commands or comparisons, of ``NAMED_ROWS`` rows or more), each row and the pattern
    of a text naming it (``row_naming``)."""
    out = []
    for table in kb.tables:
        rows = [r for r in kb.rules_of(table.id) if r.choice.strip()]
        if not table.lists_commands and len(rows) >= NAMED_ROWS and not any(r.sides for r in rows):
            out.append([(r, row_naming(r.choice.strip())) for r in rows])
    return out


def mark(text: str) -> bool | None:
    """A yes/no cell's answer ("✅", "No"), else None."""
    t = normalize(text).strip(" .*")
    return True if t in _YES else False if t in _NO else None


def _value(text: str) -> str:
    return normalize(text).strip(" *?.")


def cell_mark(value: str) -> bool | None:
    """A yes/no cell, also when a note follows its mark ("No window", "Yes (premium only)")."""
    whole = mark(value)
    return whole if whole is not None or not value else mark(value.split()[0].strip(",;:("))


def _short(values: list[str]) -> bool:
    filled = [v for v in values if v not in _EMPTY]
    return len(filled) >= 2 and len(set(filled)) >= 2 and all(len(v.split()) <= VALUE_WORDS for v in filled)


class AttributeTables:
    """The document's attribute tables: per table its rows, each column's values (as compared) and the columns
    whose values are short (the attributes that vote)."""

    def __init__(self, kb: KnowledgeBase):
        by_table: dict[str, list[Rule]] = {}
        for r in kb.table_rules:
            if r.table and r.cells:
                by_table.setdefault(r.table, []).append(r)
        self.tables: list[tuple[list[Rule], dict[str, list[str]], list[str]]] = []
        for rows in by_table.values():
            headers = list(rows[0].cells)
            if len(rows) < MIN_ROWS or any(list(r.cells) != headers for r in rows):
                continue
            values = {h: [_value(r.cells[h]) for r in rows] for h in headers}
            short = [h for h in headers if _short(values[h])]
            if len(short) >= MIN_ATTRIBUTES:
                self.tables.append((rows, values, short))
        self._kb = kb

    @cached_property
    def named(self) -> list[list[tuple[Rule, re.Pattern]]]:
        """Per table of things (``named_rows``), each row a text can name and the pattern of a text naming it (made
        on first use: only free questions ask for a row's cell by its name)."""
        return [[(r, p) for r, p in rows if p] for rows in named_rows(self._kb)]

    def described(self, question: str, choice_column: Callable[[Rule], str]) -> Rule | None:
        """The row a free question describes by its attributes ("which file format is binary, row-oriented and
        carries its own schema?"), of a table whose rows ``choice_column`` names and whose header the question uses
        ("format"), by the votes of its columns of marks or repeating kinds, at least ``MIN_ATTRIBUTES`` of which
        the question speaks to: the row that leads every other by ``MIN_LEAD`` votes; None when no table, or more
        than one, answers."""
        said, denied = _heard(question)
        extremes = [rows[i] for rows, _, _ in self.tables
                    if (i := extreme(question, list(rows[0].cells), [r.cells for r in rows])) is not None]
        if extremes:  # ("Which strategy has the fastest rollback?": the row of the extreme grade, grades.py)
            return extremes[0] if len(extremes) == 1 else None
        found = None
        for rows, values, short in self.tables:
            name = choice_column(rows[0])
            if name not in values or not short_stems(name) & said:
                continue
            # only columns of attributes vote, and the question must speak to two of them, by all of a yes/no
            # column's header words: a description ("Use case: Event-driven") or one word of a header ("managed"
            # identity for "Manage Resources") says nothing of a row's attributes
            columns = [_column_votes(values[c], c, said, denied, share=1.0) for c in short
                       if c != name and _telling(values[c])]
            if sum(any(v) for v in columns) < MIN_ATTRIBUTES:
                continue
            votes = [sum(v) for v in zip(*columns)]
            (second, _), (top, i) = sorted((v, i) for i, v in enumerate(votes))[-2:]
            if top - second >= MIN_LEAD:
                if found is not None:
                    return None
                found = rows[i]
        return found

    def pick(self, stem: str, options: list[str]) -> tuple[int, Rule, int] | None:
        """(option index, its row, its lead in votes) when one option's row is the one the stem describes."""
        said, denied = _heard(stem)
        found = None
        for rows, values, short in self.tables:
            for name, names in values.items():
                row_of = _rows_named(names, options)
                if sum(r is not None for r in row_of) < 2:
                    continue
                named = [(o, rows[r]) for o, r in enumerate(row_of) if r is not None]  # (the fastest of the options)
                if (i := extreme(stem, list(rows[0].cells), [r.cells for _, r in named])) is not None:
                    return named[i][0], named[i][1], MIN_LEAD
                votes = _votes(values, short, name, said, denied)
                ranked = sorted((votes[r], o) for o, r in enumerate(row_of) if r is not None)
                (second, _), (top, o) = ranked[-2], ranked[-1]
                if top - second >= MIN_LEAD:
                    if found is not None:
                        return None  # two tables answer: neither decides
                    found = o, rows[row_of[o]], top - second
        return found


def _heard(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """The word stems a question says outside a negation, and those it says inside one ("no overlap")."""
    return short_stems(affirmed(text)), short_stems(" ".join(text[s:e] for s, e in negated_spans(text)))


def _votes(values: dict[str, list[str]], short: list[str], name: str, said: frozenset[str],
           denied: frozenset[str]) -> list[int]:
    """Each row's votes from every short-valued column but the one that names the rows."""
    votes = [0] * len(values[name])
    for column in short:
        if column != name:
            for i, v in enumerate(_column_votes(values[column], column, said, denied)):
                votes[i] += v
    return votes


def _telling(values: list[str]) -> bool:
    """Whether a column's values are attributes one row has and another has not: yes/no marks, or kinds that
    repeat ("Row", "Columnar"), not one description per row."""
    filled = [v for v in values if v not in _EMPTY]
    return sum(cell_mark(v) is not None for v in filled) >= MARK_SHARE * len(filled) or len(set(filled)) < len(filled)


def _rows_named(values: list[str], options: list[str]) -> list[int | None]:
    """The row each option names by its value in a column (``values``, as the option's words), or None."""
    out: list[int | None] = []
    for o in map(_value, options):
        found = [i for i, v in enumerate(values) if v not in _EMPTY and f" {v} " in f" {o} "]
        out.append(max(found, key=lambda i: len(values[i])) if found else None)
    return out if len({r for r in out if r is not None}) == sum(r is not None for r in out) else [None] * len(out)


def _column_votes(values: list[str], column: str, said: frozenset[str], denied: frozenset[str],
                  share: float = HEADER_SHARE) -> list[int]:
    """Each row's vote from one short-valued column (its ``values``, headed ``column``)."""
    filled = [v for v in values if v not in _EMPTY]
    marks = [cell_mark(v) for v in values]
    if sum(m is not None for m in marks) >= MARK_SHARE * len(filled):
        header = short_stems(column)
        need = share * len(header)
        want = 1 if header and len(header & said) >= need else -1 if header and len(header & denied) >= need else 0
        return [want * (1 if m else -1) if m is not None else 0 for m in marks]
    words = [short_stems(v) if v not in _EMPTY else frozenset() for v in values]
    used = frozenset().union(*words)
    shared = frozenset.intersection(*[w for w in words if w]) if any(words) else frozenset()
    telling = used - shared - short_stems(column)
    kinds = len(set(filled)) < len(filled)  # values that repeat are kinds ("Row", "Columnar"): one rules out another
    out = [0] * len(values)
    for stems, sign in ((said & telling, 1), (denied & telling, -1)):
        if stems:
            for i, w in enumerate(words):
                if w and (w & stems or kinds):
                    out[i] += sign if w & stems else -sign
    return out
