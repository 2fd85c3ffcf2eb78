"""The search behind an answer: the question as resolved, its text and vector, and what the composer made of it.

A follow-up with a scenario of its own is asked alone (see ``resolve.OWN_SCENARIO_WORDS``); when the review has
nothing for it alone ("ok and suppose it comes up healthy, but every request gets a 500 back?"), it is asked again
with the turn it follows, as a shorter follow-up is: its own words were not enough after all.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from studyassist.answer.composer import Composed, Composer
from studyassist.answer.resolve import Resolved


@dataclass(frozen=True)
class Searched:
    resolved: Resolved
    text: str  # the text searched for (the resolved query, widened by the exam's clue words)
    vector: np.ndarray
    composed: Composed


def compose_for(composer: Composer, expand: Callable[[str], str], vector_of: Callable[[str], np.ndarray],
                question: str, resolved: Resolved, asked: tuple[str, np.ndarray], previous: list[str]) -> Searched:
    """Compose the answer to ``resolved``; ``asked`` is the question's own widened text and vector (reused when the
    resolved query is the question itself)."""
    text = asked[0] if resolved.query == question else expand(resolved.query)
    vector = asked[1] if resolved.query == question else vector_of(text)
    resolved = composer.found_table(resolved, vector)
    composed = composer.compose(resolved, vector, previous)
    if not composed.covered and resolved.follow_up and resolved.query == question != resolved.scenario:
        again = replace(resolved, query=f"{question} {resolved.scenario}")
        text = expand(again.query)
        vector = vector_of(text)
        retried = composer.compose(again, vector, previous)
        if retried.covered:
            return Searched(again, text, vector, retried)
        text, vector = asked
    return Searched(resolved, text, vector, composed)
