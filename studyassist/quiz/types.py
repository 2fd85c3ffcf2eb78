"""A generated question, the limits of a quiz request, and the generator's drafts and distractor candidates."""
from __future__ import annotations

import random
from dataclasses import dataclass

from pydantic import BaseModel, Field

from studyassist.answer.types import Citation
from studyassist.errors import InputError
from studyassist.knowledge.model import KnowledgeBase, Rule

MAX_COUNT = 500
DIFFICULTIES = ("easy", "hard", "mixed")
# How an item's stem was made: the grounded frame (no LLM), reworded by the LLM, or the grounded frame
# because the LLM's rewrite failed or was rejected.
ORIGINS = ("grounded", "rewritten", "fallback")
OPTION_LETTERS = "ABCD"  # a generated question has four options


class QuizItem(BaseModel):
    """One generated question (the JSON contract is in docs/contracts.md)."""

    id: str
    stem: str
    options: list[str]
    answer: int
    explanation: str
    citations: list[Citation]
    rule_id: str
    area: str
    difficulty: str = Field(default="easy", exclude=True)
    option_rules: list[str | None] = Field(default_factory=list, exclude=True)
    # the review's choice behind each option when the pack words it otherwise (empty: the options are the choices)
    choices: list[str] = Field(default_factory=list, exclude=True)
    origin: str = Field(default="grounded", exclude=True)

    @property
    def review_choices(self) -> list[str]:
        """The review's choice behind each option (the options themselves unless the pack words them)."""
        return self.choices or self.options

    def contract(self) -> dict:
        """The item as `quiz --json`, `exam --json` and `review --drill --json` print it, with its difficulty
        ("easy": recall of a rule; "hard": the distractors are the rule's neighbours or the review's own trap)."""
        return self.model_dump(mode="json") | {"difficulty": self.difficulty}


def base_id(item_id: str) -> str:
    """The grounded item's id, also for a reworded item (whose id is the grounded id plus ``-r<hash>``)."""
    return item_id.split("-r", 1)[0]


def check_request(count, area, difficulty, kb: KnowledgeBase) -> None:
    """One-sentence errors for a bad count, area or difficulty."""
    if not isinstance(count, int) or count < 1 or count > MAX_COUNT:
        raise InputError(f"Ask for between 1 and {MAX_COUNT} questions (got {count}).")
    if area is not None and area not in {a.id for a in kb.areas}:
        raise InputError(f"Unknown area '{area}'; choose one of {', '.join(a.id for a in kb.areas)}.")
    if difficulty not in DIFFICULTIES:
        raise InputError(f"Unknown difficulty '{difficulty}'; choose easy, hard or mixed.")


@dataclass
class Draft:
    """One attempt at an item: the rule, how hard, the key and the stem; ``rng`` draws its distractors."""

    rule: Rule
    level: str
    side: int | None
    key: str
    stem: str
    rng: random.Random


@dataclass(frozen=True)
class Candidate:
    """A distractor: its text, the rule it is the choice of (if any) and the concepts it names."""

    text: str
    rule_id: str | None
    concepts: frozenset[str]
