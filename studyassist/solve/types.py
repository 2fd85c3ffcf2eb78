"""What solving returns: each option's fit to the rules, and the solution with its explanation."""
from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel, Field

from studyassist.answer.types import Citation
from studyassist.knowledge.facets import Facet


@dataclass
class OptionFit:
    """How one option of a question fits the rules."""

    score: float
    facet: Facet | None  # the rule the option is best explained by, in this scenario
    own: Facet | None  # the rule the option is the choice of, whatever the scenario
    anti: Facet | None
    commits: bool = False  # the option is the mistake (``facet``) the scenario commits, for "which trap is this?"
    # NOT/LEAST questions: the row the question is about that the option fits best, and the row elsewhere it fits
    # best when that one fits it better (where the odd one out belongs)
    inside: Facet | None = None
    elsewhere: Facet | None = None


class Solution(BaseModel):
    """What `solve` returns (the JSON contract is in docs/contracts.md)."""

    best: str
    scores: dict[str, float]
    explanation: str
    citations: list[Citation]
    chosen: str | None = None
    chosen_feedback: str | None = None
    # the letters to choose: just ``best`` unless the question asks for two or three ("Select two.")
    picks: list[str] = Field(default_factory=list)
    best_rule: str | None = Field(default=None, exclude=True)
    chosen_rule: str | None = Field(default=None, exclude=True)
    negated: bool = Field(default=False, exclude=True)
    warnings: list[str] = Field(default_factory=list)
    latency_ms: float = 0.0

    def contract(self) -> dict:
        return self.model_dump(mode="json")
