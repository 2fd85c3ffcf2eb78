"""The citation verifier: every cited row must exist and support the sentence that cites it."""
from __future__ import annotations

import logging

from studyassist.answer.types import Claim
from studyassist.knowledge.model import KnowledgeBase, Rule
from studyassist.text import ConceptMatcher, key_terms, normalize

log = logging.getLogger(__name__)

# Share of a sentence's key terms that must appear in a row for the row to support it
# (when the sentence's decision label does not appear in the row).
MIN_TERM_OVERLAP = 0.5


def rule_text(rule: Rule) -> str:
    parts = [rule.choice, rule.situation, *rule.cells.values(), *rule.notes.values()]
    parts += [f"{s.label} {s.text}" for s in rule.sides]
    return " ".join(parts)


def supports(claim: Claim, rule: Rule, matcher: ConceptMatcher | None = None) -> bool:
    """True when the row backs the sentence: its label appears in the row (by name or alias), or,
    when the label names no known concept, at least half of the sentence's key terms do."""
    body = normalize(rule_text(rule))
    if claim.label:
        label = normalize(claim.label)
        if label and label in body:
            return True
        if matcher is not None:
            named = set(matcher.find(claim.label))
            if named and named & (set(rule.concepts) | set(rule.choice_concepts) | set(matcher.find(body))):
                return True
            if named:  # the sentence recommends a concept this row never mentions: shared words are not support
                return False
    terms = set(key_terms(claim.text))
    if not terms:
        return False
    row_terms = set(key_terms(body))
    return len(terms & row_terms) / len(terms) >= MIN_TERM_OVERLAP


def verify(claims: list[Claim], kb: KnowledgeBase, matcher: ConceptMatcher | None = None
           ) -> tuple[list[Claim], list[str]]:
    """Drop citations to unknown rows or rows that do not support their sentence; say so in warnings."""
    warnings: list[str] = []
    checked: list[Claim] = []
    for claim in claims:
        kept = []
        for i, rid in enumerate(claim.rule_ids):
            if not kb.has_rule(rid):
                warnings.append(f"Removed citation '{rid}': no such row in the review.")
                continue
            side = claim.model_copy(update={"label": claim.labels[i]}) if claim.labels and i < len(
                claim.labels) else claim
            if not supports(side, kb.rule(rid), matcher):
                warnings.append(f"Removed citation '{rid}': that row does not support \"{_short(claim.text)}\".")
                continue
            kept.append((rid, side.label))
        if claim.rule_ids and not kept:
            warnings.append(f"No remaining source supports \"{_short(claim.text)}\"; treat it with care.")
        kept = list(dict(kept).items())
        checked.append(claim.model_copy(update={"rule_ids": [rid for rid, _ in kept],
                                                "labels": [label for _, label in kept] if claim.labels else None}))
    return checked, warnings


def _short(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"
