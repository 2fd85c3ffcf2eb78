"""Statements to complete from notes that are lists of facts: the name an item sets in bold is blanked and offered
beside three other stressed names of its kind (SC-300 notes of 29,000 characters had given three questions)."""
from __future__ import annotations

import pytest

from ingest.build import BuildReport, Document, build_knowledge
from studyassist.quiz.cloze import BLANK, head, names, shape, statement
from studyassist.quiz.options import value_form

NOTES = """# Identity notes

## Cloud app policies
- **Session Policy** is there to block chosen user activities while the user is signed in
- **Access Policy** needs a CA rule in place before it can control what users do in a cloud program
- An **Activity Policy** raises an alert when one user downloads many files within a short time
- An **OAuth App Policy** flags third-party integrations that ask for high-risk permissions on user data
- To start **monitoring** the server again, uninstall and reinstall the health agent on it

## Retention
- Deleted users can be restored for **30 days** after they were deleted from the tenant
- Purge protection keeps deleted keys and secrets for **90 days** unless you set a shorter period
- Sign-in logs of a tenant on the free licence are kept for **7 days** before they are removed
- Risk detections of the identity protection service stay for **14 days** on the basic report
"""


def test_what_a_blank_can_stand_for():
    kb = build_knowledge([Document("notes.md", NOTES)], report=BuildReport())
    by_text = {statement(r): r for r in kb.rules if r.kind == "list_item"}
    monitoring = next(r for t, r in by_text.items() if "health agent" in t)
    assert monitoring.stressed == ("monitoring",) and names(monitoring) == []  # bold for emphasis, not a name
    session = next(r for t, r in by_text.items() if t.startswith("Session Policy"))
    assert names(session) == ["Session Policy"]
    assert [shape(x) for x in ("Session Policy", "30 days", "SCIM", "@~", "bulk invite")] == [
        "name", value_form("30 days"), "acronym", "code", "words"]
    assert head("OAuth App Policy") == head("Access policies") == "policy"


@pytest.fixture(scope="module")
def notes_assistant(tmp_path_factory):
    from conftest import assistant_without_pack

    return assistant_without_pack(tmp_path_factory.mktemp("cloze"), {"identity-notes.md": NOTES})


@pytest.mark.slow
def test_a_list_of_facts_gives_statements_to_complete_with_options_of_one_kind(notes_assistant):
    quiz = notes_assistant.quiz
    items = quiz.generate(6, seed=5)
    kb = notes_assistant.kb
    cloze = [i for i in items if "Which completes this statement from the notes" in i.stem]
    assert len(cloze) >= 4, (items, quiz.dropped)
    for item in cloze:
        rule, key = kb.rule(item.rule_id), item.options[item.answer]
        assert key in rule.stressed and item.stem.count(BLANK) == 1
        assert statement(rule).replace(key, BLANK).rstrip(" .;:") in item.stem
        kinds = {head(o) if shape(o) == "name" else shape(o) for o in item.options}
        assert len(kinds) == 1, item.options  # four policies, or four numbers of days
        assert "monitoring" not in item.options
        assert quiz.verifier.check(item, 1) is None
        assert f"**{key}**" in item.explanation
    assert [i.id for i in quiz.generate(6, seed=5)] == [i.id for i in items]
