"""From a learner's trial (stop 70) on HashiCorp Vault Associate notes no pack serves: code fences opened as list
items (read in tests/test_parser.py), points nested under "Token Type: **Batch**" after a blank line, a note that
gives a figure beside a section's list ("> **Note:** Default max TTL is 32 days"), and a product named with an aside
in brackets ("**Use EventBridge** (formerly known as CloudWatch Events) to detect …", trial 19's notes), and a short
item that says what its section's thing does ("Provides encryption as a service" under "Secret Engine: Transit"). The
notes below are written for the test in those shapes."""
from __future__ import annotations

import pytest

from ingest.build import BuildReport, Document, build_knowledge

from conftest import assistant_without_pack

NOTES = """# Vault notes

## Tokens

### Token Types

1. Token Type: **Service**

   - Default type of token
   - Can create child tokens

2. Token Type: **Batch**

   - Not default, must be explicitly created
   - Lightweight
   - Not written to persistent storage
   - Has no child tokens

### Setting Maximum Token TTL

> **Note:** Default max TTL is 32 days

- System max TTL
  - Defined within the configuration file
- Mount max TTL
  - Will override the system max TTL

> **Note:** See the docs for more.

## Secrets Engines

### Secret Engine: Transit

- Provides encryption as a service
- Relieves the burden of encryption
- Random bytes

## Notifications

### Exam Tips

1. **Use EventBridge** (formerly known as CloudWatch Events) to detect the result of a deployment job.
2. The event can **trigger SNS or Lambda**
"""


def _kb():
    return build_knowledge([Document(name="vault.md", text=NOTES)], report=BuildReport())


def test_points_under_an_item_of_a_shared_kind_are_said_of_its_value():
    points = {r.situation or r.choice: r for r in _kb().rules if r.under}
    assert points["Has no child tokens"].under == "Batch (Token Type)", points
    assert points["Can create child tokens"].under == "Service (Token Type)", points


def test_a_short_item_among_points_about_a_name_is_one_more_point():
    """"Lightweight" beside "Has no child tokens" under "Token Type: Batch" is a trait of batch tokens (it had been a
    name of its own, so "the lightweight one" found nothing); short items under a name with no points beside them
    stay names (the kinds of blob under each tier, beside one point of three)."""
    kb = _kb()
    light = next(r for r in kb.rules if "Lightweight" in (r.situation, r.choice))
    assert (light.situation, light.choice, light.list_kind) == ("Lightweight", "Batch (Token Type)", "point"), light
    kinds = build_knowledge([Document(name="kinds.md", text=KINDS)], report=BuildReport()).rules
    assert {r.choice for r in kinds if r.list_kind == "item"} >= {"Block blobs", "Append blobs", "Page blobs"}, kinds


KINDS = """# Storage

## Tiers

1. Tier: **Hot**

   - Block blobs
   - Append blobs
   - Frequently read data, kept in fast storage

2. Tier: **Cool**

   - Block blobs
   - Page blobs
"""


def test_a_note_that_gives_a_figure_beside_a_list_is_a_rule_and_a_pointer_is_not():
    said = [r for r in _kb().rules if "32 days" in r.text or "See the docs" in r.text]
    assert [r.situation for r in said] == ["Default max TTL is 32 days"], [r.text for r in said]
    assert said[0].choice == "Setting Maximum Token TTL", said[0]


def test_a_name_with_an_aside_in_brackets_is_a_concept_of_its_own():
    kb = _kb()
    item = next(r for r in kb.rules if r.choice.startswith("EventBridge"))
    assert item.situation == "to detect the result of a deployment job", item
    concept = next(c for c in kb.concepts if c.id in item.choice_concepts)
    assert "EventBridge" in concept.aliases, concept


def test_a_short_item_saying_what_its_sections_thing_does_is_a_point_about_it():
    """It had been read as a name of its own, "Provides encryption as a service", about nothing; a short item that
    says what the thing is does not ("Random bytes")."""
    said = {r.situation or r.choice: r for r in _kb().rules if r.section.endswith("Secret Engine: Transit")}
    for point in ("Provides encryption as a service", "Relieves the burden of encryption"):
        assert said[point].choice == "Secret Engine: Transit" and said[point].list_kind == "point", said[point]
    assert said["Random bytes"].choice == "Random bytes", said


@pytest.mark.slow
def test_a_figure_in_a_note_answers_a_question_for_it(tmp_path):
    from conftest import assistant_without_pack

    answer = assistant_without_pack(tmp_path, {"vault.md": NOTES}).ask("What is the max TTL of a token by default?")
    assert "32 days" in answer.answer, answer.answer


@pytest.fixture(scope="module")
def vault(tmp_path_factory):
    return assistant_without_pack(tmp_path_factory.mktemp("vault"), {"vault.md": NOTES})


def test_what_a_thing_told_in_points_is_answers_with_its_points(vault):
    """"What are batch tokens?" had been its first point alone ("not default, must be explicitly created")."""
    answer = vault.ask("What are batch tokens?")
    assert answer.decision == "Batch (Token Type)", answer.answer
    for point in ("Lightweight", "Not written to persistent storage", "Has no child tokens"):
        assert point in answer.answer, answer.answer


def test_the_one_a_follow_up_names_by_a_word_its_points_use(vault):
    """"Can the lightweight one spawn child tokens?" after batch and service tokens (trial 20's follow-up) is about
    batch tokens: it had been answered as a new question, "not covered"."""
    from studyassist.answer.resolve import Conversation, follows_up

    assert follows_up("Can the lightweight one spawn child tokens?")
    # a word that describes nothing is no such reference (trial 22's "can I test the new one on real traffic without
    # users getting its answers?" is asked on its own words, and finds shadow testing)
    assert not follows_up("can I test the new one on real traffic without users getting its answers?")
    chat = Conversation()
    vault.ask("What is the difference between batch tokens and service tokens?", chat)
    answer = vault.ask("Can the lightweight one spawn child tokens?", chat)
    assert answer.concepts[:1] == ["batch-token-type"], answer.concepts
    assert "has no child tokens" in answer.answer.lower(), answer.answer
    chat = Conversation()
    vault.ask("What are service tokens?", chat)  # a word only one thing of the notes says: that thing
    assert vault.ask("and the lightweight one?", chat).decision == "Batch (Token Type)"
