"""Sizes and durations a stem states against the bounds a row's situation sets: "the data set will grow to tens of
terabytes" is past "Relational, < 10 TB" and within "Relational, > 10 TB, global"; "each job runs for about two
hours" is past "Lambda … 15min limit". Embeddings and BM25 see numbers as words; this compares them.

A bound is a comparison before a number with a unit ("< 10 TB", "> 100 GB", "under 15 minutes", "up to 64 TB",
"at least 1 hour") or a limit after one ("15min limit", "1 TB max"). A stated quantity is a number with a unit
("60 TB", "under 200 GB", "two hours"), or a vague one ("tens of terabytes" counts as 20, "hundreds of gigabytes" as
200, "several hours" and "a few minutes" as 3). Only sizes and durations, in the unit's own scale.
"""
from __future__ import annotations

import re
from dataclasses import replace

import numpy as np

_SIZE = {"kb": 1e3, "kilobyte": 1e3, "mb": 1e6, "megabyte": 1e6, "gb": 1e9, "gigabyte": 1e9, "tb": 1e12,
         "terabyte": 1e12, "pb": 1e15, "petabyte": 1e15}
_TIME = {"ms": 1e-3, "millisecond": 1e-3, "s": 1.0, "sec": 1.0, "second": 1.0, "min": 60.0, "minute": 60.0,
         "h": 3600.0, "hr": 3600.0, "hour": 3600.0, "day": 86400.0, "week": 604800.0}
_UNIT = r"(kb|mb|gb|tb|pb|kilobytes?|megabytes?|gigabytes?|terabytes?|petabytes?|ms|milliseconds?|secs?|seconds?|" \
        r"mins?|minutes?|hrs?|hours?|days?|weeks?|s|h)\b"
_NUM = r"(\d+(?:\.\d+)?)"
_WORDS = {w: float(i) for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve"
                                            .split())}
_VAGUE = {"tens of": 20.0, "dozens of": 30.0, "hundreds of": 200.0, "thousands of": 2000.0, "several": 3.0,
          "a few": 3.0, "a couple of": 2.0}
_BEFORE = re.compile(rf"(<=|>=|≤|≥|<|>|under|over|less than|more than|below|above|up to|at most|at least|"
                     rf"max(?:imum)?|min(?:imum)? of)\s*{_NUM}\s*{_UNIT}", re.I)
_AFTER = re.compile(rf"(?<![\w.]){_NUM}\s*{_UNIT}\s*(limit|max(?:imum)?|or less|or more|\+)", re.I)
_STATED = re.compile(rf"(?<![\w.])(?:{_NUM}|\b({'|'.join(_VAGUE)}|{'|'.join(_WORDS)})\b)\s*{_UNIT}", re.I)
_BELOW = {"<", "≤", "<=", "under", "less than", "below", "up to", "at most", "max", "maximum", "limit", "or less"}


def _scale(unit: str) -> tuple[str, float] | None:
    u = unit.lower()
    u = u[:-1] if len(u) > 2 and u.endswith("s") and u[:-1] in {**_SIZE, **_TIME} else u
    return ("size", _SIZE[u]) if u in _SIZE else ("time", _TIME[u]) if u in _TIME else None


def bounds(text: str) -> list[tuple[str, str, float]]:
    """(dimension, "below" | "above", value in the dimension's base unit) for each bound ``text`` sets."""
    out = []
    for m in _BEFORE.finditer(text):
        if (scale := _scale(m.group(3))) is not None:
            side = "below" if m.group(1).lower() in _BELOW else "above"
            out.append((scale[0], side, float(m.group(2)) * scale[1]))
    for m in _AFTER.finditer(text):
        if (scale := _scale(m.group(2))) is not None:
            side = "below" if m.group(3).lower() in _BELOW else "above"
            out.append((scale[0], side, float(m.group(1)) * scale[1]))
    return out


def stated(text: str) -> list[tuple[str, float]]:
    """(dimension, value in its base unit) for each size or duration ``text`` states ("stays under 200 GB": 200 GB)."""
    out = []
    for m in _STATED.finditer(text):
        scale = _scale(m.group(3))
        if scale is None or (m.group(3).lower() in {"s", "h"} and not m.group(1)):  # "several s"
            continue
        word = (m.group(2) or "").lower()
        value = float(m.group(1)) if m.group(1) else _WORDS.get(word, _VAGUE.get(word, 0.0))
        if value > 0:
            out.append((scale[0], value * scale[1]))
    return out


def past(row_bounds: list[tuple[str, str, float]], quantities: list[tuple[str, float]]) -> bool:
    """Whether a stated quantity falls outside a bound of the same dimension (and none falls inside one)."""
    outside = inside = False
    for dim, side, limit in row_bounds:
        for qdim, value in quantities:
            if qdim == dim:
                ok = value <= limit if side == "below" else value >= limit
                inside, outside = inside or ok, outside or not ok
    return outside and not inside


PAST_WEIGHT = 0.5  # how much of its fit a row loses when the stem states a size or duration past its bound


class RowBounds:
    """Per facet, the bounds its rule's cells set (a comparison row's sides set none it could be held to)."""

    def __init__(self, kb, facets):
        self._bounds = [[] if kb.rule(f.rule_id).sides else bounds(kb.rule(f.rule_id).text) for f in facets]
        self._any = any(self._bounds)

    def __call__(self, stem: str) -> np.ndarray:
        """A factor per facet for its fit to ``stem``: 1 - PAST_WEIGHT where a size or duration the stem states
        is past the row's bound, 1 elsewhere."""
        factor = np.ones(len(self._bounds))
        quantities = stated(stem) if self._any else []
        if quantities:
            for i, row in enumerate(self._bounds):
                if row and past(row, quantities):
                    factor[i] = 1 - PAST_WEIGHT
        return factor


def within_bounds(hits: list, text: str) -> list:
    """Search ``hits`` (each with a ``rule`` and a ``score``) for ``text``, a hit whose row's bound a size or
    duration of ``text`` is past scored PAST_WEIGHT lower and the hits re-ordered ("~2 TB" puts "Relational, < 10 TB"
    before "Relational, > 10 TB, global")."""
    quantities = stated(text)
    if not quantities:
        return hits
    kept = [replace(h, score=h.score * (1 - PAST_WEIGHT)) if h.rule is not None and not h.rule.sides
            and past(bounds(h.rule.text), quantities) else h for h in hits]
    return sorted(kept, key=lambda h: -h.score)
