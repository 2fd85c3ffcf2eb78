"""How fully an option names a rule's choice: by the cosine of their embeddings, unless it names a sibling.

An option that is another member of a choice's family does not name that choice: "Hopping window" embeds close to
"Tumbling window", and "Geo-redundant storage" close to "Zone-redundant storage": the same head noun under other
modifiers names a sibling, not the choice. A name that only adds words ("Azure SQL Database" for "SQL Database") or
ends in another head ("Cloud SQL instance" for "SQL Database") still may.
"""
from __future__ import annotations

import numpy as np

from studyassist.knowledge.facets import Facet
from studyassist.text import key_terms

# Cosine of an option to a rule's choice that counts as naming it, and where that credit saturates.
MATCH_FLOOR, MATCH_FULL = 0.45, 0.85  # (to one of the pack's wordings of it too: solve/wordings.py)
NAME_TERMS = 4  # longer options are statements: their last word is no head noun


def named_share(cosine: np.ndarray, floor: float = MATCH_FLOOR) -> np.ndarray:
    """How fully a cosine names what it is measured against: 0 at ``floor``, 1 from ``MATCH_FULL``."""
    return np.clip((cosine - floor) / (MATCH_FULL - floor), 0, 1)


def _head_and_modifiers(text: str) -> tuple[str, frozenset[str]] | None:
    terms = key_terms(text)
    if not 2 <= len(terms) <= NAME_TERMS:
        return None
    return terms[-1], frozenset(terms[:-1])


class SiblingNames:
    """Which choices each option is a sibling of, by the choices' labels."""

    def __init__(self, facets: list[Facet]):
        self._labels = [_head_and_modifiers(f.label) for f in facets]
        self._by_head: dict[str, list[int]] = {}
        for i, parts in enumerate(self._labels):
            if parts is not None:
                self._by_head.setdefault(parts[0], []).append(i)

    def kept(self, options: tuple[str, ...] | list[str]) -> np.ndarray:
        """Per option and choice: 0 where the option is a sibling of the choice's name, else 1."""
        out = np.ones((len(options), len(self._labels)))
        for o, text in enumerate(options):
            parts = _head_and_modifiers(text)
            if parts is None:
                continue
            head, modifiers = parts
            for i in self._by_head.get(head, ()):
                theirs = self._labels[i][1]
                if modifiers - theirs and theirs - modifiers:
                    out[o, i] = 0.0
        return out
