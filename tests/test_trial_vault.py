"""From a learner's trial (stop 70) on HashiCorp Vault Associate notes no pack serves: code fences opened as list
items (read in tests/test_parser.py), points nested under "Token Type: **Batch**" after a blank line, a note that
gives a figure beside a section's list ("> **Note:** Default max TTL is 32 days"), and a product named with an aside
in brackets ("**Use EventBridge** (formerly known as CloudWatch Events) to detect …", trial 19's notes), and a short
item that says what its section's thing does ("Provides encryption as a service" under "Secret Engine: Transit"). The
notes below are written for the test in those shapes."""
from __future__ import annotations

import pytest

from ingest.build import BuildReport, Document, build_knowledge

NOTES = """# Vault notes

## Tokens

### Token Types

1. Token Type: **Service**

   - Default type of token
   - Can create child tokens

2. Token Type: **Batch**

   - Lightweight
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
