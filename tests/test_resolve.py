"""Question resolution on its own: the kind of question, symptoms, concepts by alias and by meaning, the table a
question names, and follow-ups resolved against the previous turn."""
from __future__ import annotations

import pytest

from studyassist.answer.resolve import Conversation, Turn, describes_symptom, detect_intent, generic_concepts

from parts import build_parts


@pytest.mark.parametrize("question, intent, negative", [
    ("Why not an archive tier?", "why_not", False),
    ("What is the difference between a cache and a database?", "versus", False),
    ("ok so a cache and a database, how are they different?", "versus", False),
    ("Cache or database: are they really different?", "versus", False),
    ("Which store handles different regions?", "which", False),  # "different" alone asks no contrast
    ("Reads are slow, what should I check first?", "check_first", False),
    ("What should be versioned for a rebuild?", "capture", False),
    ("When is a read cache the wrong choice?", "when", True),
    ("When should I use an archive tier?", "when", False),
    ("Why is the archive tier cheap?", "why", False),
    ("What is a replicated database?", "define", False),
    ("Our records must survive a zone outage", "which", False),
])
def test_the_kind_of_question(question, intent, negative):
    assert detect_intent(question) == (intent, negative)


@pytest.mark.parametrize("question, symptom", [
    ("Reads became slow after the release", True), ("The job fails with a 403", True),
    ("The bill went up 40%", True), ("How do I keep cold records cheaply?", False),
    ("Which store should we use for hot reads?", False),
])
def test_a_symptom_is_something_going_wrong(question, symptom):
    assert describes_symptom(question) is symptom


@pytest.fixture(scope="module")
def parts(tiny_settings):
    return build_parts(tiny_settings)


def test_concepts_by_name_and_by_meaning(parts):
    r = parts.resolver
    assert r.by_alias("is a read cache right here?") == ["read-cache"]
    assert r.by_alias("nothing named") == []
    assert r.by_meaning(parts.vector("archive tier")) == ["archive-tier"]
    assert generic_concepts(parts.kb) == set()  # no concept is named in more than a dozen rows here


def test_a_question_that_names_a_choice_column_is_about_that_table(parts):
    resolved = parts.resolver.resolve("Which store option fits rarely read records?", None, parts.vector)
    assert resolved.table == "store-options" and not resolved.whole_table
    plural = parts.resolver.resolve("What stores are there?", None, parts.vector)
    assert plural.table == "store-options" and plural.whole_table
    # an earlier "which …" that names no table does not hide a later one that does
    later = parts.resolver.resolve("Records from which year? Which store fits them best?", None, parts.vector)
    assert later.table == "store-options"
    assert parts.resolver.resolve("Records from which year?", None, parts.vector).table is None


def test_a_follow_up_takes_the_other_one_from_the_previous_turn(parts):
    chat = Conversation()
    chat.add(Turn("Which store for hot reads?", "which", ["read-cache"], "Read cache", ["read-cache"],
                  ["archive-tier", "replicated-database"], ["store-selection#1"]))
    resolved = parts.resolver.resolve("and why not the other one?", chat, parts.vector)
    assert resolved.follow_up and resolved.concepts[0] == "archive-tier"
    assert resolved.scenario == "Which store for hot reads?" and "hot reads" in resolved.query
    fresh = parts.resolver.resolve("What is an archive tier for?", Conversation(), parts.vector)
    assert not fresh.follow_up and fresh.concepts == ["archive-tier"]
