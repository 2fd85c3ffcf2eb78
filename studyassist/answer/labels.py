"""The short name of what a rule recommends, as answers and the mistake log show it."""
from __future__ import annotations

import re

from studyassist.knowledge.model import KnowledgeBase, Rule
from studyassist.text import positive_part

LEAD_WORDS = 4  # a long choice's lead clause of at most this many words names the decision


def decision_label(rule: Rule, kb: KnowledgeBase, generic: set[str] = frozenset()) -> str:
    """The short name of what a rule recommends; a long choice that names only ``generic`` concepts
    ("Shift traffic to previous deployment or …" for "Need rollback") is named by its situation's concept."""
    if fix := rule.fix_side:  # "CI/CD pipeline: Using CI/CD as the tracker" is the trap; the decision is the fix
        return fix.text.rstrip(".")
    text = positive_part(rule.choice).rstrip(".")
    if len(text.split()) <= 8:
        return text
    lead = re.split(r",|;| and ", text)[0].strip()
    # A long choice lists what to do in order, so its lead clause is the decision when it is short
    # enough to be a name; a concept named further down is not what it leads with. A comparison row
    # ("CI/CD pipeline: unit tests, …") is named by its concept instead.
    if (not rule.sides and len(lead.split()) <= LEAD_WORDS) or not rule.choice_concepts:
        return lead
    specific = [c for c in rule.choice_concepts if c not in generic]
    if not specific and not rule.sides:
        named = [c for c in rule.concepts if c not in generic and c not in rule.choice_concepts]
        specific = [c for c in named if kb.concept(c).label.lower() in rule.situation.lower()] or specific
    return kb.concept((specific or rule.choice_concepts)[0]).label
