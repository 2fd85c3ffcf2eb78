"""Scenarios with several requirements over a comparison grid: "route /images and /checkout to different pools …
Which service?" over "Feature | Azure Load Balancer | Application Gateway" with rows "Routing | IP + Port | URL
path, hostname, headers" and "SSL Termination | ❌ | ✅". No single row decides; each row the stem speaks to
votes for a column.

A row votes +1 for a column when the stem, outside its negations, uses words of that column's cell that no other
cell of the row uses ("URL" → Application Gateway), or names the row's feature and the cell is a yes mark; it votes
-1 when the stem uses those words in a negation ("does not want to make any DNS changes" against the column whose
"DNS change required?" is yes; "on-premises access is not needed" against the column for "on-prem"). A column
that exactly one option names and that leads every other column an option names by MIN_LEAD votes lifts that
option (``bonus``: the other options are weighed by the rules alone, so a grid never overrules a better row
elsewhere). Words match on their first five letters ("decrypted" is not "termination"; "on-premises" is "on-prem").
"""
from __future__ import annotations

from studyassist.knowledge.attributes import AttributeTables, mark
from studyassist.knowledge.model import KnowledgeBase, Rule
from studyassist.knowledge.negation import affirmed, negated_spans
from studyassist.text import normalize, short_stems

MIN_LEAD = 2  # votes a column must lead by: one row alone may be a coincidence of words
# per vote its column leads by, an option gains this share of the best option's score (0.5 did the same on the
# other exams' scenario questions; a share, as scores differ in scale from question to question)
VOTE_WEIGHT = 0.25
FEATURE_SHARE = 0.5  # of a yes/no row's feature words the stem must use to name it


class GridVotes:
    """The review's comparison tables whose rows compare the same columns, for votes over several rows."""

    def __init__(self, kb: KnowledgeBase):
        self.attributes = AttributeTables(kb)
        self.grids: dict[tuple[str, tuple[str, ...]], list[Rule]] = {}
        for r in kb.table_rules:
            if len(r.sides) >= 2:
                self.grids.setdefault((r.table or "", tuple(normalize(s.label) for s in r.sides)), []).append(r)

    def pick(self, stem: str, options: list[str]) -> tuple[int, Rule, int, int] | None:
        """(option index, the row that votes most for its column, column index, its lead in votes), or None."""
        said = short_stems(affirmed(stem))
        denied = short_stems(" ".join(stem[s:e] for s, e in negated_spans(stem)))
        found = None
        for (_, columns), rows in self.grids.items():
            column_of = [_column(normalize(o), columns) for o in options]
            named = {c for c in column_of if c is not None}
            if len(named) < 2:
                continue
            per_row = [_row_votes(r, said, denied) for r in rows]
            votes = [sum(v[c] for v in per_row) for c in range(len(columns))]
            top, second = sorted(named, key=lambda c: votes[c], reverse=True)[:2]
            if votes[top] - votes[second] < MIN_LEAD or column_of.count(top) != 1:
                continue
            if found is not None:
                return None  # two grids answer: neither decides
            # cited: the row that votes most for the column, or (won by votes against the others) most against one
            row = max(zip(rows, per_row), key=lambda x: (x[1][top], -min(x[1])))[0]
            found = column_of.index(top), row, top, votes[top] - votes[second]
        return found

    def bonus(self, stem: str, options: list[str]) -> tuple[int, str, float] | None:
        """(option index, the facet key of the row that votes most for it, the share of the best option's score it
        gains), or None: ``pick`` as the solver weighs it."""
        if found := self.pick(stem, options):
            return found[0], f"{found[1].id}@{found[2]}", VOTE_WEIGHT * found[3]
        across = self.attributes.pick(stem, options)  # (a table with one row per option: knowledge/attributes.py)
        return (across[0], across[1].id, VOTE_WEIGHT * across[2]) if across else None


def _column(option: str, columns: tuple[str, ...]) -> int | None:
    """The column an option names: the longest column label among its words ("A private endpoint" → "Private
    Endpoint"; "Azure Load Balancer Basic" → "Azure Load Balancer")."""
    found = [i for i, c in enumerate(columns) if c and f" {c} " in f" {option} "]
    return max(found, key=lambda i: len(columns[i])) if found else None


def _meets(words: frozenset[str], other: frozenset[str]) -> int:
    """How many of ``words`` are in ``other``, or begin one of them or are begun by one in at least four letters
    ("prem" of "on-prem" and "premi" of "on-premises")."""
    return sum(w in other or any(min(len(w), len(o)) >= 4 and (w.startswith(o) or o.startswith(w)) for o in other)
               for w in words)


def _row_votes(r: Rule, said: frozenset[str], denied: frozenset[str]) -> list[int]:
    marks = [mark(s.text) for s in r.sides]
    if any(m is not None for m in marks):
        # a cell beside a no that is no mark itself says yes with a note ("✅ (Private DNS Zone)" kept as its note)
        marks = [m if m is not None else (False in marks) for m in marks]
        feature = short_stems(r.situation)
        if not feature or len(set(marks)) < 2:
            return [0] * len(marks)
        share = FEATURE_SHARE * len(feature)
        sign = 1 if _meets(feature, said) >= share else -1 if _meets(feature, denied) >= share else 0
        return [sign if m else 0 for m in marks]
    # a cell's words that name its row or a column ("Per vault" under "Vault Access Policy") say which table, not
    # which column: a stem about vaults names every one of them
    named = short_stems(r.situation) | short_stems(" ".join(s.label for s in r.sides))
    cells = [short_stems(s.text) - named for s in r.sides]
    out = []
    for c, cell in enumerate(cells):
        own = cell - frozenset().union(*(o for i, o in enumerate(cells) if i != c))
        out.append((1 if _meets(own, said) else 0) - (1 if _meets(own, denied) else 0))
    return out
