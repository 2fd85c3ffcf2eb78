"""Prose rules beside a section's own rows: the rows say the same more precisely, so a search ranks such prose lower
unless the question names what it is about."""
from __future__ import annotations

from collections import defaultdict

from studyassist.knowledge.model import KnowledgeBase, Rule
from studyassist.text import key_terms


def beside_rows(kb: KnowledgeBase) -> dict[str, frozenset[str]]:
    """The prose rules (a passage, or what a heading's prose defines) in sections that hold other rules, each with the
    words of what it names (none for a passage): a question that names it asks about it. Items that only finish a
    sentence of the prose ("Super user access applies only to" / "- cases", "- leads") say nothing more precisely:
    a section holding only those holds no rows of its own (a trial's question about partner users' access found the
    section's prose first, and the answer led with another section's)."""
    named = {r.id: frozenset(key_terms(r.choice)) for r in kb.rules if r.id.rsplit("#", 1)[0].endswith("-defined")}
    prose = {r.id: r for r in kb.rules if r.kind == "passage" or r.id in named}
    members = finishing(kb.rules)
    ruled = {(r.source_file, r.section) for r in kb.rules if r.id not in prose and r.id not in members}
    return {rid: named.get(rid, frozenset()) for rid, r in prose.items() if (r.source_file, r.section) in ruled}


def finishing(rules: list[Rule]) -> set[str]:
    """The list items that finish a sentence over their list: two or more of one list whose situations are one
    sentence followed by their own name ("Super user access applies only to cases", "… only to leads")."""
    by_sentence: dict[tuple[str, str], list[str]] = defaultdict(list)
    for r in rules:
        if r.kind == "list_item" and r.choice and r.situation.endswith(f" {r.choice}"):
            by_sentence[(r.id.rsplit("#", 1)[0], r.situation[:-len(r.choice)])].append(r.id)
    return {rid for ids in by_sentence.values() if len(ids) >= 2 for rid in ids}
