"""What a list item's author set in bold or as code is what the item is there to say: "- Minimum **/26** prefix"
under "Bastion Subnet Requirements" answers "which prefix?" with /26, not with the heading (AZ-500 tips, stop 55:
free questions on other exams' notes were named by their section's heading)."""
from __future__ import annotations

import pytest
from test_documents import assistant_without_pack

from ingest.build import BuildReport, Document, build_knowledge
from ingest.lists import stressed_spans
from ingest.parser import BulletList, parse_blocks
from studyassist.answer.labels import stressed_answer
from studyassist.answer.types import Claim

TIPS = """# Exam tips

## Networking Pitfalls

#### Bastion Subnet Requirements
- Must be named exactly **AzureBastionSubnet** (case-sensitive)
- Minimum **/26** prefix (NOT /27, /28, etc.)

#### Key Vault Purge Protection
- Once Purge Protection is enabled, it **CANNOT be disabled**

## Retakes

- If you fail 3 times, you must wait **14 days** between attempts
- **Coaching**: help people find their own answers through questions
- Use `DeployIfNotExists` to create a missing resource
"""


def rules_by_text(text: str) -> dict[str, object]:
    kb = build_knowledge([Document("tips.md", text)], report=BuildReport())
    return {r.situation or r.choice: r for r in kb.rules if r.kind == "list_item"}, kb


def test_bold_and_code_spans_are_read_in_order():
    assert stressed_spans("Use **A** then `b --c` and **D E**") == ["A", "b --c", "D E"]
    assert stressed_spans("no emphasis here") == [] and stressed_spans("a * b ** c") == []
    block = next(b for b in parse_blocks(TIPS) if isinstance(b, BulletList))
    assert block.stressed == {"Must be named exactly AzureBastionSubnet (case-sensitive)": ["AzureBastionSubnet"],
                              "Minimum /26 prefix (NOT /27, /28, etc.)": ["/26"]}


def test_a_list_rule_keeps_what_its_text_stresses_but_not_its_own_name():
    rules, _ = rules_by_text(TIPS)
    assert rules["Minimum /26 prefix (NOT /27, /28, etc.)"].stressed == ("/26",)
    assert rules["Minimum /26 prefix (NOT /27, /28, etc.)"].choice == "Bastion Subnet Requirements"
    assert rules["help people find their own answers through questions"].stressed == ()  # (its name is the bold)
    assert rules["If you fail 3 times, you must wait 14 days between attempts"].stressed == ("14 days",)
    # a field's bold name says what the item is about, not what it says (AWS notes: "**Key features**: …")
    fields, _ = rules_by_text("# EC2\n\n- **Key features**: auto scaling, various **pricing models**\n")
    assert [r.stressed for r in fields.values()] == [("pricing models",)]


def test_an_item_named_by_itself_keeps_its_name_as_the_decision():
    """Terraform notes: "**`.terraform.lock.hcl`** – created by `terraform init` …" answers "which file?" with the
    file, not with the command its text stresses."""
    rules, kb = rules_by_text("# Files\n\n- **`.terraform.lock.hcl`** – created/updated by `terraform init`. It "
                              "records the exact provider versions\n")
    rule = next(iter(rules.values()))
    assert rule.choice == ".terraform.lock.hcl" and rule.stressed == ("terraform init",)
    assert stressed_answer(kb, [Claim(text="", rule_ids=[rule.id])], rule.choice, "Which file should be committed?") == ".terraform.lock.hcl"


@pytest.mark.parametrize("question, situation, decision", [
    ("She wants the smallest subnet prefix that is still accepted. Which prefix should she choose?",
     "Minimum /26 prefix (NOT /27, /28, etc.)", "/26"),
    ("After a third failed attempt, how long must she wait before the next one?",
     "If you fail 3 times, you must wait 14 days between attempts", "14 days"),
    # what something is, or does, is not asked for by a thing's name: the heading stays
    ("What is required of the Bastion subnet?", "Minimum /26 prefix (NOT /27, /28, etc.)", None),
    # the question already says the stressed thing: nothing new to name
    ("Is a /26 prefix enough? Which size is the minimum, /26 or /27?", "Minimum /26 prefix (NOT /27, /28, etc.)",
     None),
    # a stressed statement is no name ("CANNOT be disabled")
    ("Which setting applies once purge protection is on?",
     "Once Purge Protection is enabled, it CANNOT be disabled", None),
])
def test_asked_for_a_thing_the_stressed_span_is_the_decision(question, situation, decision):
    rules, kb = rules_by_text(TIPS)
    rule = rules[situation]
    assert stressed_answer(kb, [Claim(text="", rule_ids=[rule.id])], rule.choice, question) == (decision or rule.choice)


@pytest.mark.slow
def test_a_free_question_on_notes_is_answered_by_the_stressed_prefix(tmp_path):
    assistant = assistant_without_pack(tmp_path, {"tips.md": TIPS})
    answer = assistant.ask("A network engineer adds Azure Bastion to a virtual network and wants the smallest subnet "
                           "prefix it still accepts. Which prefix should she choose?")
    assert answer.decision == "/26", answer.answer
    assert "minimum **/26** prefix" in answer.answer and answer.citations[0].text.endswith("Minimum /26 prefix (NOT /27, /28, etc.)")
