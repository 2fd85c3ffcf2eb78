"""Numpy arrays kept beside the index (.npz files): written atomically, read with one sentence when damaged."""
from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np

from studyassist.errors import IndexCorruptError


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
