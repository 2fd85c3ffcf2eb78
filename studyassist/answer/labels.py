"""The short name of what a rule recommends, as answers and the mistake log show it."""
from __future__ import annotations

import re

from studyassist.knowledge.model import KnowledgeBase, Rule
from studyassist.text import BRACKETED, key_terms, positive_part, without_brackets

LEAD_WORDS = 4  # a long choice's lead clause of at most this many words names the decision
# where a lead clause ends, outside brackets ("Availability Set (FD: 3, UD: 20), …")
_LEAD_END = re.compile(r",|;| and |$")
_USE = re.compile(r"(?:always |instead )?(?:use|choose|pick|go with|switch to|need)\s+", re.I)
# a head that says something ("Data is lost — temp disk is ephemeral") is no name: the whole choice is kept
_STATEMENT = re.compile(r"\b(?:is|are|was|were|has|have|does|do|can|cannot|can't|don't|doesn't|uses|requires|must|"
                        r"only|not)\b", re.I)
_VERDICTS = {"no", "yes", "true", "false", "wrong", "correct"}  # "No — locks apply to everyone": the rest says it
# a question that asks for a thing or an amount ("Which licence must the firm acquire?", "How long must she wait?"),
# not what something is or does ("What is PIM?", "What does it require?")
_ASKS_THING = re.compile(r"\b(?:which|what)\s+(?!(?:is|are|was|were|does|do|did|should|would|can|could|will|must|"
                         r"happens|means|if|about)\b)[a-z]|\bhow\s+(?:long|many|much|often|big|large|small)\b", re.I)


def _unbracketed(text: str) -> str:
    """``text`` with what stands in brackets blanked out, each character kept in place."""
    return BRACKETED.sub(lambda m: " " * len(m.group()), text)


def decision_label(rule: Rule, kb: KnowledgeBase, generic: set[str] = frozenset()) -> str:
    """The short name of what a rule recommends; a long choice that names only ``generic`` concepts
    ("Shift traffic to previous deployment or …" for "Need rollback") is named by its situation's concept; an item
    of its own under a section about something is named with it ("Azure SQL Database: Elastic pools"); a bare point
    nested under an item that names and defines something ("One-to-Many: Dimension to Fact" > "Most common") is a
    point about that thing (not one of the things listed under a label: "Variable Precedence:" > "default values")."""
    if rule.under and not rule.situation and rule.kind == "list_item" and not rule.subject and _defined_above(rule, kb):
        return without_brackets(rule.under) or rule.under
    label = _label(rule, kb, generic)
    if not rule.subject:
        return label
    subject = without_brackets(rule.subject) or rule.subject
    return label if subject.lower() in label.lower() else f"{subject}: {label}"


def _defined_above(rule: Rule, kb: KnowledgeBase) -> bool:
    """Whether an item of ``rule``'s list before it is the one it is nested under, naming and defining something."""
    list_id = rule.id.rsplit("#", 1)[0]
    above = [kb.rule(rid) for n in range(1, rule.row) if kb.has_rule(rid := f"{list_id}#{n}")]
    return any(r.choice == rule.under != r.under and r.situation for r in above)  # (not "Common scenarios:", whose
    # first nested item was read as its text)


def _label(rule: Rule, kb: KnowledgeBase, generic: set[str]) -> str:
    if fix := rule.fix_side:  # "CI/CD pipeline: Using CI/CD as the tracker" is the trap; the decision is the fix
        return fix.text.rstrip(".")
    text = positive_part(rule.choice).rstrip(".")
    if not rule.anti_pattern and " — " in _unbracketed(text):  # (not inside a bracket: "Identity (Domain 1 — …)")
        # "Availability Zones — 99.99% SLA": what the choice brings is not its name; but a correction that says
        # what to use names it ("Consumption plan has no VNet integration — use Premium plan")
        at = _unbracketed(text).index(" — ")
        head, tail = text[:at], text[at + 3:]
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


def stressed_name(span: str) -> bool:
    """Whether a span a document stressed is a name or an amount ("Entra ID P2", "/26"), not a statement ("CANNOT
    be disabled")."""
    return len(span.split()) <= LEAD_WORDS and not _STATEMENT.search(span)


def stressed_answer(kb: KnowledgeBase, claims: list, decision: str | None, question: str) -> str | None:
    """The decision of an answer whose first claim is a list item that is a point under a heading ("Bastion Subnet
    Requirements" over "Minimum **/26** prefix"): asked for a thing or an amount, the first name or amount the item's
    author stressed that the question does not already say ("/26"); else ``decision`` as it is."""
    rule_ids = claims[0].rule_ids if claims else []
    asked = re.split(r"(?<=[.!?])\s+", question.strip().rstrip("?").strip())[-1]
    if decision is None or len(rule_ids) != 1 or not kb.has_rule(rule_ids[0]) or not _ASKS_THING.search(asked):
        return decision
    rule, said = kb.rule(rule_ids[0]), set(key_terms(question))
    if rule.kind != "list_item" or rule.list_kind != "point" or rule.anti_pattern:  # (an item's own name stays)
        return decision
    new = [s for s in rule.stressed if stressed_name(s)
           and not (s.lower() in question.lower() or (t := set(key_terms(s))) and t <= said)]
    return new[0] if new else decision
