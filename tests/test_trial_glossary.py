"""From a twelfth learner's trial (stop 64), on a security exam's glossary no pack serves: a blog post with YAML
front matter, a disclaimer paragraph ("If you see any mistakes …, please create a PR") and 83 bullets
"**TERM** - definition", no heading. The disclaimer's "mistakes" made every term a listed mistake (`solve` picked the
opposite of the cited term, the quiz found no terms, "X vs Y" answered one side); "How long does PCI DSS require logs to be kept?" was told an unrelated row's "10 years" because that row asks "How
long do we expect a system to last?"."""
from __future__ import annotations

import pytest

from ingest.build import BuildReport, Document, build_knowledge
from studyassist.answer.quantity import NO_NUMBER

GLOSSARY = """---
layout: post
title: "Security Analyst Glossary of Terms"
tags: security
---

As I work through the course I add every term to this alphabetised list. **Disclaimer**: these are my own notes and I
summarise a lot. If you see any mistakes and would like to fix them, please open a pull request.

- **Compliance Scan** - A scan that walks through a checklist, such as PCI DSS.
- **CVSS** - Common Vulnerability Scoring System. A more objective measure of how severe a flaw is.
- **Footprinting** - Mapping out the layout of a network before an attack. Contrast this to Fingerprinting.
- **Fingerprinting** - Mapping out one device in detail (open ports, OS version). Contrast this to Footprinting.
- **MTBF** - Mean Time Between Failures. How long do we expect a system to last? Disks might last 10 years.
- **RPO** - Recovery Point Objective. The longest stretch of lost data an organisation can tolerate.
- **RTO** - Recovery Time Objective. The time from systems going down until they are usable again.
- **Sandboxing** - Running a suspicious file in an isolated environment to watch what it does.
"""


def test_a_disclaimer_above_a_glossary_makes_no_term_a_mistake():
    kb = build_knowledge([Document("glossary.md", GLOSSARY)], report=BuildReport())
    terms = [r for r in kb.rules if r.kind == "list_item"]
    assert len(terms) == 8 and not any(r.anti_pattern for r in terms), [(r.choice, r.list_kind) for r in terms]
    # a short lead-in still says what kind of list follows
    led = build_knowledge([Document("m.md", "# Notes\n\nCommon mistakes:\n\n- Skipping backups\n- Reusing keys\n")],
                          report=BuildReport())
    assert all(r.anti_pattern for r in led.rules if r.kind == "list_item")


@pytest.fixture(scope="module")
def assistant(tmp_path_factory):
    from conftest import assistant_without_pack

    return assistant_without_pack(tmp_path_factory.mktemp("glossary"), {"glossary.md": GLOSSARY})


def test_two_terms_of_a_glossary_are_compared_side_by_side(assistant):
    answer = assistant.ask("How is fingerprinting different from footprinting?")
    cited = {assistant.kb.rule(r).choice for c in answer.claims for r in c.rule_ids}
    assert {"Fingerprinting", "Footprinting"} <= cited, [c.text for c in answer.claims]


def test_the_words_that_ask_for_a_number_are_no_words_of_the_thing_asked_about(assistant):
    answer = assistant.ask("How long does PCI DSS require audit logs to be kept?")
    assert not any("10 years" in c.text and "figure" in c.text for c in answer.claims), [c.text for c in answer.claims]
    from studyassist.answer.quantity import no_number_note
    scan = next(r for r in assistant.kb.rules if r.choice == "Compliance Scan")
    cited = [type(answer.claims[0])(text="Compliance Scan", rule_ids=[scan.id], label="Compliance Scan")]
    note = no_number_note("How long does PCI DSS require audit logs to be kept?", cited, assistant.kb.rule,
                          assistant.kb.rules)
    assert note is not None and note.text == NO_NUMBER, note


def test_the_other_one_after_a_comparison_is_answered_by_its_own_entry(assistant):
    """After "RTO vs RPO - what is the difference?", "ok, and what does the other one measure then?" got CVSS ("a more
    objective measure"): the other side is now searched by its name."""
    from studyassist.answer.resolve import Conversation

    conversation = Conversation()
    assistant.ask("RTO vs RPO - what is the difference?", conversation)
    answer = assistant.ask("ok, and what does the other one measure then?", conversation)
    assert answer.decision in {"RTO", "RPO"} and answer.decision not in conversation.turns[0].decision, answer.decision


def test_a_glossarys_acronym_is_offered_beside_acronyms_and_a_name_beside_names(assistant):
    """The trial's quiz offered "Footprinting" beside CVE, NSE and CPE: a blind reviewer rejected it (options of
    another kind)."""
    import random

    from studyassist.quiz.definitions import Definitions

    definitions = Definitions(assistant.kb, set(), assistant.retriever.embeddings)
    for choice, acronym in (("RTO", True), ("Sandboxing", False)):
        rule = next(r for r in definitions.pool if r.choice == choice)
        for seed in range(4):
            item = definitions.item(definitions.draft(rule, "easy", random.Random(seed)), 0)
            assert item is not None and all(o.isupper() == acronym for o in item.options), item.options
