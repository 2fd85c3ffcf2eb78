"""What a question asks and which concepts it names, carried across the turns of a chat."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from .facets import FacetVectors
from .knowledge import KnowledgeBase
from .text import ConceptMatcher, normalize

# Order matters: the first pattern that matches decides the intent.
_INTENTS: list[tuple[str, re.Pattern[str]]] = [
    ("why_not", re.compile(r"\bwhy (not|wouldn'?t|shouldn'?t|isn'?t|is it not)\b|\bwhat'?s wrong with\b")),
    ("versus", re.compile(r"\b(vs\.?|versus|compared? (to|with)|difference between|differ(s|ence)?|distinguish)\b")),
    ("check_first", re.compile(r"\b((check|look at|inspect|examine|verify|do) (\w+ ){0,3}first|first (thing|step)|"
                               r"troubleshoot\w*|investigate|diagnos\w*|root cause|start with)\b")),
    ("capture", re.compile(r"\b(capture|record|what (should|must|do i|to) (be )?(version|verify|track|pin|log)\w*|"
                           r"what to verify|verify)\b")),
    ("when", re.compile(r"^\s*(and )?when\b|\bwhen (should|would|do|does|is|are|to|would)\b|\bin which (case|situation)")),
    ("why", re.compile(r"^\s*(and )?why\b")),
    ("define", re.compile(r"^\s*(what (is|are|does)|define|explain|meaning of|what's)\b")),
]
_NEGATIVE = re.compile(r"\b(wrong|bad|poor|not|avoid|shouldn'?t|never|inappropriate|unsuitable)\b")
_FOLLOW_UP = re.compile(r"^\s*(and|what about|how about|why not|but|so|then|what if|ok|okay)\b|"
                        r"\b(the other( one)?|that one|this one|instead)\b|^\s*why\??\s*$", re.I)
_OTHER = re.compile(r"\bthe other( one)?\b|\bthe alternative\b", re.I)

# A question naming no concept still resolves one by meaning when the cosine reaches this.
CONCEPT_SIMILARITY = 0.62


def detect_intent(question: str) -> tuple[str, bool]:
    """The kind of question (which / when / versus / why / why_not / check_first / capture / define)
    and whether it is asked in the negative ("when is X the wrong choice")."""
    q = normalize(question)
    for name, pattern in _INTENTS:
        if pattern.search(q):
            return name, bool(_NEGATIVE.search(q)) and name == "when"
    return "which", False


@dataclass
class Turn:
    question: str
    intent: str
    concepts: list[str]
    decision: str | None
    decision_concepts: list[str]
    alternatives: list[str]
    rule_ids: list[str]


@dataclass
class Conversation:
    """A chat's memory: enough of each turn to resolve "why not the other one?" and "and for batch?"."""

    turns: list[Turn] = field(default_factory=list)

    @property
    def last(self) -> Turn | None:
        return self.turns[-1] if self.turns else None

    def add(self, turn: Turn) -> None:
        self.turns.append(turn)
        del self.turns[:-20]


@dataclass(frozen=True)
class Resolved:
    """A question made self-contained: the text to search, its intent and its concepts."""

    query: str
    intent: str
    negative: bool
    concepts: list[str]
    follow_up: bool
    scenario: str  # the scenario the decision is about (the previous question for follow-ups)


class ConceptResolver:
    """Finds concepts by alias, then by embedding when no alias matches."""

    def __init__(self, kb: KnowledgeBase, matcher: ConceptMatcher, vectors: FacetVectors | None):
        self.kb, self.matcher, self.vectors = kb, matcher, vectors

    def by_alias(self, text: str) -> list[str]:
        return self.matcher.find(text)

    def by_meaning(self, vector: np.ndarray, top: int = 1) -> list[str]:
        if self.vectors is None or not len(self.vectors.concept_ids):
            return []
        sims = self.vectors.concepts @ vector
        best = np.argsort(-sims)[:top]
        return [self.vectors.concept_ids[i] for i in best if sims[i] >= CONCEPT_SIMILARITY]

    def resolve(self, question: str, conversation: Conversation | None, vector_of) -> Resolved:
        """Intent and concepts of ``question``, filling gaps from the previous turn."""
        intent, negative = detect_intent(question)
        concepts = self.by_alias(question)
        last = conversation.last if conversation else None
        follow_up = bool(last) and (bool(_FOLLOW_UP.search(question)) or len(question.split()) <= 4)
        if not follow_up:
            if not concepts and len(question.split()) <= 8:
                concepts = self.by_meaning(vector_of(question))
            return Resolved(question, intent, negative, concepts, False, question)
        if _OTHER.search(question) and last.alternatives:
            concepts = [c for c in last.alternatives if c not in last.decision_concepts][:1] + concepts
        if not concepts:
            concepts = self.by_meaning(vector_of(question)) or list(last.concepts)
        if intent == "which" and last.intent != "which":
            intent = last.intent
        if intent == "why" and not self.by_alias(question) and last.decision_concepts:
            concepts = list(last.decision_concepts)
        query = f"{question} {last.question}"
        return Resolved(query, intent, negative, concepts, True, last.question)
