"""The exam pack's notes (``notes.jsonl``: facts from the exam's official documentation that the review does not
state) with their vectors, made at ingest (only for texts that changed) and saved beside the index. The solver
weighs a question beyond the review against them (solve/notes.py); they are never rules and never cited as the
review.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from studyassist.arrays import embedded_reusing, load_arrays, save_arrays
from studyassist.errors import IndexCorruptError
from studyassist.pack import Note


class NoteIndex:
    """Ids, texts, source pages and unit vectors of the notes."""

    FILE = "notes.npz"

    def __init__(self, ids: list[str], texts: list[str], sources: list[str], hashes: list[str], vectors: np.ndarray):
        self.ids, self.texts, self.sources, self.hashes, self.vectors = ids, texts, sources, hashes, vectors

    def __len__(self) -> int:
        return len(self.ids)

    @classmethod
    def build(cls, notes: tuple[Note, ...], embeddings, previous: NoteIndex | None = None) -> NoteIndex:
        """The index of ``notes``, embedding only the texts ``previous`` does not hold."""
        hashes, vectors, _ = embedded_reusing([n.text for n in notes], embeddings, previous)
        return cls([n.id for n in notes], [n.text for n in notes], [n.source for n in notes], hashes, vectors)

    def same_as(self, other: NoteIndex | None) -> bool:
        return other is not None and (other.ids, other.sources, other.hashes) == (self.ids, self.sources, self.hashes)

    def save(self, index_dir: Path) -> None:
        save_arrays(index_dir / self.FILE, ids=np.array(self.ids, dtype=str), texts=np.array(self.texts, dtype=str),
                    sources=np.array(self.sources, dtype=str), hashes=np.array(self.hashes, dtype=str),
                    vectors=self.vectors)

    @classmethod
    def load(cls, index_dir: Path) -> NoteIndex | None:
        z = load_arrays(index_dir / cls.FILE, ("ids", "texts", "sources", "hashes", "vectors"),
                        "The notes' vectors {path} are unreadable ({error}); run `studyassist ingest --rebuild` to "
                        "recreate them.")
        if z is None:
            return None
        return cls(list(z["ids"]), list(z["texts"]), list(z["sources"]), list(z["hashes"]), z["vectors"])


def index_notes(index_dir: Path, notes: tuple[Note, ...], embeddings, rebuild: bool = False) -> NoteIndex:
    """Embed the pack's notes beside the index (``NoteIndex.FILE``); a pack without notes leaves no file."""
    path = index_dir / NoteIndex.FILE
    if not notes:
        path.unlink(missing_ok=True)
        return NoteIndex([], [], [], [], np.zeros((0, embeddings.dimension), dtype=np.float32))
    try:
        previous = None if rebuild else NoteIndex.load(index_dir)
    except IndexCorruptError:  # unreadable: embed them all again
        previous = None
    built = NoteIndex.build(notes, embeddings, previous)
    if not built.same_as(previous):
        built.save(index_dir)
    return built
