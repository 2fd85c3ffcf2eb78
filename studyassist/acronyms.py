"""Acronyms a question spells out: "the service value system" names the notes' "SVS", unless the notes spell that
acronym out as other words ("WAF | Web application firewall" is no "Well-Architected Framework")."""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from studyassist.text import NOT_ACRONYMS, STOP_WORDS


def spelled_acronyms(text: str, acronyms: Iterable[str] | Mapping[str, set[str]]) -> list[str]:
    """Those of ``acronyms`` (of two letters or more) that consecutive content words of ``text`` spell out, "and" and
    "of" skipped ("the 5 components of the service value system": SVS), or a word before a shorter acronym ("network
    ACL": NACL); not one the documents spell out as other words (``acronyms`` from ``acronym_spellings``: "WAF" as
    "web application firewall" is no "Well-Architected Framework")."""
    words, initials = _initials(text)
    spellings = acronyms if isinstance(acronyms, Mapping) else {}
    extended = {w[0].upper() + x for w, x in zip(words, words[1:]) if x.isupper() and len(x) >= 2}  # "network ACL"
    out = []
    for a in acronyms:
        at = initials.find(a) if len(a) >= 2 and a.lower() not in NOT_ACRONYMS else -1  # (two letters: written "VMs")
        if at >= 0 and (not spellings.get(a) or _phrase(words, at, a) in spellings[a]) or a in extended:
            out.append(a)
    return out


def acronym_spellings(texts: Iterable[str], acronym: re.Pattern[str]) -> dict[str, set[str]]:
    """Every acronym the texts write (``acronym`` finds them), in order, each with what it is spelled out as in a text
    that writes it ("WAF | Web application firewall"), lower-cased."""
    out: dict[str, set[str]] = {}
    for text in texts:
        found = set(acronym.findall(text))
        words, initials = _initials(text) if found else ([], "")
        for a in sorted(found):
            spelled = out.setdefault(a, set())
            if (at := initials.find(a)) >= 0:
                spelled.add(_phrase(words, at, a))
    return dict(sorted(out.items()))


def _initials(text: str) -> tuple[list[str], str]:
    words = [w for w in re.findall(r"[A-Za-z]+", text) if w.lower() not in ("and", "of")]  # ("for": no ALB)
    return words, "".join("_" if w.lower() in STOP_WORDS else w[0].upper() for w in words)


def _phrase(words: list[str], at: int, acronym: str) -> str:
    return " ".join(w.lower() for w in words[at:at + len(acronym)])
