"""Exam clue words and the review's own vocabulary for them, used to expand a scenario before search.

Practice questions describe a situation ("within 150 ms while the terminal waits", "every night") where the
review states the rule in its own terms ("immediate prediction", "on a schedule"). Which clues exist is exam
knowledge: they come from the exam pack's ``clues.toml``. Without a pack nothing is expanded.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from studyassist.pack import ClueSpec


class Clues:
    """The pack's clue patterns, compiled once."""

    def __init__(self, specs: Sequence[ClueSpec] = ()):
        self._compiled = [(re.compile(c.pattern, re.I), c.terms,
                           re.compile(c.unless, re.I | re.S) if c.unless else None) for c in specs]
        # the quiz verifier, the solver and the explainer all look at the same stem
        self.matched = lru_cache(maxsize=2048)(self._matched)

    def __len__(self) -> int:
        return len(self._compiled)

    def expand(self, text: str) -> str:
        """``text`` plus the review's terms for every clue it contains (unchanged when none match)."""
        extra = [terms for _, terms in self.matched(text)]
        return f"{text} ({'; '.join(extra)})" if extra else text

    def _matched(self, text: str) -> tuple[tuple[str, str], ...]:
        """(the clue phrase as written in ``text``, the review terms it stands for) for every clue found."""
        out = []
        for pattern, terms, unless in self._compiled:
            m = pattern.search(text)
            if m and not (unless and unless.search(text)):
                out.append((m.group(0), terms))
        return tuple(out)
