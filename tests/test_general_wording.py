"""The general wording lexicon (studyassist/pack/wording.toml): phrases that mean the same in any cloud exam, used to
widen a stem's words for BM25 when no exam pack's clue words serve the document (solve/lexical.py)."""
from __future__ import annotations

import re
import tomllib

import pytest
from test_documents import assistant_without_pack

from studyassist.knowledge.clues import Clues
from studyassist.pack import general_wording
from studyassist.pack.loader import WORDING

GROUPS = [g["phrases"] for g in tomllib.loads(WORDING.read_text(encoding="utf-8"))["group"]]

# Pairs an exam contrasts: no group may join them, or a stem asking for one would find rows about the other.
CONTRASTS = [("read", "write"), ("authentication", "authorization"), ("scale up", "scale out"), ("rpo", "rto"),
             ("public", "private"), ("hot", "cold"), ("backup", "replication"), ("online", "batch"),
             ("synchronous", "asynchronous"), ("latency", "throughput"), ("encrypt", "sign"),
             ("service endpoint", "private endpoint"), ("data drift", "concept drift"), ("failover", "failback")]


def test_every_phrase_is_lowercase_short_and_in_one_group_only():
    phrases = [p for g in GROUPS for p in g]
    assert len(GROUPS) >= 200
    assert all(p == p.lower() and 1 <= len(p.split()) <= 4 for p in phrases), [p for p in phrases if p != p.lower()]
    assert len(phrases) == len(set(phrases)), sorted({p for p in phrases if phrases.count(p) > 1})


@pytest.mark.parametrize("a, b", CONTRASTS)
def test_no_group_joins_what_an_exam_contrasts(a, b):
    def has(phrase, word):
        return re.search(rf"(?<![a-z]){re.escape(word)}(?![a-z])", phrase) is not None

    # ("write once read many" names both, as one thing)
    assert [g for g in GROUPS if any(has(p, a) and not has(p, b) for p in g)
            and any(has(p, b) and not has(p, a) for p in g)] == []


def test_each_phrase_brings_its_groups_other_phrases_unless_negated():
    clues = Clues(general_wording())
    assert len(clues) == len(GROUPS)
    for group in GROUPS:
        for phrase in group:
            terms = [t for _, t in clues.matched(f"The team needs this {phrase} today.")]
            assert any(all(p in t for p in group) for t in terms), phrase
    # under a negation a phrase widens nothing
    assert "quarterly" not in clues.expand("The team does not need a review every three months.")
    assert "quarterly" in clues.expand("Managers confirm group members every three months.")


REVIEW = """# Identity governance

## Pick a feature

| Need | Feature |
|---|---|
| Quarterly confirmation of who keeps group membership | Access reviews |
| Just-in-time elevation to an admin role | Privileged Identity Management |
| Block sign-in from risky locations | Conditional Access |
"""


def test_a_document_without_a_pack_widens_a_stems_words_to_the_rows_own(tmp_path):
    assistant = assistant_without_pack(tmp_path, {"identity.md": REVIEW})
    solver = assistant.solver
    assert solver._lexical.wording is not None  # no exam pack's clue words serve this document
    stem = "Every three months, managers must check which people still belong in their teams. Which feature?"
    widened = solver._lexical(stem)
    solver._lexical.wording = None
    plain = solver._lexical(stem)
    row = next(i for i, f in enumerate(solver.facets) if solver.kb.rule(f.rule_id).choice == "Access reviews")
    def lead(scores):  # how far the row is ahead of the best other row
        return scores[row] - max(x for i, x in enumerate(scores) if i != row)

    assert lead(plain) <= 0 < lead(widened), (widened, plain)  # "quarterly" is the row's word, not the stem's


def test_a_pack_with_clue_words_keeps_them_and_not_the_general_ones(assistant):
    assert assistant.pack.clues and assistant.solver._lexical.wording is None


def test_without_a_bank_a_question_in_the_documents_words_is_covered_nearer_the_edge(tmp_path, monkeypatch,
                                                                                       assistant):
    """No pack, no paraphrase bank: a question a little farther from every row than the coverage line still gets
    an answer when half of its words are the document's (answer/coverage.py); one in other words does not; and with
    a pack's bank the vocabulary plays no part."""
    from studyassist.answer import coverage

    mine = assistant_without_pack(tmp_path, {"identity.md": REVIEW})
    assert mine.retriever.known_share("Block sign-in from risky locations") == 1.0
    assert mine.retriever.known_share("a recipe for lemon tart") == 0.0

    def decide(a, question):
        """Whether ``question`` is covered when its best row cosine sits just under the row line and just above
        the vocabulary line (both moved around it, so the test does not depend on the model's exact cosines)."""
        hits = a.composer._rule_hits(question, a.embeddings.query_vector(question))
        best = max(h.similarity for h in hits)
        monkeypatch.setattr(coverage, "COVERAGE_SIMILARITY", best + 0.01)
        monkeypatch.setattr(coverage, "PARAPHRASE_COVERAGE", 1.01)
        monkeypatch.setattr(coverage, "VOCABULARY_SIMILARITY", best - 0.01)
        return coverage.covered(hits, [], question, a.retriever)

    assert decide(mine, "Which feature gives managers a quarterly confirmation of who keeps group membership?")
    assert not decide(mine, "What oven temperature suits a lemon tart with a shortcrust base?")
    assert not decide(assistant, "Which compute should run nightly scoring of two terabytes?")  # a bank: no
