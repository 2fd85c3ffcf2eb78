"""Hybrid retrieval: dense (Chroma) and BM25 over the same chunks, fused by reciprocal rank fusion."""
from __future__ import annotations

import copy
import logging
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np

from studyassist.acronyms import acronym_spellings, spelled_acronyms
from studyassist.answer.resolve import describes_symptom, without_denied_symptoms
from studyassist.embedding.adapter import QueryAdapter
from studyassist.knowledge.model import KnowledgeBase, Rule
from studyassist.knowledge.negation import negated_spans
from studyassist.knowledge.paraphrases import ParaphraseIndex
from studyassist.knowledge.prose import beside_rows
from studyassist.text import bracket_readings, key_terms

log = logging.getLogger(__name__)

RRF_K = 60
# A query word the index lacks also matches an indexed word that is the same word with one of these
# endings ("fair" → "fairness", "explain" → "explainability"); shorter words are too ambiguous.
WORD_ENDINGS = ("ness", "ity", "ability", "ment", "ation", "ing", "ed", "s", "es")
MIN_STEM_CHARS = 4
# ... or the same word with another of them, or none ("managing" → "management", "evaluated" → "evaluation"): the
# stem left once one is cut (with or without a final "e", "manag(e)") takes each of the others; a four-letter stem only
# a verb's ("signing" → "signed"), as "scor(e)" would make fraud scores "scoring" and "form(al)" a form
_CUT = ("ation", "ment", "ness", "ion", "ing", "ity", "al", "ed", "es", "s", "e", "y")  # ("healthy" → "health")
_VERB = ("", "s", "ed", "ing")
_ACRONYM = re.compile(r"\b(?:[A-Z]{3,6}(?=s?\b)|[A-Z]{2}(?=s\b))")  # "SVS", "RBACs", "VMs" (two letters: plural)


def word_forms(term: str) -> set[str]:
    """Other spellings of one word that ``WORD_ENDINGS`` make: "managing" → "manage", "management", "managed", …"""
    out = {s + x + e for s in [term, *(term[:-len(c)] for c in _CUT if term.endswith(c) and len(term) - len(c) >
                                       MIN_STEM_CHARS)] for x in ("", "e") for e in ("", "ion", "al", *WORD_ENDINGS)}
    short = [term[:-len(c)] for c in ("ing", "ed") if term.endswith(c) and len(term) - len(c) == MIN_STEM_CHARS]
    return (out | {s + e for s in short for e in _VERB}) - {term}


# A chunk that cannot answer the query ranks as if each list had found it ten places lower: a list item that
# is only a question (a self-test line such as "What approval gates should exist …?"), and a row of a table
# that diagnoses symptoms when the query describes none (it asks how to do something). So does prose over a
# section's own rows ("Use a message queue when …" over a table of queue settings), unless the query names what
# it is about: it says what the rows say, more generally, and when both match the row answers (measured on the
# bundled review without its pack, `studyassist eval` with an empty STUDYASSIST_PACKS: that prose had cost hit@1
# 0.652 → 0.609).
DEMOTION = 1.0 / (RRF_K + 1) - 1.0 / (RRF_K + 11)  # per ranking fused
# RRF ignores how close a match is. A question nearly the same as one of the ways people ask about a row (the
# paraphrase bank) is strong evidence for that row, so its cosine above the floor adds to the fused score
# (0.05 × 0.2 = 0.01 at cosine 0.9, the RRF gap between ranks 1 and ~10 of three lists). Chosen among 10 settings
# on the dev sets (ask, learner_dev, ask_rewordings; `studyassist eval`): hit@1 0.739 → 0.761, learner-voice
# decisions 0.590 → 0.615, nothing lower; a floor of 0.6 or a weight of 0.2 cost team decisions.
PARAPHRASE_FLOOR = 0.7
PARAPHRASE_WEIGHT = 0.05
# With a paraphrase bank, how people ask about a row (its paraphrases, by meaning) is the best single guide to a
# question in someone else's words, and the review's own words (BM25 over its rows) the most misleading one: on two
# fresh issue-thread learner sets, the bank's dense ranking alone put the right rule first for 0.45 / 0.58 of the
# questions, the rows' dense ranking for 0.10 / 0.38. So the bank's dense ranking counts twice in the fusion and the
# rows' words half (chosen among 14 weightings by the fused rank-1 rule on learner dev, the team ask set and the two
# fresh sets). `studyassist eval`: team decisions 0.804 -> 0.819, hit@3 0.891 -> 0.920, learner dev 0.662 -> 0.667,
# locked 0.514 -> 0.557, stability 0.821 -> 0.831; external locked MCQ 0.686 -> 0.679 (one item). Without a bank
# every ranking counts once.
BANK_DENSE_WEIGHT = 2.0
LEXICAL_LEAD = 2.0  # a row whose words score this many times any other's counts twice (RRF keeps ranks only)
ROW_WORDS_WEIGHT = 0.5
RECENT_SEARCHES = 256  # results kept per retriever for identical repeated searches

# Header words of the tables that diagnose a problem ("Symptom | Likely area to investigate",
# "Scenario | Best first thinking step"): their rows say what is wrong, not how to do something.
DIAGNOSIS_HEADERS = ("symptom", "investigate", "first")


def diagnoses(table) -> bool:
    """Whether a table maps a symptom to where to look (its situation and choice headers say so)."""
    headers = f"{table.columns[table.situation_column]} {table.columns[table.choice_column]}".lower()
    return any(w in headers for w in DIAGNOSIS_HEADERS)


@dataclass(frozen=True)
class Hit:
    """One retrieved chunk; ``rule`` is None for a plain paragraph."""

    chunk_id: str
    text: str
    metadata: dict
    score: float
    dense_rank: int | None
    lexical_rank: int | None
    similarity: float  # cosine of the dense match (0 when only BM25 found it)
    rule: Rule | None
    paraphrase: float = 0.0  # cosine of the rule's closest paraphrase in the bank (0 without one)


def rrf(rankings: list[list[str]], k: int = RRF_K, weights: list[float] | None = None) -> dict[str, float]:
    """Reciprocal rank fusion (Cormack et al. 2009): sum of weight/(k + rank) over the rankings, rank from 1
    (every weight 1 unless given)."""
    fused: dict[str, float] = {}
    for i, ranking in enumerate(rankings):
        w = 1.0 if weights is None else weights[i]
        for rank, key in enumerate(ranking, start=1):
            fused[key] = fused.get(key, 0.0) + w / (k + rank)
    return fused


def _in_document_order(data: dict, kb: KnowledgeBase) -> dict:
    """The store's chunks in the order ingest makes them (``make_chunks``: the rules, then the other paragraphs,
    each in document order). A store returns them in the order they were written, which an update in place
    changes; chunks that tie in a ranking come back in this order, so an index updated in place answers as one
    built afresh."""
    rules = {r.id: i for i, r in enumerate(kb.rules)}
    sections = {(s.source_file, s.path_text): i for i, s in enumerate(kb.sections)}
    def place(i: int) -> tuple:
        meta = data["metadatas"][i]
        if meta.get("rule_id") in rules:
            return 0, rules[meta["rule_id"]], 0, data["ids"][i]
        section = sections.get((meta.get("source_file"), meta.get("section")), len(sections))
        return 1, section, int(meta.get("row") or 0), data["ids"][i]
    order = sorted(range(len(data["ids"])), key=place)
    out = {key: [data[key][i] for i in order] for key in ("ids", "documents", "metadatas")}
    if data.get("embeddings") is not None:
        out["embeddings"] = np.asarray(data["embeddings"], dtype=np.float32).reshape(len(order), -1)[order]
    return out


class HybridRetriever:
    """Searches the rules collection densely and lexically and returns rules, best first.

    With a paraphrase bank (the exam pack's ways of asking about each rule), the bank is searched too, densely and
    lexically, and each paraphrase found votes for its rule's own row; with a query adapter fitted on that bank
    (embedding/adapter.py) the rows are searched once more with the adapted question: up to five rankings fused
    by RRF. A hit's ``similarity`` stays the plain cosine."""

    def __init__(self, kb: KnowledgeBase, collection, embeddings, remote: bool = False,
                 paraphrases: ParaphraseIndex | None = None, adapter: QueryAdapter | None = None):
        import bm25s  # noqa: PLC0415 -- 0.3 s to import; only a loaded index searches
        logging.getLogger("bm25s").setLevel(logging.WARNING)  # it sets DEBUG on import
        self.kb, self.collection, self.embeddings, self.adapter = kb, collection, embeddings, adapter
        # the embedded store's vectors are searched here by one matrix product (exact, ~0.1 ms for the review's
        # 219 chunks, where a Chroma query took ~4 ms); a Chroma server is asked, as it holds what it holds
        data = collection.get(include=["documents", "metadatas"] + ([] if remote else ["embeddings"]))
        data = _in_document_order(data, kb)
        self.ids: list[str] = data["ids"]
        self._position = {cid: i for i, cid in enumerate(self.ids)}
        self._matrix = None if remote else data["embeddings"]
        self.docs: dict[str, str] = dict(zip(data["ids"], data["documents"]))
        self.meta: dict[str, dict] = dict(zip(data["ids"], data["metadatas"]))
        self._bm25 = bm25s.BM25()
        tokens = [key_terms(d) or ["_empty_"] for d in data["documents"]]
        self._bm25.index(tokens, show_progress=False)
        self._vocab = {t for doc in tokens for t in doc}
        self._known: set[str] | None = None  # (built when first asked: ``knows``)
        # the acronyms the documents write ("SVS"), which a question may spell out ("service value system")
        self._acronyms = acronym_spellings(data["documents"], _ACRONYM)  # (with how they spell it out)
        self._diagnosis_tables = {t.id for t in kb.tables if diagnoses(t)}
        self.row_chunk = {m["rule_id"]: cid for cid, m in self.meta.items() if m.get("rule_id")}
        self.paraphrases = paraphrases if paraphrases is not None and len(paraphrases) else None
        if self.paraphrases is not None:
            self._p_bm25 = bm25s.BM25()
            p_tokens = [key_terms(t) or ["_empty_"] for t in self.paraphrases.texts]
            self._p_bm25.index(p_tokens, show_progress=False)
            self._p_vocab = {t for doc in p_tokens for t in doc}
            self._p_chunk = [self.row_chunk.get(r) for r in self.paraphrases.rules]
            self._with_paraphrases = {c for c in self._p_chunk if c is not None}
        self._questions = {cid for cid in self.ids if self._is_question(cid)}  # asked once per candidate per search
        beside = beside_rows(kb)
        self._beside = {cid: beside[m["rule_id"]] for cid, m in self.meta.items() if m.get("rule_id") in beside}
        # The quiz verifier and the solver search the same stem; repeated questions are common in chat.
        self._recent: OrderedDict[tuple, tuple[np.ndarray, list[Hit]]] = OrderedDict()
        self._lock = threading.Lock()
        # A Chroma server can go away mid-session: searches then fall back to BM25 alone, and ``problem``
        # says so for the last search made in this thread (sessions of the app run in threads).
        self.remote = remote
        self._local = threading.local()
        self.scope: frozenset[str] | None = None  # the documents searched (None: all of them)

    def scoped(self, kb: KnowledgeBase, documents: frozenset[str]) -> HybridRetriever:
        """This retriever searching only ``documents`` (file names), with ``kb`` their part of the knowledge base;
        the indexes, the store and the cache of recent searches are shared, not rebuilt."""
        view = copy.copy(self)
        view.kb, view.scope = kb, documents
        view._diagnosis_tables = {t.id for t in kb.tables if diagnoses(t)}
        view._questions = {cid for cid in self._questions if self.meta[cid].get("source_file") in documents}
        return view

    def __len__(self) -> int:
        return len(self.ids)

    def _where(self, area: str | None, table: str | None, kinds: tuple[str, ...] | None) -> dict | None:
        clauses = []
        if area:
            clauses.append({"area": area})
        if table:
            clauses.append({"table": table})
        if kinds:
            clauses.append({"kind": {"$in": list(kinds)}})
        if self.scope is not None:
            clauses.append({"source_file": {"$in": sorted(self.scope)}})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}

    def _allowed(self, meta: dict, area, table, kinds) -> bool:
        return ((not area or meta.get("area") == area) and (not table or meta.get("table") == table)
                and (not kinds or meta.get("kind") in kinds)
                and (self.scope is None or meta.get("source_file") in self.scope))

    def dense(self, vector: np.ndarray, n: int, area=None, table=None, kinds=None) -> list[tuple[str, float]]:
        """Chunk ids and cosine similarities, best first: exact, over the vectors loaded with the index (unit
        vectors, so the dot product is the cosine), or from a Chroma server."""
        n = max(1, min(n, len(self.ids)))
        if self._matrix is not None:
            sims = self._matrix @ np.asarray(vector, dtype=np.float32)
            if area or table or kinds or self.scope is not None:
                sims = np.where([self._allowed(self.meta[c], area, table, kinds) for c in self.ids], sims, -np.inf)
            top = np.argsort(-sims, kind="stable")[:n]
            return [(self.ids[i], float(sims[i])) for i in top if sims[i] > -np.inf]
        where = self._where(area, table, kinds)
        res = self.collection.query(query_embeddings=[vector], n_results=n, where=where, include=["distances"])
        # A re-ingest by another process may have added chunks this (already loaded) knowledge base lacks.
        return [(cid, 1.0 - float(d)) for cid, d in zip(res["ids"][0], res["distances"][0]) if cid in self.meta]

    def query_terms(self, query: str) -> list[str]:
        """The query's key terms as the index spells them: two words the index has as one ("roll out" →
        "rollout") and a word the index has only with another ending ("fair" → "fairness", "managing" →
        "management") are added."""
        terms = key_terms(query)
        spelled = [a.lower() if a.lower() in self._vocab else f"{a.lower()}s" for a in spelled_acronyms(
            query, self._acronyms)]  # (as the index has it: "vms" for the "VMs" it writes)
        out = list(terms) + [a for a in spelled if a not in terms]
        for a, b in zip(terms, terms[1:]):
            if a + b in self._vocab:
                out.append(a + b)
        for t in terms:
            if t not in self._vocab and len(t) >= MIN_STEM_CHARS:
                out += sorted(f for f in word_forms(t) if f in self._vocab)
        return out

    def lexical(self, query: str, n: int, area=None, table=None, kinds=None) -> list[tuple[str, float]]:
        """Chunk ids and BM25 scores (tokens: lowercase, split on punctuation, stop words dropped; the query's
        terms as ``query_terms`` spells them)."""
        scores = self.lexical_scores(" ".join(self.query_terms(query)))
        out = []
        for idx in np.argsort(-scores):
            if scores[idx] <= 0:
                break
            cid = self.ids[int(idx)]
            if self._allowed(self.meta[cid], area, table, kinds):
                out.append((cid, float(scores[idx])))
                if len(out) >= n:
                    break
        return out

    def knows(self, term: str) -> bool:
        """Whether the indexed documents, the pack's ways of asking or a concept's aliases use ``term`` (a key term),
        in this or another ending; of a name's key terms joined by spaces, whether they write each two of them in a
        row ("Azure Load Testing": every word known, "Azure Load Balancer" and "A/B testing" written, never "load
        testing"); a heading and a name read with its bracket's kinds count as written ("App Engine Flexible")."""
        if self._known is None:
            aliases = [key_terms(a) for c in self.kb.concepts for a in c.aliases]
            aliases += [key_terms(h) for h in {r.section for r in self.kb.rules} | bracket_readings(self.docs.values())]
            self._known = self._vocab | getattr(self, "_p_vocab", set()) | {t for terms in aliases for t in terms}
            said = [*map(key_terms, [*self.docs.values(), *(self.paraphrases.texts if self.paraphrases else ())])]
            self._pairs = {(a[:5], b[:5]) for terms in said + aliases for a, b in zip(terms, terms[1:])}
        if " " in term:
            words = term.split()
            return all(map(self.knows, words)) and all((a[:5], b[:5]) in self._pairs for a, b in zip(words, words[1:]))
        return term in self._known or len(term) >= MIN_STEM_CHARS and bool(word_forms(term) & self._known)

    def known_share(self, text: str) -> float:
        """The share of ``text``'s key terms that the indexed documents use (0 for a text without any)."""
        terms = key_terms(text)
        return sum(t in self._vocab for t in terms) / len(terms) if terms else 0.0

    def lexical_scores(self, query: str) -> np.ndarray:
        """BM25 score of every chunk (in ``self.ids`` order); a symptom the query denies is not searched for."""
        terms = [t for t in key_terms(without_denied_symptoms(query)) if t in self._vocab]
        return self._bm25.get_scores(terms) if terms else np.zeros(len(self.ids))

    def search(self, query: str, k: int = 8, area: str | None = None, table: str | None = None,
               kinds: tuple[str, ...] | None = None, vector: np.ndarray | None = None) -> list[Hit]:
        """The ``k`` best chunks for ``query``, fused by RRF, each with its rule."""
        if vector is None:
            vector = self.embeddings.query_vector(query)
        key = (query, k, area, table, kinds, self.scope)
        with self._lock:
            seen = self._recent.get(key)
            if seen is not None and np.array_equal(seen[0], vector):
                self._recent.move_to_end(key)
                self._local.problem = None
                return list(seen[1])
        hits, complete = self._search(query, k, area, table, kinds, vector)
        if complete:  # a keyword-only fallback is not remembered: the server may be back next time
            with self._lock:
                self._recent[key] = (vector, hits)
                if len(self._recent) > RECENT_SEARCHES:
                    self._recent.popitem(last=False)
        return list(hits)

    @property
    def problem(self) -> str | None:
        return getattr(self._local, "problem", None)

    def clear_cache(self) -> None:
        """Forget recent searches (the benchmark measures every question as new)."""
        with self._lock:
            self._recent.clear()

    def _search(self, query: str, k: int, area, table, kinds, vector: np.ndarray) -> tuple[list[Hit], bool]:
        pool = max(k * 3, 20)
        adapted: list[tuple[str, float]] = []
        try:
            dense = self.dense(vector, pool, area, table, kinds)
            if self.adapter is not None:
                adapted = self.dense(self.adapter.adapt(vector), pool, area, table, kinds)
            self._local.problem = None
        except Exception as exc:
            if not self.remote:
                raise
            log.warning("Chroma server search failed (%s: %s); using keyword search only", type(exc).__name__, exc)
            self._local.problem = ("The Chroma server did not answer, so this answer comes from keyword search alone; "
                            "check that `chroma run` is still running.")
            dense = []
        lexical = self.lexical(query, pool, area, table, kinds)
        rankings = [[c for c, _ in dense], [c for c, _ in lexical]] + ([[c for c, _ in adapted]] if adapted else [])
        p_sims: dict[str, float] = {}
        if self.paraphrases is not None:
            p_dense, p_lexical, p_sims = self._paraphrase_rankings(query, vector, dense, lexical, pool, area, table,
                                                                   kinds)
            rankings += [p_dense, p_lexical]
        weights = [1.0] * len(rankings)
        if self.paraphrases is not None:
            weights[1], weights[-2] = ROW_WORDS_WEIGHT, BANK_DENSE_WEIGHT
        fused = rrf(rankings, weights=weights)
        for cid, sim in p_sims.items():
            if cid in fused and sim > PARAPHRASE_FLOOR:
                fused[cid] += PARAPHRASE_WEIGHT * (sim - PARAPHRASE_FLOOR)
        how_to, asked = not describes_symptom(query), set(key_terms(query))
        lead = self.paraphrases is None and len(lexical) > 1 and lexical[0][1] >= LEXICAL_LEAD * lexical[1][1] and \
            not negated_spans(query)  # (its words may be those turned down: "must not … alter bucket settings")
        for cid in fused:
            beside = cid in self._beside and not (self._beside[cid] and self._beside[cid] <= asked)
            if cid in self._questions or beside or (how_to and self._diagnosis(cid)):
                fused[cid] -= DEMOTION * sum(weights)
            elif lead and cid == lexical[0][0]:  # a clear winner on words ("entry level" of one item alone) is not
                fused[cid] += 1 / (RRF_K + 1)  # outvoted by rows nearer commoner words (with a bank: team −0.014)
        sims = dict(dense)
        d_rank = {c: i for i, (c, _) in enumerate(dense, 1)}
        l_rank = {c: i for i, (c, _) in enumerate(lexical, 1)}
        hits = []
        for cid in sorted(fused, key=lambda c: -fused[c])[:k]:
            meta = self.meta[cid]
            rid = meta.get("rule_id") or ""
            rule = self.kb.rule(rid) if rid and self.kb.has_rule(rid) else None
            hits.append(Hit(cid, self.docs[cid], meta, fused[cid], d_rank.get(cid), l_rank.get(cid),
                            sims.get(cid, 0.0), rule, p_sims.get(cid, 0.0)))
        return hits, self._local.problem is None

    def _paraphrase_rankings(self, query: str, vector: np.ndarray, dense: list[tuple[str, float]],
                             lexical: list[tuple[str, float]], n: int, area, table, kinds
                             ) -> tuple[list[str], list[str], dict[str, float]]:
        """Rows ranked by how people ask about them, densely (cosine) and lexically (BM25 scaled to each index's best
        match), and each row's best paraphrase cosine. How people ask about a row is its paraphrases, or, for a row
        the bank says nothing about (another document's), its own text: such a row is not outvoted for lacking
        paraphrases, and a row with them does not vote twice with its own text."""
        p = self.paraphrases
        sims = p.vectors @ vector
        best: dict[str, float] = {}
        for i in np.argsort(-sims)[: 8 * n]:
            cid = self._p_chunk[int(i)]
            if cid is not None and cid not in best and self._allowed(self.meta[cid], area, table, kinds):
                best[cid] = float(sims[int(i)])
        asked = {cid: sim for cid, sim in dense if cid not in self._with_paraphrases} | best
        words: dict[str, float] = {}
        top_row = max((score for _, score in lexical), default=0.0)
        for cid, score in lexical:
            if cid not in self._with_paraphrases and top_row > 0:
                words[cid] = score / top_row
        terms = [t for t in self.query_terms(without_denied_symptoms(query)) if t in self._p_vocab]
        if terms:
            scores = self._p_bm25.get_scores(terms)
            top = float(scores.max())
            for i in np.argsort(-scores)[: 8 * n]:
                cid = self._p_chunk[int(i)]
                if top <= 0 or scores[int(i)] <= 0:
                    break
                if cid is not None and self._allowed(self.meta[cid], area, table, kinds):
                    words[cid] = max(words.get(cid, 0.0), float(scores[int(i)]) / top)
        ranked = lambda d: sorted(d, key=lambda c: -d[c])[:n]  # noqa: E731
        return ranked(asked), ranked(words), best

    def row_vector(self, rule_id: str) -> np.ndarray | None:
        """The embedded vector of a rule's chunk (None for a rule without one, or when a Chroma server holds them)."""
        cid = self.row_chunk.get(rule_id)
        return None if cid is None or self._matrix is None else self._matrix[self._position[cid]]

    def _diagnosis(self, chunk_id: str) -> bool:
        table = self.meta[chunk_id].get("table")
        return bool(table) and table in self._diagnosis_tables

    def _is_question(self, chunk_id: str) -> bool:
        """A self-test line of a checklist (a question, not an answer)."""
        r = self.kb.rule(rid) if (rid := self.meta[chunk_id].get("rule_id")) and self.kb.has_rule(rid) else None
        return r is not None and r.kind == "list_item" and not r.situation and r.choice.rstrip().endswith("?")

    def rules(self, query: str, k: int = 5, **filters) -> list[Rule]:
        """Just the rules of the best hits (paragraphs skipped)."""
        return [h.rule for h in self.search(query, k=k * 2, **filters) if h.rule is not None][:k]
