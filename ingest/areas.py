"""Exam areas and which one a rule belongs to: the exam pack's areas, or the document's own top-level headings."""
from __future__ import annotations

import re

from ingest.parser import plain
from studyassist.knowledge.model import Area
from studyassist.pack import ExamPack
from studyassist.text import normalize, phrase_pattern, phrase_words, slugify


def pack_areas(pack: ExamPack, overview_rows: list[tuple[str, str]] | None = None) -> list[Area]:
    """The pack's areas; the words of its overview table's rows ((area name, keywords) cells) join their area."""
    extra: dict[str, list[str]] = {}
    for name_cell, words in overview_rows or []:
        name = normalize(name_cell)
        for spec in pack.areas:
            if normalize(spec.name) == name:
                extra[spec.id] = [normalize(t) for t in re.split(r",|/| and ", words) if len(t.strip()) > 2]
    return [Area(id=a.id, name=a.name, weight=a.weight,
                 keywords=tuple(dict.fromkeys([*a.keywords, *extra.get(a.id, [])]))) for a in pack.areas]


class AreaClassifier:
    """Scores text against each area's vocabulary (whole-word matches)."""

    def __init__(self, areas: list[Area]):
        self.areas = areas
        # (pattern, longest word): the substring test skips most regex searches
        self._patterns = {a.id: [(phrase_pattern(k), max(phrase_words(k), key=len, default=""))
                                 for k in a.keywords] for a in areas}

    def scores(self, text: str) -> dict[str, float]:
        t = normalize(text)
        return {a: float(sum(1 for p, word in pats if word in t and p.search(t))) for a, pats in self._patterns.items()}

    def classify(self, text: str, context: str = "", fallback: str | None = None) -> str:
        """Best area for ``text``; ``context`` (section and table titles) counts 1.5×."""
        own = self.scores(text)
        ctx = self.scores(context) if context else {}
        total = {a: own[a] + 1.5 * ctx.get(a, 0.0) for a in own}
        best = max(total, key=lambda a: total[a])
        if total[best] == 0:
            return fallback or self.areas[0].id
        return best


class HeadingAreas:
    """Without a pack: each top-level heading of a document is an area, and everything under it belongs to it.

    Same interface as ``AreaClassifier`` (``classify`` keeps the section's area), plus ``section_area``, which
    names the area of a section from its heading path."""

    def __init__(self, reserved: set[str] | frozenset[str] = frozenset()) -> None:
        self._by_key: dict[tuple[str, str], Area] = {}
        self._ids: set[str] = set(reserved)  # ids taken already (the pack's areas, beside another exam's notes)

    def section_area(self, document: str, top_heading: str) -> str:
        key = (document, normalize(top_heading))
        if key not in self._by_key:
            base = slugify(top_heading)
            area_id, n = base, 2
            while area_id in self._ids:
                area_id, n = f"{base}-{n}", n + 1
            self._ids.add(area_id)
            # "📋 Exam At a Glance" is named "Exam At a Glance" (quiz areas, progress)
            self._by_key[key] = Area(id=area_id, name=plain(top_heading) or top_heading.strip(), keywords=())
        return self._by_key[key].id

    def classify(self, text: str, context: str = "", fallback: str | None = None) -> str:
        return fallback or ""

    def areas(self, used: set[str]) -> list[Area]:
        """The areas among ``used`` (those holding a rule), in document order."""
        return [a for a in self._by_key.values() if a.id in used]
