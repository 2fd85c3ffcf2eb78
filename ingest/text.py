"""Small text helpers shared by the ingest steps: slugs, normalisation, word matching."""
from __future__ import annotations

import hashlib
import re

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
