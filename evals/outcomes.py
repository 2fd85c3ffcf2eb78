"""What a system said to a gold item, in the form the scorers read (the project and the baseline alike)."""
from __future__ import annotations

from dataclasses import dataclass, field

from studyassist.answer.types import Claim, says_not_covered


@dataclass
class AskOutcome:
    decision: str | None = None
    answer: str = ""
    citations: list[str] = field(default_factory=list)
    ranked: list[str] = field(default_factory=list)
    statements: list[tuple[Claim, list[str]]] = field(default_factory=list)
    error: str | None = None
    confidence: str | None = None  # "confident" | "likely" | "unsure"; None for a system without one
    probability: float | None = None

    @property
    def not_covered(self) -> bool:
        return says_not_covered(self.answer)


@dataclass
class SolveOutcome:
    best: str | None = None
    feedback: str | None = None
    citations: list[str] = field(default_factory=list)
    error: str | None = None
    confidence: str | None = None
    probability: float | None = None
