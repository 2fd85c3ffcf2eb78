"""Question resolution on its own: the kind of question, symptoms, concepts by alias and by meaning, the table a
question names, and follow-ups resolved against the previous turn."""
from __future__ import annotations

import pytest

from studyassist.answer.resolve import (
    Conversation,
    Turn,
    describes_symptom,
    detect_intent,
    follows_up,
    generic_concepts,
)

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
    # what to do when something happens, put up for judgement (not "when should I use …")
    ("and when the cache misses, do we just read the database right away?", "verdict", False),
    ("If a zone fails, should we fail over by hand?", "verdict", False),
    ("Why isn't a read replica enough by itself?", "why", False),  # what more it needs, not why another wins
    # after a scenario, the asking sentence still defines or asks when (team rewordings of ask-002 and ask-010)
    ("A team keeps hearing the term read cache. What does a read cache mean for them?", "define", False),
    ("A team weighs an archive tier. Under what circumstances is that acceptable?", "when", False),
    # a sentence that opens with "When" sets a scene; it asks no when-question (a learner's question of stop 63 got
    # an empty answer: "not just when …" made it a negative when-question about a choice with no trap to quote)
    ("When new records land we want them cached on their own, not just when someone asks. Should the database or "
     "a function do it?", "which", False),
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


def test_what_a_possessive_owns_is_what_the_question_is_about(parts):
    """"a sweep's best run" asks about the best run (team rewording ask-076 was answered about the sweep job): a
    concept named after another's possessive comes first; named the other way round, the order stays."""
    r = parts.resolver
    assert r.resolve("When is the replicated database's archive tier worth it?", None, parts.vector).concepts[:2] \
        == ["archive-tier", "replicated-database"]
    assert r.resolve("When is the archive tier of a replicated database worth it?", None, parts.vector).concepts[:2] \
        == ["archive-tier", "replicated-database"]
    assert r.resolve("When is a replicated database worth it next to a read cache?", None,
                     parts.vector).concepts[:2] == ["replicated-database", "read-cache"]


def test_a_difference_between_two_of_three_named_things_is_about_those_two(parts):
    """"For X, what's the difference between Y and Z?" compares Y and Z (a learner's question of stop 63 about the
    endpoint and a deployment "for batch endpoints" was answered with batch endpoint versus endpoint)."""
    r = parts.resolver
    asked = "For a replicated database, what is the difference between a read cache and an archive tier?"
    assert r.resolve(asked, None, parts.vector).concepts[:2] == ["read-cache", "archive-tier"]
    plain = "Read cache or archive tier: what is the difference for a replicated database?"  # (no "between")
    assert r.resolve(plain, None, parts.vector).concepts[:2] == ["read-cache", "archive-tier"]


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


def test_a_follow_up_for_another_situation_drops_the_words_that_found_the_last_answer(parts):
    """cv-58: "For an internal test endpoint …, is it fine to deploy straight over the old one?" (direct deployment:
    "low-risk internal or test deployment"), then "and for the customer-facing pricing endpoint?": asked again in the
    first question's setting without "internal" and "test", which the new situation replaces."""
    chat = Conversation()
    chat.add(Turn("We have many small reads of the same records in our shop. Which store fits?", "which", [],
                  "Read cache", ["read-cache"], ["archive-tier"], ["store-selection#1"]))
    resolved = parts.resolver.resolve("and for records we must keep seven years?", chat, parts.vector)
    assert resolved.follow_up and "shop" in resolved.query and "Which store fits" in resolved.query
    setting = resolved.query.replace("and for records we must keep seven years?", "")
    assert not {"small", "reads", "records"} & set(setting.lower().split()), resolved.query


def test_a_follow_up_that_points_back_or_names_its_own_concept(parts):
    """"how is that different from an archive tier then?" continues (it had been read as a fresh question) and takes
    the previous answer as its other side; "and how do I set up a replicated database?" names what it asks about, so
    its query is the question alone, not the previous question again."""
    chat = Conversation()
    chat.add(Turn("Which store for hot reads?", "which", ["read-cache"], "Read cache", ["read-cache"],
                  ["archive-tier", "replicated-database"], ["store-selection#1"]))
    contrast = parts.resolver.resolve("how is that different from an archive tier then?", chat, parts.vector)
    assert contrast.follow_up and contrast.intent == "versus"
    assert contrast.concepts[:2] == ["read-cache", "archive-tier"]
    how = parts.resolver.resolve("and how do I set up a replicated database?", chat, parts.vector)
    assert how.follow_up and how.query == "and how do I set up a replicated database?"
    why = parts.resolver.resolve("and why is the archive tier cheaper?", chat, parts.vector)
    assert "hot reads" in why.query  # a why keeps the setting it asks about


def test_a_tool_that_sets_the_scene_is_not_what_the_question_asks_about(tmp_path):
    """A pack's ``setting_aliases`` ("Redis" for the read cache) name the concept in an option or a cell, not in a
    question that only mentions the tool its team runs ("Our app already runs on Redis; …")."""
    from ingest.indexer import ingest
    from studyassist.knowledge.facets import concept_matcher
    from studyassist.settings import Settings

    from conftest import storage_pack

    folder = storage_pack(tmp_path)
    (folder / "concepts.toml").write_text('[[concept]]\nfamily = "store"\nlabel = "Read cache"\n'
                                          'aliases = ["memory cache"]\nsetting_aliases = ["redis"]\n')
    settings = Settings(home=tmp_path / "home", corpus=tmp_path / "corpus", packs=tmp_path / "packs")
    ingest(settings)
    parts = build_parts(settings)
    cache = parts.kb.concept("read-cache")
    assert cache.setting == ("redis",) and "redis" in cache.aliases
    assert concept_matcher(parts.kb).find("Put a Redis instance in front") == ["read-cache"]  # an option names it
    question = "Our app already runs on Redis. Which store keeps cold records for seven years cheapest?"
    assert "read-cache" not in parts.resolver.by_alias(question)
    assert "read-cache" not in parts.resolver.resolve(question, None, parts.vector).concepts
    assert parts.resolver.by_alias("is a memory cache right for hot reads?") == ["read-cache"]  # its own name still
    # named in the sentence that asks, the tool is what the question asks about
    assert "read-cache" in parts.resolver.by_alias("We keep logs for years. Redis or the archive tier for them?")
    assert "read-cache" in parts.resolver.by_alias("Why not keep cold records in our Redis?")
    assert "read-cache" in parts.resolver.by_alias("Compare Redis with the archive tier")  # (no question mark)


@pytest.mark.parametrize("question, follows", [
    ("Nice, so then I don't have to think about quotas anymore?", True),  # an interjection before "so"
    ("Great. And for the archive tier?", True),
    ("Nice question from the exam: which tier keeps data for a year?", False),
])
def test_an_interjection_does_not_hide_a_follow_up(question, follows):
    assert follows_up(question) is follows
