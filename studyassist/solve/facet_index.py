"""Inverted indexes over the solver's facets (key → facet positions), so that the work per question grows with
what the question names, not with the size of the review (a 100× corpus has ~30,000 facets)."""
from __future__ import annotations

import numpy as np


def invert(keys_per_facet: list[set[str]]) -> dict[str, np.ndarray]:
    """key → positions of the facets whose key set contains it."""
    index: dict[str, list[int]] = {}
    for i, keys in enumerate(keys_per_facet):
        for k in keys:
            index.setdefault(k, []).append(i)
    return {k: np.array(v, dtype=np.intp) for k, v in index.items()}


def any_of(index: dict[str, np.ndarray], keys, n: int) -> np.ndarray:
    """1.0 for each facet whose key set shares a key with ``keys``, else 0.0."""
    out = np.zeros(n)
    for k in keys:
        if k in index:
            out[index[k]] = 1.0
    return out


def counts(index: dict[str, np.ndarray], keys, n: int) -> np.ndarray:
    """For each facet, how many of ``keys`` (distinct) its key set contains."""
    out = np.zeros(n)
    for k in set(keys):
        if k in index:
            out[index[k]] += 1.0
    return out
