"""The grounded composer on its own, over a small review written here: each kind of question gets an answer
whose claims cite rows that support them (checked by the citation verifier), and "not covered" when nothing fits."""
from __future__ import annotations

import pytest

from studyassist.answer.citations import verify
from studyassist.answer.types import NOT_COVERED

from parts import build_parts


@pytest.fixture(scope="module")
def parts(tiny_settings):
    return build_parts(tiny_settings)


def compose(parts, question: str):
    resolved = parts.resolver.resolve(question, None, parts.vector)
    out = parts.composer.compose(resolved, parts.vector(question))
    kept, removed = verify(out.claims, parts.kb, parts.composer.matcher)
    assert removed == [], removed  # every citation the composer writes supports its sentence
    return out, [rid for c in kept for rid in c.rule_ids]


def test_a_scenario_gets_the_row_that_fits_it(parts):
    out, cited = compose(parts, "Every write has to survive the loss of a zone. Which store?")
    assert out.decision == "Replicated database" and out.covered
    assert cited[0] in ("store-selection#3", "store-options#3")
    assert "archive-tier" in out.alternatives or "read-cache" in out.alternatives  # the rivals of the same table


def test_a_definition_names_the_concept_cites_its_row_and_warns_of_its_mistake(parts):
    out, cited = compose(parts, "What is an archive tier?")
    assert out.decision == "Archive tier" and cited[0] == "store-options#2"
    assert "common-mistakes-list#2" in cited  # treating the archive tier as a backup
    assert any(c.heading == "Watch for:" for c in out.claims)


def test_a_comparison_states_both_sides(parts):
    out, cited = compose(parts, "What is the difference between a read cache and an archive tier?")
    labels = {c.label for c in out.claims if c.label}
    assert {"Read cache", "Archive tier"} <= labels
    assert {"store-options#1", "store-options#2"} <= set(cited)


def test_when_not_to_use_a_choice_leads_with_its_warning(parts):
    out, cited = compose(parts, "When is a read cache the wrong choice?")
    first = out.claims[0]
    assert cited[0] == "store-options#1" and first.heading == "Read cache is the wrong fit:"
    assert first.text == "Stale entries after writes."
    assert out.decision != "Read cache"


def test_a_symptom_goes_to_the_row_that_diagnoses_it(parts):
    out, cited = compose(parts, "Reads became slow, what should I check first?")
    assert out.decision == "Cache hit rate, index size" and cited == ["symptoms#1"]


def test_an_unrelated_question_is_not_covered(parts):
    out, cited = compose(parts, "What is a good recipe for pancakes?")
    assert not out.covered and out.decision is None and cited == []
    assert [c.text for c in out.claims] == [NOT_COVERED]


def test_notes_and_traps_as_claims(parts):
    rule = parts.kb.rule("store-options#2")
    notes = parts.composer.note_claims(rule)
    assert [(c.heading, c.text, c.rule_ids) for c in notes] == [("Watch for:", "Slow and costly retrieval.",
                                                                 ["store-options#2"])]
    traps = parts.composer.trap_claims(["archive-tier"], set())
    assert traps[0].rule_ids == ["common-mistakes-list#2"] and traps[0].heading == "Common mistake:"
    assert parts.composer.trap_claims(["archive-tier"], {"common-mistakes-list#2"}) == []


@pytest.mark.parametrize(("question", "mistake"), [
    ("We put a cache in front of our writes so they finish faster. Is that a bad idea?", "common-mistakes-list#1"),
    ("My lead says copies in the archive tier are our backup. Why would anyone consider that a problem?",
     "common-mistakes-list#2")])
def test_a_verdict_on_a_practice_the_review_calls_a_mistake_is_that_mistake(parts, question, mistake):
    out, cited = compose(parts, question)
    assert cited[0] == mistake and out.decision == parts.kb.rule(mistake).choice
    assert out.claims[0].text.startswith(f"The review lists **{out.decision}** as a common mistake: ")


def test_a_verdict_on_a_practice_no_mistake_matches_is_answered_by_the_row_that_fits(parts):
    out, cited = compose(parts, "We keep cold records for seven years in the cheapest tier. Is that fine?")
    assert out.decision == "Archive tier" and cited[0] in ("store-selection#2", "store-options#2")


PIPELINES = """# Pipelines

## CI/CD versus ML pipeline

| Area | CI/CD pipeline | ML pipeline |
|---|---|---|
| Output | Validated code, deployed endpoint | Metrics, model artifacts, lineage |
| Triggers | Pull request, merge | Data change, schedule |
"""


def test_a_comparison_row_answers_for_the_side_the_question_asks_about_and_says_both():
    # "**CI/CD pipeline** — output." told a learner nothing: the row's cells are what it says
    from ingest.build import BuildReport, Document, build_knowledge
    from studyassist.answer.versus import asked_side
    from studyassist.answer.wording import _said

    kb = build_knowledge([Document("pipelines.md", PIPELINES)], report=BuildReport())
    output = next(r for r in kb.rules if r.situation == "Output")
    assert asked_side(output, "Which one gives me lineage and model artifacts for an audit?") == 1
    assert asked_side(output, "Which one runs on a schedule?") is None  # (the output row says neither)
    assert _said(output, "CI/CD pipeline") == ("output: validated code, deployed endpoint "
                                               "(ML pipeline: metrics, model artifacts, lineage).")
