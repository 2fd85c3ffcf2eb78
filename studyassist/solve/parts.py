"""Options that are the parts of one rule's list: "Which Zero Trust principle is being applied?" over "Verify
explicitly", "Least privilege access" and "Assume breach", which one row lists together ("Zero Trust | Verify
explicitly, least privilege, assume breach"). Embeddings and BM25 find the row but cannot tell its parts apart;
the part the stem describes is the one whose words it echoes ("working on the assumption that an attacker is
already inside" → "Assume breach"), on their first five letters so that "assumption" is "assume".
"""
from __future__ import annotations

import re

from studyassist.knowledge.model import KnowledgeBase
from studyassist.knowledge.negation import affirmed
from studyassist.solve.polarity import ALSO, EXCLUSIVE
from studyassist.text import normalize, question_sentence, short_stems

# Where one part of a rule's text ends: a cell, a clause, a note in brackets, a dash between two phrases.
_PART = re.compile(r"[|;,()/:]|\s[-–—]\s|\s(?:and|or)\s")
MIN_PARTS = 3  # options a rule must list as its parts for the stem to be about choosing among them
# the kind of thing a question asks for ("Which service provides …?", not a name: "Which Zero Trust principle"): a
# word each option is, not one the stem echoes
_ASKED_KIND = re.compile(r"\b(?i:which|what)\s+(?:(?i:kind|type|sort)s?\s+of\s+)?([a-z]+)\b")


def _same(part: frozenset[str], option: frozenset[str]) -> bool:
    """Whether a part and an option say the same thing: one's words contain the other's, the shorter being at
    least half of the longer ("least privilege" and "Least privilege access")."""
    short, long = sorted((part, option), key=len)
    return bool(short) and short <= long and 2 * len(short) >= len(long)


class ListedParts:
    """Every rule's text cut into its parts, to find the rule that lists several options as parts."""

    def __init__(self, kb: KnowledgeBase):
        self.rules = [(r.id, normalize(r.text), [short_stems(p) for p in _PART.split(normalize(r.text))])
                      for r in kb.rules if not r.overview]  # a review map's row lists topics, not choices
        self._by_stem: dict[str, list[int]] = {}  # word (first five letters) → the rules using it
        for n, (_, text, _) in enumerate(self.rules):
            for w in short_stems(text):
                self._by_stem.setdefault(w, []).append(n)

    def _held(self, parts: list[frozenset[str]], opts: list[frozenset[str]]) -> list[int]:
        """The options a rule's parts say, each by a part that says no other option ("Load balancing" says what ALB,
        NLB and CLB all say: the part of none of them)."""
        matches = [[p for p in parts if _same(p, o)] for o in opts]
        return [i for i, ps in enumerate(matches)
                if any(not any(_same(p, opts[j]) for j in range(len(opts)) if j != i) for p in ps)]

    def odd_one_out(self, stem: str, options: list[str]) -> tuple[int, str] | None:
        """(option index, rule id) for a question asking what only one thing has, when a rule says all options but one
        exist elsewhere too (it says all their words): the one it leaves out, cited by the rule listing it as a part
        (else by that rule)."""
        if not EXCLUSIVE.search(question_sentence(stem)):
            return None
        opts = [short_stems(o) for o in options]
        for rid, text, _ in self.rules:  # (an option is named there when the rule says all its words)
            stems = short_stems(text) if ALSO.search(text) else frozenset()
            held = [i for i, o in enumerate(opts) if o and o <= stems]
            if len(held) == len(options) - 1 >= MIN_PARTS:
                odd = next(i for i in range(len(options)) if i not in held)
                lists = next((r for r, _, ps in self.rules if r != rid and odd in self._held(ps, opts)), rid)
                return odd, lists
        return None

    def pick(self, stem: str, options: list[str]) -> tuple[int, str] | None:
        """(option index, rule id) when a rule lists at least MIN_PARTS options as parts (each said by a part that
        says no other option), the stem names that rule by a word outside them, and the stem, outside its
        negations and the kind of thing it asks for, echoes the words of exactly one of them; None when no rule does
        or two rules disagree."""
        opts = [short_stems(o) for o in options]
        # "without changing the command" echoes no "command", and "Which service …?" no "Service Bus"
        want = short_stems(affirmed(stem)) - short_stems(" ".join(_ASKED_KIND.findall(stem)))
        found: dict[int, set[str]] = {}  # the option picked → the rules that pick it
        using: dict[int, int] = {}  # rule → how many options share a word with it (only those rules can hold them)
        for o in opts:
            for n in {n for w in o for n in self._by_stem.get(w, ())}:
                using[n] = using.get(n, 0) + 1
        for rid, text, parts in (self.rules[n] for n in sorted(using) if using[n] >= MIN_PARTS):
            held = self._held(parts, opts)
            if len(held) < MIN_PARTS:
                continue
            outside = short_stems(text) - frozenset().union(*(opts[i] for i in held))
            if not want & outside:
                continue  # the stem does not name the rule the parts belong to
            echo = {i: len(want & opts[i]) for i in held}
            top = max(echo.values())
            best = [i for i in held if echo[i] == top]
            if top and len(best) == 1:
                found.setdefault(best[0], set()).add(rid)
        if len(found) != 1:
            return None  # none, or rules that disagree
        option, rules = next(iter(found.items()))
        return option, min(rules)
