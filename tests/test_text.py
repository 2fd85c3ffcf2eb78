"""The compile-free phrase matcher agrees with the phrase regex it replaces, on generated text."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studyassist.text import ConceptMatcher, key_terms, normalize, phrase_pattern, phrase_spans, phrase_words, singular

WORDS = ["blue", "green", "bluegreen", "es", "s", "end", "endpoint", "ci", "cd", "(pii)", "a1", "log", "logs"]
SEPS = [" ", "/", "-", "", ".", ",", "  ", "x"]

texts = st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(SEPS)), max_size=12).map(
    lambda parts: "".join(w + s for w, s in parts))
phrases = st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).flatmap(
    lambda ws: st.lists(st.sampled_from([" ", "/", "-", " - "]), min_size=len(ws) - 1, max_size=len(ws) - 1).map(
        lambda seps: ws[0] + "".join(s + w for s, w in zip(seps, ws[1:]))))


@pytest.mark.slow
@settings(max_examples=2000, deadline=None, derandomize=True)
@given(text=texts, phrase=phrases)
def test_phrase_spans_equal_the_regex(text, phrase):
    t = normalize(text)
    assert phrase_spans(t, phrase_words(phrase)) == [m.span() for m in phrase_pattern(phrase).finditer(t)]


def regex_find(aliases: list[str], text: str) -> list[str]:
    """The reference matcher: every alias regex, longest first, spans never overlapping, ids ("c<i>") in text
    order."""
    t = normalize(text)
    taken, found = [], []
    for i, alias in sorted(enumerate(aliases), key=lambda p: -len(p[1])):
        for m in phrase_pattern(alias).finditer(t):
            if not any(m.start() < e and s < m.end() for s, e in taken):
                taken.append(m.span())
                found.append((m.start(), f"c{i}"))
    return list(dict.fromkeys(c for _, c in sorted(found)))


@pytest.mark.slow
@settings(max_examples=500, deadline=None, derandomize=True)
@given(text=texts, aliases=st.lists(phrases, min_size=1, max_size=6))
def test_matcher_takes_longest_alias_first_without_overlap(text, aliases):
    matcher = ConceptMatcher([(f"c{i}", a) for i, a in enumerate(aliases)])
    assert matcher.find(text) == regex_find(aliases, text)


def test_matcher_with_thousands_of_aliases_on_one_head_finds_what_the_regexes_find():
    """Many aliases sharing a first word ("widget tool 0" … "widget tool 2999") are looked up by the pieces of a short
    text rather than tested one by one (a table of 8,000 such rows took a minute to link): same result."""
    aliases = [f"Widget tool {n}" for n in range(3000)] + ["widget", "tool kit", "Widget tool 12 pro"]
    matcher = ConceptMatcher([(f"c{i}", a) for i, a in enumerate(aliases)])
    for text in ["Scenario 7 needs widget tool 12 pro inspected", "widget tools 2999 and widget-tool 5",
                 "a widget, a tool kit and widget tool 1234", "no such thing", "widgettool 3 here"]:
        assert matcher.find(text) == regex_find(aliases, text), text


ACRONYMS = [("sspr", "SSPR"), ("pim", "Privileged Identity Management"), ("clu", "CLU")]


@pytest.mark.parametrize("text, found", [
    ("Self-service password reset", ["sspr"]),  # an option that spells out the review's acronym
    ("Use Conversational Language Understanding for intents", ["clu"]),  # Title Case mid-sentence
    ("Give admins PIM for just-in-time roles", ["pim"]),  # the acronym of a name the review spells out
    ("some service provides results", []),  # initials by chance, in running lowercase text
    ("They use the pim tool", []),  # a lowercase word is not an acronym
])
def test_an_acronym_and_its_spelled_out_name_name_the_same_concept(text, found):
    matcher = ConceptMatcher([(cid, name) for cid, name in ACRONYMS if " " in name or name.isupper()],
                             acronyms=ACRONYMS)
    assert matcher.find(text) == found


def test_an_acronym_spelled_out_by_its_concept_is_named_by_those_words_only():
    matcher = ConceptMatcher([("waf", "WAF"), ("waf", "Web application firewall")],
                             acronyms=[("waf", "WAF")])
    assert matcher.find("Put a Web Application Firewall in front") == ["waf"]
    assert matcher.find("the 5 pillars of the Well-Architected Framework") == []
    nacl = ConceptMatcher([("nacl", "NACL")], acronyms=[("nacl", "NACL")])
    assert nacl.find("A network ACL rule") == ["nacl"] and nacl.find("an ACL rule") == []


def test_strip_quotes_takes_only_the_quotes_around_a_cell():
    from studyassist.text import strip_quotes

    assert strip_quotes(" “Avoid accidental use of a newer asset” ") == "Avoid accidental use of a newer asset"
    # a quote that closes a value inside the cell stays (a Terraform cheat sheet's key had lost it)
    assert strip_quotes('terraform apply -replace="<address>"') == 'terraform apply -replace="<address>"'
    assert strip_quotes('-var="a=b" or -var-file="secure.tfvars"') == '-var="a=b" or -var-file="secure.tfvars"'


@pytest.mark.parametrize("one, many", [
    ("process", "processes"), ("index", "indexes"), ("batch", "batches"), ("hash", "hashes"), ("cache", "caches"),
    ("queue", "queues"), ("database", "databases"), ("address", "addresses"), ("policy", "policies"),
])
def test_a_word_and_its_plural_are_one_term(one, many):
    """A learner's "processes" finds the review's "process" (it had become "processe", which nothing says)."""
    assert key_terms(many) == key_terms(one)
    assert singular(many) == singular(one) == singular(singular(many))


@pytest.mark.parametrize("word", ["status", "kinesis", "analysis", "process", "redis", "corpus"])
def test_a_singular_ending_in_s_is_left_whole(word):
    assert key_terms(word) == [word]
    assert singular(word) == word
