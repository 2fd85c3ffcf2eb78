"""Facets: each thing a rule says to choose, with the situation it fits, plus their stored vectors.

A clue→choice or choice→when row has one facet; a comparison row has one per side
(``CI/CD pipeline`` with "Unit tests, build, …"). Vectors are computed at ingest and saved
beside the index, so answering never embeds rule text.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from studyassist.arrays import load_arrays, save_arrays
from studyassist.knowledge.model import Concept, KnowledgeBase
from studyassist.knowledge.propernames import NameCounts
from studyassist.text import ACRONYM, ConceptMatcher, content_hash

log = logging.getLogger(__name__)

_DESCRIPTIVE_NOTES = ("why", "purpose", "example", "meaning", "know")


@dataclass(frozen=True)
class Facet:
    key: str
    rule_id: str
    label: str
    concepts: tuple[str, ...]
    situation: str  # what is embedded: the situation cell plus the row's descriptive notes
    anti: bool
    kind: str
    shown: str = ""  # the same words as a reader should see them quoted (cells kept apart by "; ")

    @property
    def quote(self) -> str:
        return self.shown or self.situation


def concept_matcher(kb: KnowledgeBase, asked: bool = False) -> ConceptMatcher:
    """Finds the knowledge base's concepts in text; a one-word label only when the exam pack lists it (a table's
    one-word items, "Code" or "Data", would match everywhere), it is an acronym ("SSPR"), or the review writes it as
    a name ("Textract", "Firestore": ``propernames``), which are names.
    ``asked``: in what a question asks about, so without the names that only set its scene (``Concept.setting``)."""
    names = {d: NameCounts(r.text for r in kb.rules if r.source_file == d) for d in kb.documents}

    def written_as_name(c: Concept) -> bool:  # by a document that chooses it ("cold" is a word in another)
        return any(names[d].is_name(c.label.lower()) for r in c.choice_of if kb.has_rule(r)
                   and (d := kb.rule(r).source_file) in names)

    pairs = [(c.id, a) for c in kb.concepts
             if len(c.label.split()) >= 2 or c.curated or ACRONYM.fullmatch(c.label) or written_as_name(c)
             for a in c.aliases if not (asked and a in c.setting)]
    return ConceptMatcher(pairs, acronyms=[(c.id, c.label) for c in kb.concepts])


def build_facets(kb: KnowledgeBase, matcher: ConceptMatcher | None = None) -> list[Facet]:
    """All facets of the knowledge base, in rule order."""
    matcher = matcher or concept_matcher(kb)
    out: list[Facet] = []
    for r in kb.rules:
        if r.sides:
            for i, side in enumerate(r.sides):
                out.append(Facet(f"{r.id}@{i}", r.id, side.label, tuple(matcher.find(side.label)),
                                 f"{r.situation}: {side.text}", r.trap_side(side), r.kind))
            continue
        notes = [v for k, v in r.notes.items() if any(w in k.lower() for w in _DESCRIPTIVE_NOTES)]
        extra = " ".join(notes)
        situation = f"{r.situation} {extra}".strip() if r.situation else extra
        shown = "; ".join(t.strip().rstrip(".;") for t in [r.situation, *notes] if t and t.strip())
        out.append(Facet(r.id, r.id, r.choice, r.choice_concepts or tuple(matcher.find(r.choice)),
                         situation or r.choice, r.anti_pattern, r.kind, shown if notes else ""))
    return out


class FacetVectors:
    """Unit vectors of each facet's choice and situation text, and of each concept label."""

    FILE = "vectors.npz"

    def __init__(self, keys: list[str], hashes: list[str], choice: np.ndarray, situation: np.ndarray,
                 concept_ids: list[str], concepts: np.ndarray):
        self.keys, self.hashes = keys, hashes
        self.choice, self.situation = choice, situation
        self.concept_ids, self.concepts = concept_ids, concepts
        self.row = {k: i for i, k in enumerate(keys)}
        self.embedded = 0

    @staticmethod
    def _hash(f: Facet) -> str:
        return content_hash(f.label, f.situation)

    @classmethod
    def build(cls, kb: KnowledgeBase, embeddings, previous: FacetVectors | None = None,
              known: dict[str, np.ndarray] | None = None) -> FacetVectors:
        """Embed what changed since ``previous``; reuse the rest, and the vectors ``known`` by text (a passage of
        prose is its own choice and situation: the vector of its chunk serves, so it is embedded once, not twice)."""
        dim = embeddings.dimension
        if previous is not None and previous.choice.shape[1] != dim:
            previous = None  # another embedding model: nothing can be reused
        facets = build_facets(kb)
        hashes = [cls._hash(f) for f in facets]
        old = {} if previous is None else {h: i for i, h in enumerate(previous.hashes)}
        choice = np.zeros((len(facets), dim), dtype=np.float32)
        situation = np.zeros((len(facets), dim), dtype=np.float32)
        todo = []
        for i, h in enumerate(hashes):
            if h in old:
                choice[i], situation[i] = previous.choice[old[h]], previous.situation[old[h]]
            else:
                todo.append(i)
        known = known or {}
        reused = {i for i in todo if facets[i].label in known and facets[i].situation in known}
        for i in reused:
            choice[i], situation[i] = known[facets[i].label], known[facets[i].situation]
        todo = [i for i in todo if i not in reused]
        if todo:
            vecs = embeddings.encode([facets[i].label for i in todo] + [facets[i].situation for i in todo])
            choice[todo], situation[todo] = vecs[: len(todo)], vecs[len(todo):]
        known = {} if previous is None else dict(zip(previous.concept_ids, previous.concepts))
        missing = [c for c in kb.concepts if c.id not in known]
        labelled = {f.label: choice[i] for i, f in enumerate(facets)}  # a concept named as a choice: same words
        for c in [c for c in missing if c.label in labelled]:
            known[c.id] = labelled[c.label]
        missing = [c for c in missing if c.id not in known]
        if missing:
            known.update(zip((c.id for c in missing), embeddings.encode([c.label for c in missing])))
        concept_ids = [c.id for c in kb.concepts]
        concepts = np.array([known[c] for c in concept_ids], dtype=np.float32).reshape(len(concept_ids), dim)
        built = cls([f.key for f in facets], hashes, choice, situation, concept_ids, concepts)
        built.embedded = len(todo) + len(missing)
        return built

    def save(self, index_dir: Path) -> None:
        save_arrays(index_dir / self.FILE, keys=np.array(self.keys), hashes=np.array(self.hashes), choice=self.choice,
                    situation=self.situation, concept_ids=np.array(self.concept_ids), concepts=self.concepts)

    @classmethod
    def load(cls, index_dir: Path) -> FacetVectors | None:
        z = load_arrays(index_dir / cls.FILE, ("keys", "hashes", "choice", "situation", "concept_ids", "concepts"),
                        "The concept vectors {path} are unreadable ({error}); run `studyassist ingest --rebuild` to "
                        "recreate them.")
        if z is None:
            return None
        return cls(list(z["keys"]), list(z["hashes"]), z["choice"], z["situation"], list(z["concept_ids"]),
                   z["concepts"])
