"""The short name of what a rule recommends, as answers and the mistake log show it."""
from __future__ import annotations

import re

from studyassist.knowledge.model import KnowledgeBase, Rule
from studyassist.text import BRACKETED, positive_part, without_brackets

LEAD_WORDS = 4  # a long choice's lead clause of at most this many words names the decision
# where a lead clause ends, outside brackets ("Availability Set (FD: 3, UD: 20), …")
_LEAD_END = re.compile(r",|;| and |$")
_USE = re.compile(r"(?:always |instead )?(?:use|choose|pick|go with|switch to|need)\s+", re.I)
# a head that says something ("Data is lost — temp disk is ephemeral") is no name: the whole choice is kept
_STATEMENT = re.compile(r"\b(?:is|are|was|were|has|have|does|do|can|cannot|can't|don't|doesn't|uses|requires|must|"
                        r"only|not)\b", re.I)
_VERDICTS = {"no", "yes", "true", "false", "wrong", "correct"}  # "No — locks apply to everyone": the rest says it


def _unbracketed(text: str) -> str:
    """``text`` with what stands in brackets blanked out, each character kept in place."""
    return BRACKETED.sub(lambda m: " " * len(m.group()), text)


def decision_label(rule: Rule, kb: KnowledgeBase, generic: set[str] = frozenset()) -> str:
    """The short name of what a rule recommends; a long choice that names only ``generic`` concepts
    ("Shift traffic to previous deployment or …" for "Need rollback") is named by its situation's concept; an item
    of its own under a section about something is named with it ("Azure SQL Database: Elastic pools")."""
    label = _label(rule, kb, generic)
    if not rule.subject:
        return label
    subject = without_brackets(rule.subject) or rule.subject
    return label if subject.lower() in label.lower() else f"{subject}: {label}"


def _label(rule: Rule, kb: KnowledgeBase, generic: set[str]) -> str:
    if fix := rule.fix_side:  # "CI/CD pipeline: Using CI/CD as the tracker" is the trap; the decision is the fix
        return fix.text.rstrip(".")
    text = positive_part(rule.choice).rstrip(".")
    if not rule.anti_pattern and " — " in text:
        # "Availability Zones — 99.99% SLA": what the choice brings is not its name; but a correction that says
        # what to use names it ("Consumption plan has no VNet integration — use Premium plan")
        head, tail = text.split(" — ", 1)
        text = tail[m.end():] if (m := _USE.match(tail)) else tail if head.lower() in _VERDICTS else \
            text if _STATEMENT.search(head) else head
    if len(text.split()) <= 8:
        return text
    lead = text[:_LEAD_END.search(_unbracketed(text)).start()].strip()
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
