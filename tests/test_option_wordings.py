"""The pack's option wordings (``answer``/``mistake`` voices of its paraphrase bank): how exam options state each
rule's choice, or a mistake, in other words than the review's — and what the solver does with them."""
from __future__ import annotations

from collections import Counter

import pytest

from studyassist.knowledge.paraphrases import ParaphraseIndex
from studyassist.pack import ANSWER_VOICE, MISTAKE_VOICE, NO_PACK
from studyassist.solve.mcq import from_parts, parse_pasted
from studyassist.solve.wordings import OptionWordings

from conftest import ai300_pack, always


@pytest.fixture(scope="module")
def solver(assistant):
    return assistant.solver


def without_wordings(solver, monkeypatch):
    monkeypatch.setattr(solver, "wordings", solver._no_wordings)


def test_every_decision_of_the_review_has_option_wordings_and_every_mistake_its_tempting_forms(assistant):
    kb, pack = assistant.kb, ai300_pack()
    wordings = [p for p in pack.paraphrases if p.option_wording]
    answers = Counter(p.rule for p in wordings if p.voice == ANSWER_VOICE)
    mistakes = Counter(p.rule for p in wordings if p.voice == MISTAKE_VOICE)
    decisions = [r for r in kb.rules if not r.overview]
    assert all(answers[r.id] >= 3 for r in decisions), [r.id for r in decisions if answers[r.id] < 3]
    assert all(mistakes[r.id] >= 3 for r in decisions if r.anti_pattern)
    assert not {rid for rid in mistakes if not kb.rule(rid).anti_pattern}  # only a mistake has a mistaken form
    assert all(kb.rule(p.rule).sides for p in wordings if p.side is not None)
    assert all(p.side is not None for p in wordings if kb.rule(p.rule).sides)  # a comparison row: say which side
    assert all("?" not in p.text and len(p.text.split()) <= 24 for p in wordings)  # options, not questions
    # embedded at ingest beside the index, never searched as ways of asking
    index = ParaphraseIndex.load(assistant.settings.index_dir, ParaphraseIndex.OPTION_FILE)
    assert set(index.ids) == {p.id for p in wordings}
    assert not set(index.ids) & set(assistant.retriever.paraphrases.ids)


BATCH_TOO_SLOW = ("Nightly scoring of 40,000 scanned invoices on a batch endpoint now takes nine hours; the cluster "
                  "shows one busy node and three idle, and the scoring script loads the model for every mini-batch. "
                  "What should you change?\n"
                  "A) Raise the instance count and max concurrency, tune the mini-batch size, and load the model once "
                  "in init()\nB) Move the invoices to a managed online endpoint\nC) Register a new version of the "
                  "model\nD) Switch to a compute instance")


def test_an_option_in_azure_ml_terms_states_the_row_it_carries_out(solver, monkeypatch):
    """The review: "Batch scoring is too slow → review parallelism, compute size, input partitioning, and model load
    overhead". An exam option says instance count, max concurrency, mini-batch size and init(): no word of the row's
    choice, and a cosine of 0.3 to it. The pack's wordings of that row carry it."""
    q = parse_pasted(BATCH_TOO_SLOW)
    fits = solver.score(q).fits
    assert max(range(4), key=lambda i: fits[i].score) == 0
    assert fits[0].facet.rule_id == "troubleshooting-scenarios#5"
    without_wordings(solver, monkeypatch)
    plain = solver.score(q).fits
    assert max(range(4), key=lambda i: plain[i].score) != 0 and plain[0].score < 0.5 * fits[0].score


def test_an_option_stating_a_known_mistake_in_other_words_is_read_as_that_mistake(solver, monkeypatch):
    """"Hyperparameter tuning does not replace final validation": "ship the best trial straight to production" is
    that mistake, though it shares few words with the review's trap line."""
    q = from_parts("A sweep job finished and its best trial has the top AUC on the validation split. What should "
                   "happen before the model goes to production?",
                   ["Ship the best trial straight to production since the sweep already chose it",
                    "Score the best trial on held-out test data and run the release checks",
                    "Run the sweep again with twice as many trials", "Delete the other trials to save storage"])
    fits = [f.score for f in solver.score(q).fits]
    assert max(range(4), key=fits.__getitem__) == 1
    without_wordings(solver, monkeypatch)
    plain = [f.score for f in solver.score(q).fits]
    assert max(range(4), key=plain.__getitem__) != 1  # without them a sweep option wins
    assert fits[0] < 0.7 * plain[0]


def test_a_wording_of_what_the_stem_declines_earns_nothing(solver):
    """"Does not want to create, size, or patch any clusters": an option creating clusters reads like a wording of
    "where a job runs", but the stem rules out what it names."""
    stem = ("A team submits a handful of training jobs each week, each needing a different VM size. The platform "
            "team {} any clusters. Where should the jobs run?")
    options = ["Create one compute cluster per VM size", "Give every data scientist a compute instance",
               "Omit the compute target so the jobs run on serverless compute"]
    declined = solver.score(from_parts(stem.format("does not want to create, size, or patch"), options)).fits
    wanted = solver.score(from_parts(stem.format("wants to create, size and patch"), options)).fits
    assert declined[0].score < 0.5 * declined[1].score < wanted[0].score


def test_wordings_group_by_the_facet_they_state(assistant):
    """The best cosine per facet, each wording counted for its own facet (a side of a comparison row for its side)."""
    solver = assistant.solver
    words = solver.wordings
    position = {f.key: i for i, f in enumerate(solver.facets)}
    pipeline = next(p for p in ai300_pack().paraphrases if p.option_wording and p.side == 1)
    vector = assistant.embeddings.encode([pipeline.text])
    said = words.closeness(vector, ANSWER_VOICE)[0]
    assert said[position[f"{pipeline.rule}@1"]] == pytest.approx(1.0, abs=1e-4)  # its own wording
    assert said[position[f"{pipeline.rule}@0"]] < 0.999  # not the other side's
    assert words.closeness(vector, MISTAKE_VOICE)[0][position[f"{pipeline.rule}@1"]] == 0.0
    empty = OptionWordings(None, NO_PACK, solver.facets, solver._choice.shape[1])
    assert not empty and not empty.closeness(vector, ANSWER_VOICE).any()


def test_a_pick_that_only_the_wordings_make_is_never_confident(solver, monkeypatch):
    """Wordings are a cosine to what the pack wrote, not the review's words: when they alone turn the pick, the
    answer is at most ``likely`` (it neither praises nor faults the learner, and is not logged)."""
    monkeypatch.setattr(solver, "model", always("confident"))
    turned = solver.solve(parse_pasted(BATCH_TOO_SLOW), chose="A")
    assert turned.best == "A" and turned.confidence == "likely"
    assert "well chosen" not in (turned.chosen_feedback or "").lower()
    plain = solver.solve(parse_pasted("A team wants to expose a new model gradually to a small percentage of users "
                                      "first. Which pattern?\nA) Blue/green\nB) Canary release\nC) Shadow testing\n"
                                      "D) A/B testing"))
    assert plain.best == "B" and plain.confidence == "confident"  # the same pick without them: as sure as before


def test_a_wrong_pick_in_other_words_is_explained_by_the_rule_it_states(solver):
    """An option that names no choice of the review (no concept, no cosine to a choice cell) but says nearly what
    the pack's wording of a row says is attributed to that row (the explanation contrasts it with the key's, the
    mistake log would name it); a weak resemblance names nothing."""
    stem = "A new deployment receives 10% of traffic. What should the team do?"
    other = "Paint the office walls a calmer shade of blue"
    plain = solver._no_wordings
    wordings = [p.text for p in ai300_pack().paraphrases
                if p.rule == "troubleshooting-scenarios#6" and p.voice == ANSWER_VOICE]
    unnamed = []
    for text in wordings:  # the wordings the review's own words name nothing for
        words, solver.wordings = solver.wordings, plain
        try:
            if solver.score(from_parts(stem, [text, other])).fits[0].own is None:
                unnamed.append(text)
        finally:
            solver.wordings = words
    assert unnamed
    for text in unnamed:
        fits = solver.score(from_parts(stem, [text, other])).fits
        assert fits[0].own is not None and fits[0].own.rule_id == "troubleshooting-scenarios#6", text
        assert fits[1].own is None
