"""What solving returns: each option's fit to the rules, and the solution with its explanation."""
from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
from pydantic import BaseModel, Field

from studyassist.answer.confidence import Level
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

    def lifted(self, by: float, facet: Facet | None) -> OptionFit:
        """This fit with ``by`` added to its score and explained by ``facet`` when one is given, all else kept."""
        return replace(self, score=self.score + by, facet=facet or self.facet)


@dataclass
class Scored:
    """A question's options scored against the rules, with what the scoring saw of the stem."""

    fits: list[OptionFit]
    negated: bool  # a NOT/LEAST question: the answer is the option that fits least
    stem_vector: np.ndarray
    relevance: dict[str, float] = field(default_factory=dict)  # rule id -> share of the best retrieval score
    row_similarity: float = 0.0  # cosine of the stem to its closest row
    option_vectors: np.ndarray | None = None  # the options' embeddings, one row each
    set_aside: frozenset[int] = frozenset()  # options naming what the stem declines or sets aside


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
    # how sure the answer is (see answer/confidence.py): only "confident" may say right or wrong, or be logged
    confidence: Level = "unsure"
    probability: float | None = None  # calibrated on dev data; None without a fitted model
    signals: dict[str, float] = Field(default_factory=dict, exclude=True)

    def contract(self) -> dict:
        return self.model_dump(mode="json")
