"""What a stem holds fixed, and the options that would change it.

"Introduce the new version gradually without changing the URL or the credentials that the apps use"; "the service
name, URI, and keys must stay the same". An exam states such a constraint to rule options out: "a new service named
orders-v5", "… and then update the apps to call it". Embeddings and BM25 find those options closest, since they
repeat the stem's words; read as a change to what the stem keeps, they break it. Words of any exam's scenarios, not
one exam's.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from studyassist.solve.mcq import question_sentence
from studyassist.text import short_stems

# "without changing X", "X must stay the same", "X must not change."
_CHANGING = r"(?:chang|modify|modifi|edit|rewrit|alter|touch|replac|recreat|re-creat|renam|redeploy)\w*"
_KEEP = re.compile(rf"\bwithout\s+{_CHANGING}\s+(?P<a>[^.;:?!()]+)"
                   r"|(?P<b>[^.;:?!]+?)\s+(?:must|should|has to|have to|needs? to|will)\s+(?:stay|remain|be kept)\s+"
                   r"(?:the same|unchanged|as (?:it is|they are))"
                   r"|(?P<c>[^.;:?!]+?)\s+(?:must|should|may|can)\s*not\s+change\b(?=\s*(?:[.;,:?!]|$|when|after|if|"
                   r"during|while|between|across))", re.I)
# where the subject of "… must stay the same" begins: after the last clause word before it
_CLAUSE = re.compile(r".*\b(?:but|while|although|though|whereas|because|so|and then|however|yet)\b\s*", re.I)
# an option's change: the word, and the words it governs up to the next preposition or clause
_CHANGE = re.compile(r"\b(?:new|another|second|separate|different|updat\w*|chang\w*|replac\w*|recreat\w*|"
                     r"re-creat\w*|rewrit\w*|modif\w*|edit\w*|renam\w*|switch\w*|migrat\w*|mov(?:e|es|ing)|"
                     r"set|sets|setting|raise\w*|lower\w*|increas\w*|decreas\w*|reduc\w*|remov\w*|delet\w*|"
                     r"disabl\w*|shift\w*|adjust\w*|swap\w*|regenerat\w*|rotat\w*)\s+"
                     r"(?P<what>(?:(?!(?:for|under|in|on|at|with|that|which|who|to|from|into|behind|by|of|so|and|or|"
                     r"then|but)\b)[\w'/-]+\s*){1,4})", re.I)
_FILLER = frozenset(short_stems("the a an its their our your this that these those it them same existing current "
                                "one any all each new version"))
# "Which part of the definition should change?": the options are parts, and a part whose row is what the stem keeps
# ("Command: how the script is executed" when the script must not change) is not the one to change
_CHANGE_ASKED = re.compile(rf"\b(?:should|must|would|do you|needs? to|has to|have to)\s+(?:you\s+)?(?:be\s+)?"
                           rf"{_CHANGING}|\bupdat\w*|\bchang\w*\s*\?", re.I)
PENALTY = 0.5  # of its score an option loses when it changes what the stem keeps (as a denied clue does)


@dataclass(frozen=True)
class Kept:
    words: frozenset[str] = frozenset()  # what must not change, by its words' first five letters
    parts: bool = False  # whether the question asks which part to change (the options' rows are parts)


def kept(stem: str) -> Kept:
    """What ``stem`` says must not change; nothing when it says nothing of it."""
    words: set[str] = set()
    for m in _KEEP.finditer(stem):
        what = m.group("a") or _CLAUSE.sub("", m.group("b") or m.group("c") or "")
        words |= short_stems(what)
    return Kept(frozenset(words - _FILLER), bool(_CHANGE_ASKED.search(question_sentence(stem))))


def breaks(option: str, keep: Kept, row: str = "") -> bool:
    """Whether ``option`` makes new, or changes, something the stem keeps ("a new service" when the
    service's name must stay the same; "update the apps" when the apps' URL must), or, where the question asks which
    part to change, whether the ``row`` the option names is about what is kept."""
    return bool(keep.words) and (any(short_stems(m.group("what")) & keep.words for m in _CHANGE.finditer(option))
                                 or keep.parts and bool(short_stems(row) & keep.words))
