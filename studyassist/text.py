"""Small text helpers shared by the ingest steps: slugs, normalisation, word matching."""
from __future__ import annotations

import hashlib
import re
from functools import lru_cache

_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "…": "...", "—": "-", "–": "-"})


def slugify(text: str) -> str:
    s = normalize(text)
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    return s[:60].rstrip("-") or "untitled"


def normalize(text: str) -> str:
    """Lowercase, straight quotes, single spaces."""
    return re.sub(r"\s+", " ", text.translate(_QUOTES).lower()).strip()


def strip_quotes(text: str) -> str:
    return text.strip().strip('"“”').strip()


def content_hash(*parts: str) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(p.encode("utf-8"))
        h.update(b"\x00")
    return h.hexdigest()[:32]


def phrase_pattern(phrase: str) -> re.Pattern[str]:
    """A regex that finds ``phrase`` as whole words in normalised text (slash/hyphen/space interchangeable)."""
    words = re.split(r"[\s/\-]+", normalize(phrase))
    body = r"[\s/\-]*".join(re.escape(w) for w in words if w)
    return re.compile(rf"(?<![a-z0-9]){body}(?:s|es)?(?![a-z0-9])")


_STOP = frozenset("""a an and are as at be by can do does for from has have how i if in into is it its me my of on
or our should so than that the their them then there these this to us was we what when where which while who why
will with you your would could must need needs want wants use using used best better more most not no any all each
other one same new""".split())
_TOKEN = re.compile(r"[a-z0-9]+")


def tokenize(text: str) -> list[str]:
    """Lowercased word tokens split on punctuation (``ci/cd`` → ``ci``, ``cd``)."""
    return _TOKEN.findall(normalize(text))


def key_terms(text: str) -> list[str]:
    """Content words: tokens that are not stop words, crudely singularised."""
    out = []
    for t in tokenize(text):
        if t in _STOP or len(t) < 2:
            continue
        if len(t) > 4 and t.endswith("s") and not t.endswith("ss"):
            t = t[:-1]
        out.append(t)
    return out


def positive_part(choice: str) -> str:
    """The part of a choice cell that is recommended: ``A and B, not C`` → ``A and B``."""
    return re.split(r",?\s+\bnot\b\s+|\binstead of\b", choice, maxsplit=1, flags=re.I)[0].strip()


def sentence_part(text: str) -> str:
    """A table cell ready to sit inside a sentence: no quotes or final period, first letter lower-cased
    unless it starts an acronym ("CI/CD", "RBAC")."""
    t = text.strip().strip('"“”').rstrip(".")
    return t[:1].lower() + t[1:] if t[:2] != t[:2].upper() else t


class ConceptMatcher:
    """Finds concept ids named in text by alias: longest alias first, spans never overlapping."""

    def __init__(self, aliases: list[tuple[str, str]]):
        pats = []
        for cid, alias in aliases:
            words = [w for w in re.split(r"[\s/\-]+", normalize(alias)) if w]
            if words:  # an alias can only match where its longest word occurs: a cheap substring test first
                pats.append((phrase_pattern(alias), cid, len(alias), max(words, key=len)))
        self._patterns = sorted(pats, key=lambda p: -p[2])
        self._cached = lru_cache(maxsize=8192)(self._find)  # option and cell texts repeat across requests

    def find(self, text: str) -> list[str]:
        return list(self._cached(text))

    def _find(self, text: str) -> tuple[str, ...]:
        t = normalize(text)
        taken: list[tuple[int, int]] = []
        found: list[tuple[int, str]] = []
        for pattern, cid, _, needle in self._patterns:
            if needle not in t:
                continue
            for m in pattern.finditer(t):
                s, e = m.span()
                if any(s < te and ts < e for ts, te in taken):
                    continue
                taken.append((s, e))
                found.append((s, cid))
        return tuple(dict.fromkeys(cid for _, cid in sorted(found)))
