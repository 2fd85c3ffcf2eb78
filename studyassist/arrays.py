"""Numpy arrays kept beside the index (.npz files): written atomically, read with one sentence when damaged."""
from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np

from studyassist.errors import IndexCorruptError
from studyassist.text import content_hash


def save_arrays(path: Path, **arrays: np.ndarray) -> None:
    """Write ``arrays`` to ``path`` through a temporary file beside it, so a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)  # with a Chroma server nothing else creates the index folder
    tmp = path.with_name("tmp-" + path.name)
    np.savez(tmp, **arrays)
    tmp.replace(path)


def load_arrays(path: Path, keys: tuple[str, ...], unreadable: str) -> dict[str, np.ndarray] | None:
    """The arrays ``keys`` of ``path`` (None when it does not exist). A damaged file raises ``IndexCorruptError``
    with ``unreadable``, a sentence in which ``{path}`` and ``{error}`` (the error's type) are filled in."""
    if not path.exists():
        return None
    try:
        with np.load(path, allow_pickle=False) as z:
            return {k: z[k] for k in keys}
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as exc:
        raise IndexCorruptError(unreadable.format(path=path, error=type(exc).__name__)) from exc


def embedded_reusing(texts: list[str], embeddings, previous) -> tuple[list[str], np.ndarray, int]:
    """The content hashes and vectors of ``texts``, each vector taken from ``previous`` (anything with ``hashes``
    and ``vectors``, or None) when it holds that text and was made by a model of the same dimension; only the rest
    are embedded. Returns the hashes, the vectors and how many texts were embedded."""
    dim = embeddings.dimension
    if previous is not None and previous.vectors.shape[1:] != (dim,):
        previous = None  # another embedding model: nothing can be reused
    hashes = [content_hash(t) for t in texts]
    old = {} if previous is None else {h: i for i, h in enumerate(previous.hashes)}
    vectors = np.zeros((len(texts), dim), dtype=np.float32)
    for i, h in enumerate(hashes):
        if h in old:
            vectors[i] = previous.vectors[old[h]]
    todo = [i for i, h in enumerate(hashes) if h not in old]
    if todo:
        vectors[todo] = embeddings.encode([texts[i] for i in todo])
    return hashes, vectors, len(todo)
