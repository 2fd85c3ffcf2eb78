"""A table's row named by the stem, its cell asked by the options: "Which algorithm does EIGRP use?" over "Protocol |
Algorithm | Description" is the option the EIGRP row holds ("Diffusing Update Algorithm (DUAL)" for its "DUAL
(Diffusing Update Algorithm)"), "Which port must the firewall allow for eBGP peering?" the one the BGP row holds
("TCP 179", not "UDP 179", which only shares a word with it).

Embeddings and BM25 see the row's name in the stem and read the options as needs to match against the rows'
situations; a notes table of attributes (one row per protocol, service or tier, a column per property) is better
read as a lookup. It answers only when the options are values the table holds (three or more of them, each mostly
in one row's cells), the stem names exactly one row (its name as words of the stem; "eBGP" names "BGP"), and one
option is mostly in that row's cells clearly more than any other option.
"""
from __future__ import annotations

import re

from studyassist.knowledge.attributes import named_rows
from studyassist.knowledge.model import KnowledgeBase, Rule

# An option is a value of a row when this share of its words is in the row's cells; the answer leads the next option
# by this share of its words.
HOLDS = 0.5
MARGIN = 0.25
# a word, a number or version ("10.0.1.5", "v1/v2"), or a run of symbols that is a token of its own ("@~", "@%")
_WORD = re.compile(r"[a-z0-9]+(?:[./][a-z0-9]+)*|[@#$%&~^*+=<>|!?]+")
_SMALL = frozenset("a an the of from by and or to in on for with its it is are be as at per via".split())


def words(text: str) -> frozenset[str]:
    """The words of ``text`` that tell values apart: lower case, numbers kept ("udp 520"), small words left out."""
    return frozenset(w for w in _WORD.findall(text.lower()) if w not in _SMALL)


class RowCells:
    """Per table of attributes: each row's rule, the pattern of a stem naming it, and the words of its other cells."""

    def __init__(self, kb: KnowledgeBase):  # (a comparison row's cells are the grids' lookups: named_rows skips them)
        self.tables: list[list[tuple[Rule, re.Pattern | None, frozenset[str]]]] = [
            [(r, naming, words(" ".join(v for v in r.cells.values() if v.strip() != r.choice.strip())))
             for r, naming in rows] for rows in named_rows(kb)]

    def pick(self, stem: str, options: list[str]) -> tuple[int, Rule, None] | None:
        """(option index, row, None) when the stem names one row of a table whose cells the options are, else None."""
        said = [words(o) for o in options]
        if not all(said):
            return None
        for rows in self.tables:
            named = [(r, cells) for r, naming, cells in rows if naming and naming.search(stem)]
            if len(named) != 1 or sum(max(len(o & cells) / len(o) for *_, cells in rows) >= HOLDS for o in said) < 3:
                continue
            rule, cells = named[0]
            shares = sorted(((len(o & cells) / len(o), i) for i, o in enumerate(said)), reverse=True)
            if shares[0][0] >= HOLDS and shares[0][0] - shares[1][0] >= MARGIN:
                return shares[0][1], rule, None
        return None
