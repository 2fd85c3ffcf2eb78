"""Which column of a table states the situation and which the choice, read from the header words."""
from __future__ import annotations

import re
from dataclasses import dataclass

# Header words of a column that states a scenario, clue or requirement.
SITUATION_WORDS = ("if the scenario", "scenario", "requirement", "symptom", "clue", "situation", "need",
                   "when the", "question")
# Header words of a column that names what to choose or do.
CHOICE_WORDS = ("prefer", "better fit", "best fit option", "response", "answer", "likely area", "first thinking",
                "pattern", "action", "choice", "recommend", "use this", "solution", "option to choose")
# Header words of a column that describes a named thing (so the named thing is the choice).
DESCRIPTION_WORDS = ("meaning", "purpose", "when to use", "best fit", "watch", "trap", "example", "know",
                     "decision point", "what to", "why", "description", "definition", "use case", "capture",
                     "verify", "practical")
# First-column words of a comparison table whose other columns are the things compared.
ASPECT_WORDS = ("area", "aspect", "dimension", "criterion", "criteria", "feature", "attribute")


@dataclass(frozen=True)
class Orientation:
    kind: str  # clue_choice | choice_when | comparison
    situation_column: int
    choice_column: int
    source: str  # detected | override | default


def _has(header: str, words: tuple[str, ...]) -> bool:
    h = re.sub(r"[…*_]", " ", header.lower())
    return any(w in h for w in words)


def detect(columns: list[str]) -> Orientation:
    """Orientation of a table from its header row."""
    if len(columns) >= 2 and _has(columns[0], SITUATION_WORDS):
        choice = next((i for i, c in enumerate(columns[1:], 1) if _has(c, CHOICE_WORDS)), 1)
        return Orientation("clue_choice", 0, choice, "detected")
    if (len(columns) >= 3 and _has(columns[0], ASPECT_WORDS)
            and not any(_has(c, DESCRIPTION_WORDS + CHOICE_WORDS) for c in columns[1:])):
        return Orientation("comparison", 0, 1, "detected")
    if len(columns) >= 2 and any(_has(c, DESCRIPTION_WORDS) for c in columns[1:]):
        situation = next(i for i, c in enumerate(columns[1:], 1) if _has(c, DESCRIPTION_WORDS))
        return Orientation("choice_when", situation, 0, "detected")
    if len(columns) >= 2 and _has(columns[1], CHOICE_WORDS):
        return Orientation("clue_choice", 0, 1, "detected")
    return Orientation("choice_when", 1 if len(columns) > 1 else 0, 0, "default")


def from_override(columns: list[str], spec: dict) -> Orientation:
    """Orientation forced by the per-document override file."""
    def col(name_or_index: str | int) -> int:
        if isinstance(name_or_index, int):
            return name_or_index
        lowered = [c.lower() for c in columns]
        return lowered.index(name_or_index.lower())
    return Orientation(spec["orientation"], col(spec.get("situation", 1)), col(spec.get("choice", 0)), "override")
