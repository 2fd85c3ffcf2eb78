"""The paraphrase bank as a search index: the many ways learners and other exam banks ask about a rule, each
pointing at that rule (doc2query-style expansion, Nogueira et al. 2019, written by hand in the exam pack).

A paraphrase is never cited: a search that finds it counts for its rule, and the answer cites the rule's own
row. Vectors are made at ingest (only for texts that changed) and saved beside the index.
"""
from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from studyassist.arrays import embedded_reusing, load_arrays, save_arrays
from studyassist.errors import IndexCorruptError
from studyassist.knowledge.clues import Clues
from studyassist.knowledge.model import KnowledgeBase
from studyassist.pack import PARAPHRASES, PRACTICE_VOICE, Paraphrase

log = logging.getLogger(__name__)


class ParaphraseIndex:
    """Texts, the rules they point at, and their unit vectors."""

    FILE = "paraphrases.npz"
    PRACTICE_FILE = "practice_stems.npz"  # the practice-only voice: quiz stems embedded at ingest, never searched
    OPTION_FILE = "option_wordings.npz"  # how answer options word each rule (pack.OPTION_VOICES): for the solver

    def __init__(self, ids: list[str], rules: list[str], texts: list[str], hashes: list[str], vectors: np.ndarray):
        self.ids, self.rules, self.texts, self.hashes, self.vectors = ids, rules, texts, hashes, vectors
        self.embedded = 0
        self.of_rule: dict[str, list[int]] = {}
        for i, rule in enumerate(rules):
            self.of_rule.setdefault(rule, []).append(i)

    def __len__(self) -> int:
        return len(self.ids)

    @classmethod
    def build(cls, kb: KnowledgeBase, paraphrases: Sequence[Paraphrase], embeddings,
              previous: ParaphraseIndex | None = None, source: str = "paraphrases.jsonl"
              ) -> tuple[ParaphraseIndex, list[str]]:
        """The index of ``paraphrases`` whose rule the knowledge base has (embedding only new texts), and one
        sentence per paraphrase left out because its rule is not in the review."""
        kept, warnings = [], []
        for p in paraphrases:
            if not kb.has_rule(p.rule):
                warnings.append(f"Exam pack file {source} line {p.line} is left out (rule '{p.rule}' is not in the "
                                "review).")
            elif p.side is not None and p.side >= len(kb.rule(p.rule).sides):
                warnings.append(f"Exam pack file {source} line {p.line} is left out (rule '{p.rule}' has no side "
                                f"{p.side}).")
            else:
                kept.append(p)
        hashes, vectors, embedded = embedded_reusing([p.text for p in kept], embeddings, previous)
        built = cls([p.id for p in kept], [p.rule for p in kept], [p.text for p in kept], hashes, vectors)
        built.embedded = embedded
        return built, warnings

    def same_as(self, other: ParaphraseIndex | None) -> bool:
        return other is not None and other.ids == self.ids and other.rules == self.rules and other.hashes == self.hashes

    def save(self, index_dir: Path, file: str = FILE) -> None:
        save_arrays(index_dir / file, ids=np.array(self.ids, dtype=str), rules=np.array(self.rules, dtype=str),
                    texts=np.array(self.texts, dtype=str), hashes=np.array(self.hashes, dtype=str),
                    vectors=self.vectors)

    @classmethod
    def load(cls, index_dir: Path, file: str = FILE) -> ParaphraseIndex | None:
        z = load_arrays(index_dir / file, ("ids", "rules", "texts", "hashes", "vectors"),
                        "The paraphrase vectors {path} are unreadable ({error}); run `studyassist ingest --rebuild` "
                        "to recreate them.")
        if z is None:
            return None
        return cls(list(z["ids"]), list(z["rules"]), list(z["texts"]), list(z["hashes"]), z["vectors"])

    @classmethod
    def empty(cls, dim: int = 0) -> ParaphraseIndex:
        return cls([], [], [], [], np.zeros((0, dim), dtype=np.float32))


def index_bank(index_dir: Path, kb: KnowledgeBase, pack, embeddings, rebuild: bool = False
               ) -> tuple[ParaphraseIndex, list[str]]:
    """The pack's paraphrase bank as search entries for its rules (saved as ``FILE``), and beside them what a quiz
    would otherwise embed at every run (``PRACTICE_FILE``): its practice-only stems, and each exam-voice stem as
    the verifier and the solver search it, with the review's terms for its clues (most stems name a clue); and
    how answer options word each rule (``OPTION_FILE``, see solve/wordings.py). Only
    texts new since ``index_dir``'s last build are embedded. Returns the search index and one sentence per
    paraphrase left out."""
    clues = Clues(pack.clues)
    as_searched = []
    for p in pack.paraphrases:
        if p.quiz_stem and kb.has_rule(p.rule) and (searched := clues.expand(p.quiz_stem)) != p.quiz_stem:
            as_searched.append(p.model_copy(update={"id": f"{p.id}+clues", "text": searched}))
    # and the wrong answers a quiz offers for a need (the solver checks every item, and would embed them each time)
    written = [Paraphrase(id=f"wrong-{i}", rule=w.rule, text=w.text, voice=PRACTICE_VOICE)
               for i, w in enumerate(pack.wrong_actions) if kb.has_rule(w.rule)]
    built, warnings = {}, []
    for file, bank in ((ParaphraseIndex.FILE, [p for p in pack.paraphrases if p.searched]),
                       (ParaphraseIndex.PRACTICE_FILE,
                        [p for p in pack.paraphrases if p.voice == PRACTICE_VOICE] + as_searched + written),
                       (ParaphraseIndex.OPTION_FILE, [p for p in pack.paraphrases if p.option_wording])):
        try:
            previous = None if rebuild else ParaphraseIndex.load(index_dir, file)
        except IndexCorruptError:  # unreadable: embed them all again
            previous = None
        index, left_out = ParaphraseIndex.build(kb, bank, embeddings, previous, source=f"{pack.name}/{PARAPHRASES}")
        warnings += left_out
        if not index.same_as(previous):
            index.save(index_dir, file)
        built[file] = index
    return built[ParaphraseIndex.FILE], warnings
