"""Exam clue words and the review's own vocabulary for them, used to expand a scenario before search.

Practice questions describe a situation ("within 150 ms while the terminal waits", "every night") where the
review states the rule in its own terms ("immediate prediction", "on a schedule"). Which clues exist is exam
knowledge: they come from the exam pack's ``clues.toml``. Without a pack nothing is expanded.

A clue under a negation ("there is no latency requirement", "nobody waits for the result") is not a clue for
what it names: it never expands the search, and the words that carry it are taken out of the searched text,
unless the pack marks the clue as naming its topic either way ("without any stored credentials"); nor does it
cancel another clue.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from studyassist.knowledge.negation import is_negated
from studyassist.pack import ClueSpec
from studyassist.text import asking_spans


class Clues:
    """The pack's clue patterns, compiled once."""

    def __init__(self, specs: Sequence[ClueSpec] = ()):
        self._compiled = [(re.compile(c.pattern, re.I), c.terms,
                           re.compile(c.unless, re.I | re.S) if c.unless else None, c.negation == "flips")
                          for c in specs]
        self._asked = [c.asked for c in specs]
        # the quiz verifier, the solver and the explainer all look at the same stem
        self._read = lru_cache(maxsize=2048)(self._read_text)

    def __len__(self) -> int:
        return len(self._compiled)

    def matched(self, text: str) -> tuple[tuple[str, str], ...]:
        """(the clue phrase as written in ``text``, the review terms it stands for) for every clue it asserts."""
        return self._read(text)[0]

    def denied(self, text: str) -> tuple[tuple[str, str], ...]:
        """(phrase, terms) for every clue ``text`` negates ("no latency requirement"): evidence against its rule."""
        return self._read(text)[1]

    def expand(self, text: str) -> str:
        """``text`` without the clues it negates, plus the review's terms for every clue it asserts (unchanged when
        it has neither)."""
        asserted, _, spans = self._read(text)
        for start, end in sorted(spans, reverse=True):
            text = text[:start] + text[end:]
        if spans:
            text = " ".join(text.split())
        extra = [terms for _, terms in asserted]
        return f"{text} ({'; '.join(extra)})" if extra else text

    def _read_text(self, text: str):
        asserted, denied, spans = [], [], []
        # each clue's matches, read once, each with whether the text negates it (only where negation flips the clue)
        asking = asking_spans(text) if any(self._asked) else []  # (only an `asked` clue reads it)
        read = [[(m, flips and is_negated(text, *m.span())) for m in pattern.finditer(text)
                 if not asked or any(s <= m.start() and m.end() <= e for s, e in asking)]
                for (pattern, _, _, flips), asked in zip(self._compiled, self._asked)]
        # a clue the text negates cancels no other clue: "we don't need anything real-time" does not make "every
        # night" a traffic pattern (an `unless` that is itself a negation, "without any keys", still cancels)
        negated = [m.span() for found in read for m, no in found if no]
        for (_, terms, unless, _), found in zip(self._compiled, read):
            if unless and any(not any(s <= m.start() and m.end() <= e for s, e in negated)
                              for m in unless.finditer(text)):
                continue
            for m, no in found:
                if not no:
                    asserted.append((m.group(0), terms))
                    break
                denied.append((m.group(0), terms))
                spans.append(m.span())
        denied = [d for d in dict.fromkeys(denied) if d[1] not in {t for _, t in asserted}]
        return tuple(asserted), tuple(denied), tuple(_disjoint(spans))


def _disjoint(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out
