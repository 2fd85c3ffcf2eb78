"""Questions that ask for a number ("how many deployments can an endpoint have?", "what's the maximum share I can
mirror?"): when none of the rows an answer cites holds a figure, the answer says the review gives none before it
says what the review does say, instead of passing a nearby rule off as the answer."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from studyassist.answer.citations import rule_text
from studyassist.answer.types import Claim
from studyassist.knowledge.model import Rule
from studyassist.text import normalize

# "How much traffic can I mirror?", "what's the max share …", "is there a limit on …": a question for a figure; a
# limit, quota or percentage merely mentioned ("mirror a percentage of traffic", "why is extra quota reserved?") is not
_AMOUNT = r"(max|maximum|minimum|upper limit|lower limit|limits?|quota|caps?|percentage|percent|size|number|count)"
_ASKS_NUMBER = re.compile(rf"\bhow (many|much|long|often|big|large|small|fast|frequently)\b|"
                          rf"\bwhat('s| is| are| was)? (the |a |its |their )?{_AMOUNT}\b|"
                          rf"\b(is|are) there (a |any )?{_AMOUNT}\b|"
                          rf"\b(max|maximum|minimum) (number|size|count|percentage|share|amount)\b|"
                          rf"\b(limits?|caps?|maximum|quota) (on|for|of) (the )?(number|size|count|percentage|share|"
                          rf"amount|traffic|instances|deployments|nodes|endpoints|requests)\b")
_FIGURE = re.compile(r"\d")
NO_NUMBER = "The review gives no number for this."


def asks_for_a_number(question: str) -> bool:
    return bool(_ASKS_NUMBER.search(normalize(question)))


def no_number_note(question: str, claims: list[Claim], rule: Callable[[str], Rule]) -> Claim | None:
    """The note that goes first when ``question`` asks for a number and no row the ``claims`` cite has a figure."""
    if not asks_for_a_number(question):
        return None
    cited = {rid for c in claims for rid in c.rule_ids}
    if not cited or _any_figure(rule(rid) for rid in cited):
        return None
    return Claim(text=NO_NUMBER, note=True)


def _any_figure(rules: Iterable[Rule]) -> bool:
    return any(_FIGURE.search(rule_text(r)) for r in rules)
