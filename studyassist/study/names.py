"""Names a learner types (profile names) and how a message quotes what was typed.

A profile is found by its normalised name, so "Alice", "alice" and a full-width "Ａｌｉｃｅ" are one profile; a
name that mixes scripts ("аlice" with a Cyrillic "а") is refused, because it would look like another learner's."""
from __future__ import annotations

import re
import unicodedata
from datetime import timedelta

QUOTE_LIMIT = 80  # characters of the user's input a message repeats; a 5,000-digit seed is not echoed whole

# 1–40 characters after normalising: letters, digits, spaces, dots, @, - and _, starting with a letter, digit or _.
_PROFILE_NAME = re.compile(r"^[\w][\w .@-]{0,39}$")
PROFILE_RULE = "use 1–40 letters, digits, spaces, dots, @, - or _, starting with a letter, digit or _"

# Scripts one name may mix (Unicode's "highly restrictive" level, UTS #39): Japanese writes Han with kana,
# Korean Han with Hangul, and Latin letters appear in all three. Any other mix is a look-alike risk.
_SCRIPT_MIXES = (frozenset({"LATIN", "HAN", "HIRAGANA", "KATAKANA"}), frozenset({"LATIN", "HAN", "HANGUL"}),
                 frozenset({"LATIN", "HAN", "BOPOMOFO"}))
# Cyrillic and Greek letters that look like a Latin letter (UTS #39 confusables): a name spelled in them alone
# ("аӏісе", all Cyrillic) is a whole-script look-alike of a Latin name, refused like a mixed one.
_LATIN_LOOKALIKES = frozenset("АВЕКМНОРСТХЅІЈҮԚԜаеорсухѕіјӏԁԛԝһ"  # Cyrillic
                              "ΑΒΕΖΗΙΚΜΝΟΡΤΥΧοικνρ")  # Greek
# The first word of a character's Unicode name is its script, but for these spellings of it.
_SCRIPT_ALIASES = {"CJK": "HAN", "KATAKANA-HIRAGANA": "KATAKANA", "ARABIC-INDIC": "ARABIC", "EXTENDED": "ARABIC"}


def shown(text: object, limit: int = QUOTE_LIMIT) -> str:
    """``text`` as a message quotes it: at most ``limit`` characters, a cut marked with "…"."""
    text = str(text)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def profile_key(name: str) -> str:
    """The one spelling a profile is stored under: NFKC-normalised, case-folded, spaces tidied ("Alice " → "alice")."""
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())
    return " ".join(folded.split())


def scripts(name: str) -> set[str]:
    """The scripts of the letters (and non-ASCII digits) in ``name``: {"LATIN"}, {"LATIN", "CYRILLIC"}, …"""
    found = set()
    for ch in name:
        if not ch.isalpha() and (ch.isascii() or not ch.isdigit()):
            continue
        word = unicodedata.name(ch, "UNKNOWN").split()[0]
        if word != "MODIFIER":  # modifier letters (ʼ) belong to no one script
            found.add(_SCRIPT_ALIASES.get(word, word))
    return found


def profile_problem(text: str | None) -> str | None:
    """Why ``text`` cannot be a profile name (a clause that fits "'…' cannot be a profile name; …"), or None."""
    # Checked before case folding, which may add a combining mark the pattern has no room for ("İ" → "i̇").
    name = " ".join(unicodedata.normalize("NFKC", text or "").split())
    if not _PROFILE_NAME.match(name):
        return PROFILE_RULE
    found = scripts(name)
    if len(found) > 1 and not any(found <= mix for mix in _SCRIPT_MIXES):
        return (f"it mixes {' and '.join(sorted(s.title() for s in found))} letters, so it could pass for another "
                "name; type it in one alphabet")
    letters = [ch for ch in name if ch.isalpha()]
    if found & {"CYRILLIC", "GREEK"} and all(ch in _LATIN_LOOKALIKES for ch in letters):
        return (f"its {' and '.join(sorted(s.title() for s in found))} letters all look like Latin ones, so it could "
                "pass for another name; type it in the Latin alphabet")
    return None


def clean_profile_name(text: str | None) -> str | None:
    """The profile's stored name (normalised, case-folded), or None when ``text`` cannot be a profile name."""
    return None if profile_problem(text) else profile_key(text or "")


def due_in(delta: timedelta) -> str:
    """How long until a review comes due, as the CLI and the Review page say it: 1 min, 3 h, 1 day, 4 days."""
    seconds = max(0, int(delta.total_seconds()))
    if seconds < 3600:
        return f"{max(1, seconds // 60)} min"
    if seconds < 86400:
        return f"{seconds // 3600} h"
    days = seconds // 86400
    return f"{days} day{'s' if days != 1 else ''}"
