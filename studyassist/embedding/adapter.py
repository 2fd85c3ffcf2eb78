"""A linear query adapter: domain adaptation of the packaged embedding without retraining it.

The exam pack's paraphrase bank says, for each rule, how learners and other exam banks ask about it. The
adapter is one 384×384 matrix ``W`` fitted so that ``normalize(q + q·W)`` of each paraphrase lands nearest its
own rule's row vector among all the rows (a softmax over the rows, temperature ``TAU``; cross-entropy plus an
L2 pull of ``W`` towards zero, so an unadapted question keeps its meaning). Documents are not touched: only the
query side moves, so nothing in the index is embedded again.

It is fitted with plain NumPy (full-batch Adam, fixed epochs, no randomness), in a few seconds at ingest and only
when the bank or the rows change, and saved beside the index. Measured on the dev sets (README, "Understanding
other people's words"): it adds a ranked list to retrieval, and is kept because it wins there; set
``STUDYASSIST_ADAPTER=false`` to compare without it.
"""
from __future__ import annotations

import logging
from pathlib import Path

import numpy as np

from studyassist.arrays import load_arrays, save_arrays
from studyassist.errors import IndexCorruptError

log = logging.getLogger(__name__)

TAU = 0.05  # softmax temperature over cosines (as in contrastive sentence-embedding training)
WEIGHT_DECAY = 0.01  # chosen on dev data: 1e-4 overfits the bank's wording, 0.1 barely moves the queries
EPOCHS, LEARNING_RATE = 300, 0.01
MIN_EXAMPLES = 50  # fewer paraphrases than this teach nothing reliable: no adapter


def _unit(x: np.ndarray) -> np.ndarray:
    return x / np.maximum(np.linalg.norm(x, axis=-1, keepdims=True), 1e-12)


class QueryAdapter:
    """``adapt(v) = normalize(v + v·W)``, with the hash of what it was fitted on."""

    FILE = "adapter.npz"

    def __init__(self, weights: np.ndarray, fitted_on: str, examples: int = 0):
        self.weights = np.asarray(weights, dtype=np.float32)
        self.fitted_on, self.examples = fitted_on, examples

    def adapt(self, vectors: np.ndarray) -> np.ndarray:
        v = np.asarray(vectors, dtype=np.float32)
        return _unit(v + v @ self.weights).astype(np.float32)

    @staticmethod
    def recipe() -> str:
        """How it is fitted: a different recipe makes a different adapter from the same data."""
        return f"linear tau={TAU} decay={WEIGHT_DECAY} epochs={EPOCHS} lr={LEARNING_RATE}"

    @classmethod
    def fit(cls, queries: np.ndarray, labels: np.ndarray, targets: np.ndarray, fitted_on: str = "",
            weight_decay: float = WEIGHT_DECAY, epochs: int = EPOCHS) -> QueryAdapter:
        """Fit ``W`` so that each unit query vector's nearest target (unit row vector) is ``targets[label]``."""
        q = np.asarray(queries, dtype=np.float32)
        t = np.asarray(targets, dtype=np.float32)
        y = np.asarray(labels)
        n, dim = q.shape
        w = np.zeros((dim, dim), dtype=np.float32)
        m, v = np.zeros_like(w), np.zeros_like(w)
        beta1, beta2, eps = 0.9, 0.999, 1e-8
        rows = np.arange(n)
        for step in range(1, epochs + 1):
            raw = q + q @ w
            norm = np.linalg.norm(raw, axis=1, keepdims=True)
            x = raw / norm
            logits = (x @ t.T) / TAU
            logits -= logits.max(axis=1, keepdims=True)
            p = np.exp(logits)
            p /= p.sum(axis=1, keepdims=True)
            p[rows, y] -= 1.0  # d(mean cross-entropy)/d(logits) · n
            grad_x = (p @ t) / (TAU * n)
            grad_raw = (grad_x - x * np.sum(grad_x * x, axis=1, keepdims=True)) / norm
            grad = q.T @ grad_raw + 2 * weight_decay * w
            m = beta1 * m + (1 - beta1) * grad
            v = beta2 * v + (1 - beta2) * grad * grad
            w -= LEARNING_RATE * (m / (1 - beta1 ** step)) / (np.sqrt(v / (1 - beta2 ** step)) + eps)
        return cls(w.astype(np.float32), fitted_on, n)

    def save(self, index_dir: Path) -> None:
        save_arrays(index_dir / self.FILE, weights=self.weights, fitted_on=np.array(self.fitted_on),
                    examples=np.array(self.examples))

    @classmethod
    def load(cls, index_dir: Path) -> QueryAdapter | None:
        unreadable = "The query adapter {path} cannot be read ({error}); run `studyassist ingest` to fit it again."
        z = load_arrays(index_dir / cls.FILE, ("weights", "fitted_on", "examples"), unreadable)
        if z is None:
            return None
        weights = z["weights"]
        if weights.ndim != 2 or weights.shape[0] != weights.shape[1] or not np.isfinite(weights).all():
            raise IndexCorruptError(unreadable.format(path=index_dir / cls.FILE, error="ValueError"))
        return cls(weights, str(z["fitted_on"]), int(z["examples"]))

    @staticmethod
    def remove(index_dir: Path) -> None:
        (index_dir / QueryAdapter.FILE).unlink(missing_ok=True)
