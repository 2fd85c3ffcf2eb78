"""From a ninth learner's trial (stop 63), on a data-engineering exam's notes no pack serves, mostly prose and
bullet lists: a list introduced by "It does **NOT** support:" came back as "The review's steps for Databricks Repos:
Delete a branch …", so "Can I delete a branch?" was in effect told yes."""
from __future__ import annotations

import pytest

from ingest.build import BuildReport, Document, build_knowledge

NOTES = """# Data platform notes

### Workspace Git folders

Workspace Git folders support the following operations:

* Create a new branch
* Switch to a different branch
* Commit and push changes to the remote repository
* Resolve merge conflicts

It does **NOT** support:

* Delete a branch
* Create and approve pull requests
* Trigger a release pipeline

### Ingestion

Incremental ingestion picks up new files as they arrive in cloud storage without any extra setup.
"""


@pytest.fixture(scope="module")
def kb():
    return build_knowledge([Document("notes.md", NOTES)], report=BuildReport())


def test_items_a_list_says_are_not_supported_keep_saying_so(kb):
    said = {r.choice: r.situation for r in kb.rules if r.kind == "list_item"}
    assert said["Delete a branch"] == said["Trigger a release pipeline"] == "It does NOT support"
    assert said["Create a new branch"] == ""  # (the list of what it supports says nothing of the kind)


def test_the_answer_listing_them_says_they_are_not_supported(kb):
    from studyassist.answer.steps import steps_answer

    unsupported = next(r for r in kb.rules if r.choice == "Delete a branch")
    heading = steps_answer(kb, unsupported).claims[0].text
    assert heading == "**Workspace Git folders** — It does NOT support:"


@pytest.mark.slow
def test_asking_for_an_unsupported_operation_is_told_it_is_not_supported(tmp_path):
    from conftest import assistant_without_pack

    assistant = assistant_without_pack(tmp_path, {"notes.md": NOTES})
    answer = assistant.ask("Can I delete a branch from Workspace Git folders?").answer
    assert "It does NOT support" in answer and "Delete a branch" in answer


def test_a_heading_indented_by_up_to_three_spaces_is_a_heading():
    """" ### Databricks SQL dashboards" (one space in, as CommonMark allows) had been read into the section above."""
    from ingest.parser import md_heading

    assert md_heading(" ### Dashboards") == (3, "Dashboards") and md_heading("   ## Joins") == (2, "Joins")
    assert md_heading("    ### code") is None  # (four spaces: indented code)
    kb = build_knowledge([Document("n.md", "# N\n\n## Privileges\n\nSELECT reads rows.\n\n ### Set operators\n\n"
                                           "UNION combines the output of both queries and removes duplicates.\n")],
                         report=BuildReport())
    assert any(r.section.endswith("Set operators") for r in kb.rules)



def test_a_long_paragraph_is_quoted_by_the_sentence_the_question_asks_about():
    """"How do I reload a subset of files while an Auto Loader stream is still running?" was answered with the first
    lines of a 220-word paragraph, headed "**Auto Loader**"; the sentence that answers it (use COPY INTO) came last."""
    from studyassist.answer.cells import asked_cell
    from studyassist.answer.types import Claim

    long = " ".join(f"Incremental ingestion picks up new files of kind {n} as they arrive in cloud storage without any "
                    f"extra setup." for n in range(8)) + (" However, you can use the bulk copy command to reload "
                                                          "subsets of files while a stream is running.")
    kb = build_knowledge([Document("n.md", f"# N\n\n### Incremental ingestion\n\n{long}\n")], report=BuildReport())
    rule = next(r for r in kb.rules if "bulk copy" in r.text)
    excerpt = " ".join(long.split()[:80])  # (a paragraph of prose alone is said from its start)
    claim = Claim(text=f"The review says: {excerpt}", rule_ids=[rule.id])
    said = asked_cell(kb, [claim], "How do I reload a subset of files while the stream is still running?")[0]
    assert said.text == ("The review says: … However, you can use the bulk copy command to reload subsets of files "
                         "while a stream is running.")
    same = asked_cell(kb, [claim], "How are new files picked up in cloud storage?")[0]  # (its first sentence says it)
    assert same.text == claim.text

