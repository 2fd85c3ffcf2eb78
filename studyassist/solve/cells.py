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

from studyassist.knowledge.model import KnowledgeBase, Rule
from studyassist.text import bracket_names, without_brackets

# An option is a value of a row when this share of its words is in the row's cells; the answer leads the next option
# by this share of its words.
HOLDS = 0.5
MARGIN = 0.25
TABLE_ROWS = 3  # a table of fewer rows is no table of attributes
# a word, a number or version ("10.0.1.5", "v1/v2"), or a run of symbols that is a token of its own ("@~", "@%")
_WORD = re.compile(r"[a-z0-9]+(?:[./][a-z0-9]+)*|[@#$%&~^*+=<>|!?]+")
_SMALL = frozenset("a an the of from by and or to in on for with its it is are be as at per via".split())


def words(text: str) -> frozenset[str]:
    """The words of ``text`` that tell values apart: lower case, numbers kept ("udp 520"), small words left out."""
    return frozenset(w for w in _WORD.findall(text.lower()) if w not in _SMALL)


def _said(name: str, stem: str) -> bool:
    """Whether ``stem`` names a row by ``name``, without its bracket, or by a name its bracket gives ("Role-Based
    Access Control (RBAC)"; not "EIGRP (internal)" by "internal"): as whole words, or with one lower-case letter in
    front of it ("eBGP" and "iBGP" of "BGP")."""
    names = {name, without_brackets(name)} | {b for b in bracket_names(name)[1:] if re.search(r"[A-Z].*[A-Z]", b)}
    return any(re.search(rf"(?<![\w-])[a-z]?{re.escape(n)}(?![\w-])", stem) for n in names if len(n) >= 2)


class RowCells:
    """Per table of attributes: each row's rule, its name, and the words of its other cells."""

    def __init__(self, kb: KnowledgeBase):
        self.tables: list[list[tuple[Rule, frozenset[str]]]] = []
        for table in kb.tables:
            rules = [r for r in kb.rules_of(table.id) if r.choice.strip()]
            if table.lists_commands or len(rules) < TABLE_ROWS or any(r.sides for r in rules):
                continue  # (a comparison row's cells are the grids' lookups)
            self.tables.append([(r, words(" ".join(v for v in r.cells.values() if v.strip() != r.choice.strip())))
                                for r in rules])

    def pick(self, stem: str, options: list[str]) -> tuple[int, Rule, None] | None:
        """(option index, row, None) when the stem names one row of a table whose cells the options are, else None."""
        said = [words(o) for o in options]
        if not all(said):
            return None
        for rows in self.tables:
            held = [max(len(o & cells) / len(o) for _, cells in rows) for o in said]
            named = [(r, cells) for r, cells in rows if _said(r.choice.strip(), stem)]
            if sum(h >= HOLDS for h in held) < 3 or len(named) != 1:
                continue
            rule, cells = named[0]
            shares = sorted(((len(o & cells) / len(o), i) for i, o in enumerate(said)), reverse=True)
            if shares[0][0] >= HOLDS and shares[0][0] - shares[1][0] >= MARGIN:
                return shares[0][1], rule, None
        return None
