"""How well a text's words fit each facet's row (BM25), counting only the words that speak for that facet.

A comparison row's other side, what a row rules out, and a table title's words (in every row of the table) would
otherwise make a row fit a stem for words that are not its own. With the general wording lexicon (phrases that
mean the same in any cloud exam; for a document no exam pack's clue words serve) a stem's phrase also brings the
words that mean the same ("every quarter" → "quarterly", "every three months"): to BM25 only, not to the embedding.
"""
from __future__ import annotations

import numpy as np

from studyassist.knowledge.clues import Clues
from studyassist.knowledge.facets import Facet
from studyassist.knowledge.model import KnowledgeBase
from studyassist.pack import general_wording
from studyassist.solve.facet_index import invert
from studyassist.solve.mistakes import ruled_out_terms
from studyassist.text import key_terms

# BM25 is scaled by the best row's score, but by no less than this share of a row with every stem word's score
LEXICAL_FLOOR = 0.35


class RowWords:
    """BM25 per facet, from the retriever's lexical index of the rows' chunks."""

    def __init__(self, kb: KnowledgeBase, retriever, facets: list[Facet], general: bool = False):
        """``general``: widen a text's words by the general wording lexicon (no exam pack's clue words serve)."""
        self.kb, self.retriever = kb, retriever
        self.wording = Clues(general_wording()) if general else None
        chunk_of_rule = {retriever.meta[c].get("rule_id"): i for i, c in enumerate(retriever.ids)}
        self.chunk_of_facet = np.array([chunk_of_rule.get(f.rule_id, -1) for f in facets])
        # words of a facet's row that do not speak for the facet: see `_not_its_terms`
        self.by_foreign_term = invert([self._not_its_terms(f, c) for f, c in zip(facets, self.chunk_of_facet)])
        # a word of a table's title ("The 6 Responsible AI Principles") is in every row's chunk; in one row's cells
        # too ("Humans are responsible") it would make that row fit a stem that only names the table: per title
        # word, the facets of each table whose title has it
        groups: dict[str, dict[str, list[int]]] = {}
        for i, f in enumerate(facets):
            rule = kb.rule(f.rule_id)
            if rule.table and self.chunk_of_facet[i] >= 0:
                for t in set(key_terms(kb.table(rule.table).title)):
                    groups.setdefault(t, {}).setdefault(rule.table, []).append(i)
        self._title_groups = {t: [np.array(v) for v in by_table.values() if len(v) > 1]
                              for t, by_table in groups.items()}
        self._best_by_term: dict[str, float] = {}

    def _not_its_terms(self, f: Facet, chunk: int) -> set[str]:
        """Words of the facet's row that are not evidence for it: those only in the other side of a comparison
        row ("Azure ML pipeline: data prep, training …" is not CI/CD's), or only in what the row rules out."""
        rule = self.kb.rule(f.rule_id)
        if rule.sides:
            own = rule.sides[int(f.key.rsplit("@", 1)[1])]
            others = [f"{s.label} {s.text}" for s in rule.sides if s is not own]
            return set(key_terms(" ".join(others))) - set(key_terms(f"{own.label} {own.text} {rule.situation}"))
        if f.anti or chunk < 0:
            return set()  # a mistake's negation is its point
        return ruled_out_terms(self.retriever.docs[self.retriever.ids[chunk]])

    def __call__(self, text: str) -> np.ndarray:
        """BM25 of ``text`` against each facet's row, less what the row's words that are not the facet's scored,
        scaled so the best row is 1."""
        text = self.wording.expand(text) if self.wording is not None else text
        scores = self.retriever.lexical_scores(text)
        chunks = self.chunk_of_facet
        per_facet = np.where(chunks >= 0, scores[chunks], 0.0)
        terms = key_terms(text)
        for t in set(terms) & self.by_foreign_term.keys():  # BM25 adds up per query word
            rows = self.by_foreign_term[t]
            per_facet[rows] -= terms.count(t) * self.retriever.lexical_scores(t)[chunks[rows]]
        for t in set(terms) & self._title_groups.keys():  # a title word counts once in each row of its table
            weights = self.retriever.lexical_scores(t)
            for rows in self._title_groups[t]:
                own = weights[chunks[rows]]
                per_facet[rows] -= terms.count(t) * (own - own.min())
        per_facet = np.clip(per_facet, 0.0, None)
        top = max(per_facet.max(), LEXICAL_FLOOR * sum(terms.count(t) * self._term_best(t) for t in set(terms)))
        return per_facet / top if top > 0 else per_facet

    def _term_best(self, term: str) -> float:
        """The best BM25 score any row gets for ``term`` alone (remembered for the review's words only, so that
        what people type cannot grow the cache)."""
        if (best := self._best_by_term.get(term)) is None:
            best = float(self.retriever.lexical_scores(term).max(initial=0.0))
            if best > 0:
                self._best_by_term[term] = best
        return best
