"""Weighing options against the exam pack's notes: facts from the exam's documentation that the review does not
state ("mirrored traffic is capped at 50%", "AmlComputeJobEvent records failed jobs on clusters").

An option is supported by the note that is most about the stem (dense cosine and BM25 over the notes, from a floor
of closeness) and names what the option says that the other options do not (the option's own words, BM25, and its
cosine). The support counts in proportion to the share of the options' words the review never uses: a question the
review's rules can judge is judged by them. Set on the external dev set (``ext_mcq_dev``), with the team's sets
unchanged.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from studyassist.answer.types import Claim
from studyassist.knowledge.notes import NoteIndex
from studyassist.solve.types import Scored
from studyassist.text import key_terms

WEIGHT = 3.0  # how much a note's support adds to an option's score (the review's scores run ~0-3)
SHARPNESS = 4  # a note's relevance to the stem is raised to this power: the few notes about the stem count
STEM_DENSE = 0.7  # relevance to the stem: this share of the cosine, the rest BM25 (both scaled by their best)
OPTION_WORDS = 0.3  # naming the option: this share BM25 of its own words, the rest the option's cosine
UNKNOWN_FULL = 0.3  # the support counts fully from this share of option words the review never uses
SHOWN = 0.25  # a note is quoted when the gated support of the picked option is at least this
# A note supports options only from this cosine to the stem: relevance is scaled by the best note's, so without a
# floor the nearest of unrelated notes counted fully (a sweep-policy note picked "raise the sweep's trial count" for a
# churn model's leaked column). Stop 66, external dev MCQs right: 171 with no floor, 173 from 0.3 to 0.35, 172 at 0.45
STEM_FLOOR = 0.35
# A question's own note (``about``): shown beside an answer when it is this close (cosine) and holds this share of
# the question's rarer words (IDF-weighted). Set on 120 learner dev questions whose best note a reader graded:
# with both gates 39 shown, 32 of them on the question's topic (20 answering it), where cosine alone at 0.5 gave
# 76 shown and 27 off-topic.
ASKED_COSINE = 0.4
ASKED_WORDS = 0.4
# A note leads an answer no row fits well from this cosine and share of the question's words (of the 33 such learner
# dev questions with a note, 30 are beyond the review; these gates keep 17 of those and none of the 3 covered ones)
LEADS = (0.45, 0.5)
FOLLOW_UP_NAMES = 2  # a follow-up's new words tried in the question before it, from its last
FEW_NOTES = 20  # … each a word at most this many notes use


@dataclass
class NoteSupport:
    """Per option: the support added to its score, and the note that gives it (None: no note is near)."""

    support: np.ndarray
    notes: list[int | None]
    weight: float  # the share the support counted with (from the options' words the review never uses)


class _BM25:
    """Okapi BM25 over a small, fixed collection (the notes), on the engine's content words."""

    def __init__(self, texts: list[str], k1: float = 1.2, b: float = 0.75):
        docs = [key_terms(t) for t in texts]
        self.k1, self.b = k1, b
        self.lengths = np.array([len(d) for d in docs], dtype=float)
        self.average = float(self.lengths.mean()) if docs else 1.0
        self.postings: dict[str, list[tuple[int, int]]] = {}
        for i, d in enumerate(docs):
            for term in set(d):
                self.postings.setdefault(term, []).append((i, d.count(term)))
        self.idf = {t: math.log(1 + (len(docs) - len(p) + 0.5) / (len(p) + 0.5)) for t, p in self.postings.items()}
        self.size = len(docs)

    def scores(self, terms) -> np.ndarray:
        out = np.zeros(self.size)
        for term in set(terms):
            for i, tf in self.postings.get(term, ()):
                norm = self.k1 * (1 - self.b + self.b * self.lengths[i] / self.average)
                out[i] += self.idf[term] * tf * (self.k1 + 1) / (tf + norm)
        return out


def _scaled(x: np.ndarray) -> np.ndarray:
    top = float(x.max()) if x.size else 0.0
    return x / top if top > 0 else np.zeros_like(x)


class PackNotes:
    """The notes of the pack serving the review, ready to weigh options against."""

    def __init__(self, index: NoteIndex):
        self.index = index
        self._bm25 = _BM25(index.texts)

    def __len__(self) -> int:
        return len(self.index)

    def nearest(self, vector: np.ndarray) -> float:
        """How close the closest note is to a question (cosine; 0 without notes): a question near the exam's
        documentation beyond the review is one its rows answer less often (a signal of the ask confidence model)."""
        return float((self.index.vectors @ vector).max()) if len(self.index) else 0.0

    def _relevance(self, cosine: np.ndarray, terms: set[str]) -> np.ndarray:
        """How much each note is about a text: its cosine (``cosine``, one per note) and BM25 of the text's ``terms``,
        each scaled by its best."""
        return (STEM_DENSE * _scaled(np.clip(cosine, 0, None))
                + (1 - STEM_DENSE) * _scaled(self._bm25.scores(terms)))

    def support(self, stem: str, scored: Scored, options: list[str], unknown_share: float) -> NoteSupport:
        """How much the notes support each option of a question ``scored`` against the review's rules (its stem and
        option vectors are reused; an option naming what the stem sets aside gains nothing); ``unknown_share``: the
        share of the options' words the review never uses (solver.unknown_share)."""
        stem_vec, option_vecs = scored.stem_vector, scored.option_vectors
        n = len(options)
        weight = min(1.0, unknown_share / UNKNOWN_FULL)
        if not len(self.index) or weight == 0:
            return NoteSupport(np.zeros(n), [None] * n, weight)
        stem_terms = set(key_terms(stem))
        near = self.index.vectors @ stem_vec
        relevance = np.where(near >= STEM_FLOOR, self._relevance(near, stem_terms) ** SHARPNESS, 0.0)
        terms = [set(key_terms(o)) for o in options]
        own = []  # what an option says that the others and the stem do not ("AmlComputeJobEvent", "50 percent")
        for i, t in enumerate(terms):
            shared = set.intersection(*(terms[j] for j in range(n) if j != i)) if n > 1 else set()
            own.append(t - shared - stem_terms)
        words = np.stack([self._bm25.scores(t) for t in own])
        cosine = np.clip(option_vecs @ self.index.vectors.T, 0, None)
        named = OPTION_WORDS * _scaled(words) + (1 - OPTION_WORDS) * cosine
        given = relevance[None, :] * named
        best = given.argmax(axis=1)
        raw = given[np.arange(n), best]
        support = weight * (raw - raw.mean())
        support = np.array([min(0.0, x) if o in scored.set_aside else x for o, x in enumerate(support)])
        return NoteSupport(WEIGHT * support, [int(b) if raw[i] > 0 else None for i, b in enumerate(best)], weight)

    def claims(self, noted: NoteSupport, option: int, decided: bool) -> list[Claim]:
        """The note that supports ``option``, quoted with its page, when it ``decided`` the pick or counted."""
        if (note := noted.notes[option]) is None or not (decided or noted.support[option] >= SHOWN):
            return []
        return [self.quote(note, "Beyond the review:")]

    def quote(self, note: int, heading: str) -> Claim:
        """Note ``note`` as a line of an answer, with its page; never a citation of the review."""
        return Claim(text=f"{self.index.texts[note]} (exam pack note, from {self.index.sources[note]})",
                     heading=heading, note=True)

    def about(self, question: str, vector: np.ndarray, last: str = "", embed=None) -> tuple[int, bool] | None:
        """The note most about a free question (``vector``: the question's own embedding), if it is close enough in
        meaning and holds enough of the question's rarer words to be about the same thing; and whether it is close
        enough to lead an answer (``LEADS``). A follow-up (``last``: the question before, ``embed``: text → vector)
        that names something new ("and what about the other one, grid?" after "When should I use Bayesian sampling
        for a sweep job?") is also read as the question before with that name in place of one of its words."""
        if (found := self._about(question, vector)) is not None or not last or embed is None:
            return found
        said = set(key_terms(last))  # (a name few notes use, new in the follow-up: "grid", not "endpoint")
        new = [t for t in key_terms(question) if len(self._bm25.postings.get(t, ())) in range(1, FEW_NOTES + 1)
               and t not in said]
        for name in new[-FOLLOW_UP_NAMES:]:  # (its last new words: "grid", after "about")
            for word in reversed([w for w in last.split() if key_terms(w)]):  # (a modifier comes before its noun)
                instead = last.replace(word, name, 1)
                if (got := self._about(instead, embed(instead))) and name in key_terms(self.index.texts[got[0]]):
                    return got
        return None

    def _about(self, question: str, vector: np.ndarray) -> tuple[int, bool] | None:
        if not len(self.index):
            return None
        terms = set(key_terms(question))
        cosine = self.index.vectors @ vector
        best = int(self._relevance(cosine, terms).argmax())
        known = [t for t in terms if t in self._bm25.idf]
        mass = sum(self._bm25.idf[t] for t in known)
        held = set(key_terms(self.index.texts[best]))
        share = sum(self._bm25.idf[t] for t in known if t in held) / mass if mass else 0.0
        if cosine[best] < ASKED_COSINE or share < ASKED_WORDS:
            return None
        return best, bool(cosine[best] >= LEADS[0] and share >= LEADS[1])
