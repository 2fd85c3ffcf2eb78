"""The peer every number is compared with: the LangChain tutorial RAG, without an LLM.

RecursiveCharacterTextSplitter(1000, 200) over the raw review text, a Chroma collection of those
chunks with the same packaged MiniLM embeddings, ``similarity_search(k=4)``. With no LLM to read the
chunks, it answers by similarity to what it retrieved: the concept label (``ask``) or the option
(``solve``) whose embedding is closest to the retrieved chunks, i.e. has the highest mean cosine to
them. It never abstains. Its "citations" are the rule rows whose text lies inside the retrieved chunks,
in chunk rank order, so its retrieval and citations are scored exactly like the project's.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from evals.metrics import normalize_label
from studyassist.errors import StudyAssistError
from studyassist.knowledge.model import KnowledgeBase, Rule
from studyassist.solve.mcq import LETTERS
from studyassist.text import content_hash

log = logging.getLogger(__name__)

CHUNK_SIZE, CHUNK_OVERLAP, TOP_K = 1000, 200, 4
COLLECTION = "tutorial_rag"


@dataclass(frozen=True)
class BaselineResult:
    """What the baseline says: a decision (label or option letter), its markdown, cited rule ids, chunks."""

    decision: str | None
    answer: str
    citations: list[str]
    chunks: list[str] = field(default_factory=list)


def row_signature(rule: Rule) -> str:
    """The row as it reads in the raw document, normalised: its cells in order, or ``label: text``."""
    if rule.cells:
        return normalize_label(" ".join(rule.cells.values()))
    return normalize_label(f"{rule.choice} {rule.situation}")


def source_texts(kb: KnowledgeBase, index_dir: Path, corpus: Path) -> list[tuple[str, str]]:
    """(name, raw text) of each document the index was built from: the index's own copy, else corpus/."""
    out = []
    for name in kb.documents:
        for path in (index_dir / "sources" / name, corpus / name):
            if path.is_file():
                out.append((name, path.read_text(encoding="utf-8")))
                break
        else:
            log.warning("baseline: %s not found under %s or %s; left out", name, index_dir / "sources", corpus)
    return out


class TutorialRAG:
    """The tutorial RAG over the raw documents, in its own Chroma collection under ``cache_dir``."""

    def __init__(self, kb: KnowledgeBase, embeddings, documents: list[tuple[str, str]], cache_dir: Path):
        try:
            from langchain_text_splitters import RecursiveCharacterTextSplitter  # noqa: PLC0415 (optional here)
        except ImportError as exc:
            raise StudyAssistError("The eval baseline needs langchain-text-splitters; install it with "
                                   "`pip install 'langchain-text-splitters>=1,<2'`.") from exc
        self.kb, self.embeddings = kb, embeddings
        splitter = RecursiveCharacterTextSplitter(chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP)
        self.docs = splitter.create_documents([t for _, t in documents],
                                              metadatas=[{"source": n} for n, _ in documents])
        self.store = self._store(cache_dir)
        texts = [d.page_content for d in self.docs]
        self._vec = dict(zip(texts, embeddings.encode(texts)))
        self._norm = {t: normalize_label(t) for t in texts}
        self._signatures = [(r.id, row_signature(r)) for r in kb.rules]
        self.labels, self._label_vecs = self._concept_vectors()

    def _store(self, cache_dir: Path):
        # chromadb costs 0.7 s to import: every CLI command would pay it for the eval baseline (see store.py)
        import chromadb  # noqa: PLC0415
        from chromadb.config import Settings as ChromaSettings  # noqa: PLC0415
        from langchain_chroma import Chroma  # noqa: PLC0415

        cache_dir.mkdir(parents=True, exist_ok=True)
        client = chromadb.PersistentClient(path=str(cache_dir), settings=ChromaSettings(anonymized_telemetry=False))
        store = Chroma(collection_name=COLLECTION, embedding_function=self.embeddings, client=client,
                       collection_metadata={"hnsw:space": "cosine"})
        ids = [content_hash(str(i), d.metadata["source"], d.page_content) for i, d in enumerate(self.docs)]
        if set(store.get(include=[])["ids"]) != set(ids):  # corpus or splitter changed: start over
            store.reset_collection()
            store.add_documents(self.docs, ids=ids)
        return store

    def _concept_vectors(self) -> tuple[list[str], list[np.ndarray]]:
        """Each concept's label, and the vectors of its label and aliases (encoded in one batch)."""
        names = [list(dict.fromkeys([c.label, *c.aliases])) for c in self.kb.concepts]
        flat = self.embeddings.encode([n for group in names for n in group])
        bounds = np.cumsum([0, *map(len, names)])
        return [c.label for c in self.kb.concepts], [flat[a:b] for a, b in zip(bounds[:-1], bounds[1:])]

    # ---- the tutorial chain, minus the LLM -----------------------------------------------------
    def retrieve(self, query: str) -> list[str]:
        """The texts of the ``TOP_K`` chunks most similar to ``query``."""
        return [d.page_content for d in self.store.similarity_search(query, k=TOP_K)]

    def rows_in(self, chunks: list[str]) -> list[str]:
        """Rule ids whose row text lies inside the chunks: by chunk rank, then by place in the chunk."""
        out: dict[str, None] = {}
        for chunk in chunks:
            hay = self._norm.get(chunk) or normalize_label(chunk)
            found = [(hay.find(sig), rid) for rid, sig in self._signatures if sig and sig in hay]
            for _, rid in sorted(found):
                out.setdefault(rid, None)
        return list(out)

    def _centroid(self, chunks: list[str]) -> np.ndarray:
        vecs = np.array([self._vec[c] if c in self._vec else self.embeddings.encode([c])[0] for c in chunks])
        return vecs.mean(axis=0)

    def ask(self, question: str) -> BaselineResult:
        """The concept label closest to the retrieved chunks (best of its label and aliases)."""
        chunks = self.retrieve(question)
        centroid = self._centroid(chunks)
        scores = [float((v @ centroid).max()) for v in self._label_vecs]
        label = self.labels[int(np.argmax(scores))]
        return BaselineResult(label, f"**{label}**", self.rows_in(chunks), chunks)

    def solve(self, stem: str, options: list[str], chose: str | None = None) -> BaselineResult:
        """The option closest to the chunks retrieved for the stem; with ``chose``, the retrieved chunks
        for "why not <chosen option>" are its feedback."""
        chunks = self.retrieve(stem)
        scores = self.embeddings.encode(list(options)) @ self._centroid(chunks)
        letter = LETTERS[int(np.argmax(scores))]
        if chose is None:
            shown = f"**{letter}) {options[LETTERS.index(letter)]}**"
            return BaselineResult(letter, shown, self.rows_in(chunks), chunks)
        picked = options[LETTERS.index(chose.strip().upper())]
        chunks = self.retrieve(f"{stem} Why is \"{picked}\" not the best answer?")
        return BaselineResult(letter, "\n\n".join(chunks), self.rows_in(chunks), chunks)

    def coverage(self) -> float:
        """Share of the knowledge base's rules that can be found in some chunk (sanity check)."""
        every = set(self.rows_in([d.page_content for d in self.docs]))
        return len(every) / max(1, len(self.kb.rules))
