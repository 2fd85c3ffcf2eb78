"""Hybrid retrieval on its own, over a small review written here: dense + BM25 fused by RRF, filters, the
demotion of self-test questions and of diagnosis rows for how-to questions, and the search cache."""
from __future__ import annotations

import pytest

from studyassist.answer.retrieval import RRF_K, rrf

from parts import build_parts


@pytest.fixture(scope="module")
def parts(tiny_settings):
    return build_parts(tiny_settings)


def test_rrf_adds_reciprocal_ranks():
    fused = rrf([["a", "b", "c"], ["b", "d"]])
    assert fused["b"] == pytest.approx(1 / (RRF_K + 2) + 1 / (RRF_K + 1))
    assert fused["a"] == pytest.approx(1 / (RRF_K + 1)) and fused["d"] == pytest.approx(1 / (RRF_K + 2))
    assert max(fused, key=fused.get) == "b"  # found by both lists beats first in one


def test_rrf_weights_scale_each_rankings_votes():
    fused = rrf([["a", "b"], ["b", "a"]], weights=[2.0, 0.5])
    assert fused["a"] == pytest.approx(2 / (RRF_K + 1) + 0.5 / (RRF_K + 2))
    assert max(fused, key=fused.get) == "a"  # the heavier ranking's first wins a tie of ranks
    assert rrf([["a", "b"], ["b", "a"]], weights=[1.0, 1.0]) == rrf([["a", "b"], ["b", "a"]])


def test_with_a_bank_its_dense_ranking_counts_twice_and_the_rows_words_half(assistant, parts, monkeypatch):
    from studyassist.answer import retrieval
    seen = []
    real = retrieval.rrf
    monkeypatch.setattr(retrieval, "rrf", lambda rankings, weights=None: seen.append(weights) or real(rankings,
                                                                                                      weights=weights))
    assistant.retriever.clear_cache()
    assistant.retriever.search("How do I get back to the previous model quickly?", k=4)
    assert assistant.retriever.paraphrases is not None
    assert seen[-1][1] == retrieval.ROW_WORDS_WEIGHT and seen[-1][-2] == retrieval.BANK_DENSE_WEIGHT
    assert parts.retriever.paraphrases is None  # the small review has no bank
    parts.retriever.clear_cache()
    parts.retriever.search("Which store serves the same records read again and again?", k=4)
    assert set(seen[-1]) == {1.0}  # without a bank every ranking counts once


def test_a_paraphrase_finds_its_row_through_both_rankings(parts):
    hits = parts.retriever.search("Which store serves the same records read again and again?", k=4)
    assert hits[0].rule.choice == "Read cache"
    assert hits[0].dense_rank is not None and hits[0].lexical_rank is not None and hits[0].similarity > 0.3
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_words_the_index_spells_differently_are_joined_or_extended(parts):
    terms = parts.retriever.query_terms("replicated data base for fair tiers")
    assert "database" in terms  # "data base" is one word in the review
    assert "tiering" in terms or "tier" in terms


def test_a_table_filter_keeps_only_that_tables_rows(parts):
    hits = parts.retriever.search("repeated reads", k=5, table="store-options")
    assert hits and {h.rule.table for h in hits} == {"store-options"}


def test_a_self_test_question_is_not_an_answer(parts):
    """The checklist line repeats the question word for word, yet a row that answers it ranks first."""
    hits = parts.retriever.search("Which store keeps cold records cheapest?", k=5)
    assert hits[0].rule.id != "self-test-list#1"
    assert hits[0].rule.choice == "Archive tier"


def test_diagnosis_rows_answer_symptoms_not_how_to_questions(parts):
    symptom = parts.retriever.search("Reads became slow this week", k=3)
    assert symptom[0].rule.id == "symptoms#1"
    how_to = parts.retriever.search("How do I make reads fast for the same records?", k=3)
    assert how_to[0].rule.table != "symptoms"


def test_a_repeated_search_comes_from_the_cache(parts):
    first = parts.retriever.search("cold records for years", k=3)
    assert parts.retriever.search("cold records for years", k=3) == first
    parts.retriever.clear_cache()
    assert [h.chunk_id for h in parts.retriever.search("cold records for years", k=3)] == [h.chunk_id for h in first]


def test_the_loaded_vectors_rank_chunks_as_chroma_does(assistant):
    """Dense search runs over the vectors loaded with the index (one matrix product) instead of a Chroma query:
    the same chunks in the same order, with the same cosines, for plain and filtered searches."""
    retriever = assistant.retriever
    assert retriever._matrix is not None and retriever._matrix.shape == (len(retriever), 384)
    questions = ["Which endpoint suits nightly scoring of a large table?", "How do I roll back a bad release?",
                 "The endpoint returns 500 errors after a new environment image"]
    for vector in assistant.embeddings.encode(questions):
        for area, table in ((None, None), ("deployment", None), (None, "deployment-patterns-to-recognize")):
            mine = retriever.dense(vector, 12, area, table)
            where = retriever._where(area, table, None)
            got = retriever.collection.query(query_embeddings=[vector], n_results=len(mine), where=where,
                                             include=["distances"])
            assert [c for c, _ in mine] == got["ids"][0]
            assert all(abs(s - (1 - d)) < 1e-5 for (_, s), d in zip(mine, got["distances"][0]))
            assert len(mine) == 12 or area or table  # a filter may leave fewer than asked


def test_an_index_written_in_another_order_answers_the_same(parts, tmp_path):
    """A store returns chunks in the order they were written, which an update in place changes; the retriever
    reads them in document order, so rankings (ties included) do not depend on the index's history."""
    import chromadb  # noqa: PLC0415

    from studyassist.answer.retrieval import HybridRetriever  # noqa: PLC0415

    data = parts.retriever.collection.get(include=["documents", "metadatas", "embeddings"])
    shuffled = chromadb.PersistentClient(path=str(tmp_path)).create_collection("rules", metadata={"hnsw:space": "cosine"})
    back = list(reversed(range(len(data["ids"]))))
    shuffled.add(ids=[data["ids"][i] for i in back], documents=[data["documents"][i] for i in back],
                 metadatas=[data["metadatas"][i] for i in back], embeddings=[data["embeddings"][i] for i in back])
    assert shuffled.get()["ids"] != data["ids"]  # written in another order, read back in that order
    again = HybridRetriever(parts.kb, shuffled, parts.retriever.embeddings, paraphrases=parts.retriever.paraphrases)
    assert again.ids == parts.retriever.ids
    assert [r.id for r in parts.kb.rules] == [parts.retriever.meta[c]["rule_id"] for c in again.ids[:len(parts.kb.rules)]]
    for question in ("Which store keeps cold records cheapest?", "tier", "records"):
        assert [h.chunk_id for h in again.search(question, k=8)] == \
            [h.chunk_id for h in parts.retriever.search(question, k=8)]
