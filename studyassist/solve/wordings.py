"""How answer options word each rule: the exam pack's option wordings (``answer`` and ``mistake`` voices of its
paraphrase bank), embedded at ingest.

A review states a choice once, in its own words ("Stop traffic increase, inspect logs, and roll back or fix
deployment"); an exam option states it in a scenario's ("Return green's share to blue and read its logs") or in
Azure ML's own terms, and a small embedding model puts those far apart (cosine 0.28 for that pair). The pack writes
several wordings per rule, as doc2query does for questions; an option close to one of them states that rule's
choice — or, for a mistake rule, its correction (``answer``) or the mistake itself (``mistake``).
"""
from __future__ import annotations

import numpy as np

from studyassist.knowledge.facets import Facet
from studyassist.knowledge.paraphrases import ParaphraseIndex
from studyassist.pack import ANSWER_VOICE, MISTAKE_VOICE, ExamPack


class OptionWordings:
    """Per facet, the vectors of the wordings that state it; ``closeness`` says how near options come."""

    def __init__(self, index: ParaphraseIndex | None, pack: ExamPack, facets: list[Facet], dimension: int):
        self.size = len(facets)
        voice_of = {p.id: (p.voice, p.side) for p in pack.paraphrases if p.option_wording}
        position = {f.key: i for i, f in enumerate(facets)}
        of_rule: dict[str, list[int]] = {}
        for i, f in enumerate(facets):
            of_rule.setdefault(f.rule_id, []).append(i)
        pairs: dict[str, list[tuple[int, int]]] = {ANSWER_VOICE: [], MISTAKE_VOICE: []}  # (wording, facet)
        usable = index is not None and index.vectors.shape[1:] == (dimension,)
        for j, (pid, rule) in enumerate(zip(index.ids, index.rules) if usable else ()):
            voice, side = voice_of.get(pid, (None, None))
            if voice is None:  # the pack changed since ingest: the next ingest embeds it
                continue
            if side is None:  # every facet of its rule; a comparison row's side is a facet of its own
                pairs[voice] += [(j, i) for i in of_rule.get(rule, [])]
            elif (i := position.get(f"{rule}@{side}")) is not None:
                pairs[voice].append((j, i))
        self.vectors = index.vectors if usable else np.zeros((0, dimension), dtype=np.float32)
        self._groups = {voice: self._grouped(found) for voice, found in pairs.items()}

    @staticmethod
    def _grouped(pairs: list[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(wording positions sorted by facet, where each facet's run starts, the facets in that order)."""
        pairs = sorted(pairs, key=lambda p: p[1])
        words = np.array([w for w, _ in pairs], dtype=int)
        facets = np.array([f for _, f in pairs], dtype=int)
        starts = np.flatnonzero(np.r_[True, facets[1:] != facets[:-1]]) if len(facets) else np.zeros(0, dtype=int)
        return words, starts, facets[starts] if len(facets) else facets

    def __bool__(self) -> bool:
        return len(self.vectors) > 0

    def closeness(self, option_vectors: np.ndarray, voice: str) -> np.ndarray:
        """Options × facets: the best cosine of each option to a wording of each facet in ``voice`` (0 where the
        facet has none)."""
        out = np.zeros((len(option_vectors), self.size), dtype=np.float32)
        words, starts, facets = self._groups[voice]
        if len(words):
            sims = option_vectors @ self.vectors[words].T
            out[:, facets] = np.maximum.reduceat(sims, starts, axis=1)
        return out
