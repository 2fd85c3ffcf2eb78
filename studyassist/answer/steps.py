"""A list of steps answers as the whole list when the question says its heading: "my VM won't start, what should I
check?" fits one item of the notes' "VM Won't Start: Check quotas; Check IAM permissions; …", and "how do I deploy a
web application?" one step of its workflow, but what the learner needs is every check, every step, in the notes'
order. A step that only ranks first is not enough: "how do I configure BGP on a Cloud Router?" (not in the notes)
got a web application's seven steps, which read as an authoritative answer (learner trial, stop 47). Any other list
answers whole when the question says its heading in full and asks for all of it ("what are the workspace roles?")
or what the heading's thing is ("what is a command job?": what its section says, then the list)."""
from __future__ import annotations

import re

from ingest.commands import is_step
from studyassist.answer.retrieval import Hit
from studyassist.answer.types import Claim, Composed
from studyassist.knowledge.model import KnowledgeBase, Rule
from studyassist.text import key_terms, sentences, singular

STEP_SHARE = 2 / 3  # of a list's items that must open with a verb of doing for it to be steps (not topics, not facts)
MIN_HEADING_TERMS = 2  # "Troubleshooting" alone is in too many questions to name one list
# A question asking for every item of something: "what are the workspace roles?", "list the security traps", "which
# roles are there?", "name all the …"
_ALL_OF = re.compile(r"\b(?:what|which) are (?:the |all (?:the )?|some (?:of )?the )?|\b(?:list|name|enumerate) "
                     r"(?:all |every )?(?:of )?(?:the )?|\b(?:what|which) (?:\w+ ){1,3}(?:are there|exist)\b", re.I)
# … or what the heading's thing is, or why it is used ("what is a command job?", "why use the Delta format?")
_ABOUT = re.compile(r"^\W*(?:what(?:'s| is| are)|why)\b", re.I)
OTHER_WORDS = 3  # a question about a heading says at most this many words besides it (else it is a scenario)
# … and asks for no one item of the list ("What is the most common relationship type?")
_ONE_OF = re.compile(r"\b(?:most|least|best|worst|main|default|first|last|\w+est)\b", re.I)
# … not how two things differ ("what is the difference between the workspace roles and item permissions?")
_COMPARES = re.compile(r"\b(?:differ\w*|difference|between|versus|vs|compared?|or)\b", re.I)
MAX_LISTED = 12  # a longer list is no answer to read at once


def _list_of(rule: Rule) -> str:
    return rule.id.rsplit("#", 1)[0]


def _items_of(kb: KnowledgeBase, rule: Rule) -> list[Rule]:
    """Every item of the list ``rule`` is an item of, in the notes' order."""
    return [r for r in kb.rules if r.kind == "list_item" and _list_of(r) == _list_of(rule)]


def _item(rule: Rule) -> str:
    """What the list says in the item (a point about the list's heading holds it as the situation)."""
    return rule.situation if rule.list_kind == "point" and rule.situation else rule.choice


def step_list(kb: KnowledgeBase, rule: Rule) -> list[Rule]:
    """The items of the list ``rule`` is an item of, when they are steps to take; else []."""
    if rule.kind != "list_item":
        return []
    items = _items_of(kb, rule)
    steps = sum(is_step(_item(r)) for r in items)
    return items if len(items) >= 2 and steps >= STEP_SHARE * len(items) else []


def steps_answer(kb: KnowledgeBase, rule: Rule) -> Composed | None:
    """Every step of the list ``rule`` is in, under the list's heading, each cited; None when it is no step list."""
    items = step_list(kb, rule)
    if not items:
        return None
    said = {r.situation for r in items if r.list_kind == "item"}  # (what the notes say of all of them, "It does NOT
    heading = f"**{_title(rule)}** — {min(said)}:" if len(said) == 1 and "" not in said else (  # support", first)
        f"The review's steps for **{_title(rule)}**:")
    claims = [Claim(text=heading, note=True)]
    claims += [Claim(text=_item(r).rstrip(".") + ".", rule_ids=[r.id], bullet=True) for r in items]
    return Composed(claims, None, [], [], True)


def _title(rule: Rule) -> str:
    return rule.section.rsplit(" > ", 1)[-1].strip()


def whole_list(kb: KnowledgeBase, rule: Rule, said: bool = False) -> Composed | None:
    """Every item of the list ``rule`` is in, under the list's heading, each cited ("**Admin** — Full control."); when
    the question asks what the heading's thing is (``said``), what the section says of it first."""
    items = _items_of(kb, rule)
    if not 2 <= len(items) <= MAX_LISTED:
        return None
    intro = next((s.intro for s in kb.sections if s.source_file == rule.source_file and s.path_text == rule.section),
                 "") if said else ""
    first = " ".join(x for x in sentences(intro) if not x.endswith(":"))  # (not "… the four roles are:")
    claims = [Claim(text=f"The review says: {first}", note=True)] if first else []
    claims.append(Claim(text=f"The review lists these under **{_title(rule)}**:", note=True))
    claims += [Claim(text=f"**{r.choice.rstrip('.:')}** — {r.situation.rstrip('.')}." if r.situation and
                     r.list_kind != "point" else _item(r).rstrip(".") + ".", rule_ids=[r.id], bullet=True)
               for r in items]
    return Composed(claims, None, [], [], True)


def _terms(text: str) -> set[str]:
    return {singular(t) for t in key_terms(text)}  # ("command job" says "Command jobs")


def asked_steps(kb: KnowledgeBase, hits: list[Hit], question: str) -> Composed | None:
    """The steps of a list among ``hits`` whose heading the question says ("my VM won't start" for "VM Won't Start",
    "how do I secure a database?" for "Secure a Database"), whichever row ranked first; or every item of a list whose
    heading it says in full when it asks for all of them ("what are the workspace roles?"), asks what the heading's
    thing is or why it is used ("what is a command job?"), or asks the question the heading asks ("What are
    Shortcuts?"); else None."""
    asked, whole = _terms(question), not _COMPARES.search(question)  # (a list answers no comparison)
    about = whole and bool(_ABOUT.search(question)) and not _ONE_OF.search(question)
    every = whole and bool(_ALL_OF.search(question))
    for h in hits:
        if h.rule is None or h.rule.kind != "list_item":
            continue
        heading = _terms(_title(h.rule))
        said = len(heading & asked)  # all of its words, or all but one of three or more ("SSH fails on my VM")
        if said >= MIN_HEADING_TERMS and said >= len(heading) - (len(heading) >= 3) and (
                out := steps_answer(kb, h.rule)):
            return out
        others = len(asked - heading)  # (a heading that asks the question: "What are Shortcuts?", nearly as asked)
        named = said >= MIN_HEADING_TERMS and (every or about and others <= OTHER_WORDS) or _title(
            h.rule).endswith("?") and others <= 1
        if whole and said == len(heading) > 0 and named and (
                out := whole_list(kb, h.rule, said=about)):
            return out
    return None
