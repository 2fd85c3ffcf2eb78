"""Whether a stem and a rule's situation agree on what they rule out.

"Traffic must never travel across the public internet" shares its words with both "Private connection NOT over
public internet" and "Encrypted connection over public internet"; BM25 and a small embedding model score the two
alike, and the second names a connection the stem describes. Read with their negations, the stem agrees with the
first row: a row that negates what the stem negates fits it better ("no orchestration" for "does not need any
orchestration"). The other half, a row asking for what the stem rules out fitting less, is left to the pack's
denied clues and declined needs (solver.py): as a factor of 0.5 here it cost one question of the pack's external
set.

A question asking for what only one product or edition has ("available only in Terraform Cloud, not in the
open-source CLI") is not answered by a row saying what exists elsewhere too ("Features like … workspaces also exist in
the open-source CLI"): such a row names the options that are *not* exclusive, and its words fit the stem better than
the list of exclusive features does. A learner who picked an exclusive feature was told it "does not match any rule".
"""
from __future__ import annotations

import re

import numpy as np

from studyassist.knowledge.facets import Facet
from studyassist.knowledge.model import KnowledgeBase
from studyassist.knowledge.negation import negated_words
from studyassist.text import question_sentence

# How much a row's fit gains when it negates what the stem negates: when it shares at least this many of the stem's
# negated words (all of its own, if it negates fewer). Other exams' scenario questions (dev) 24 -> 25 of 36 at 0.5,
# 26 at 1.0 (the exam pack's eval unchanged at both).
AGREE = 1.0
SHARED = 2
# A row saying its things exist elsewhere too keeps this share of its fit to a question asking for what only one has.
INCLUSIVE = 0.3
EXCLUSIVE = re.compile(r"\b(only|exclusive(ly)?|solely|unique to)\b|\bnot (available |offered |included |found )?in\b",
                       re.I)
ALSO = re.compile(r"\b(also|as well|too)\b", re.I)  # (a row saying its things exist elsewhere too)


class Polarity:
    """Per facet, the words its rule's situation negates."""

    def __init__(self, kb: KnowledgeBase, facets: list[Facet]):
        self._negated = [negated_words(kb.rule(f.rule_id).situation) for f in facets]
        self._inclusive = np.array([bool(ALSO.search(kb.rule(f.rule_id).situation)) for f in facets], dtype=bool)

    def __call__(self, stem: str) -> np.ndarray:
        """A factor per facet for its fit to ``stem``: above 1 where the row rules out what the stem rules out, 1
        elsewhere (and everywhere for a stem that negates nothing)."""
        denied = negated_words(stem)
        factor = np.ones(len(self._negated))
        if denied:
            for i, negated in enumerate(self._negated):
                if negated and len(denied & negated) >= min(SHARED, len(negated)):
                    factor[i] = 1 + AGREE
        if EXCLUSIVE.search(question_sentence(stem)):
            factor = np.where(self._inclusive, INCLUSIVE * factor, factor)
        return factor
