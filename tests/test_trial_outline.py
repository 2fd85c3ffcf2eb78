"""From a learner's trial (stop 67) on Terraform Associate notes no pack serves: one long outline of the exam's
objectives ("1a - Explain …", "4b `terraform taint` - …"), a code-named item over the points about it, and a link to
further reading beside nearly every point. "What is Sentinel?" was answered "**Introduction to Sentinel**." (the title
of a video link), "Does terraform validate contact my cloud provider?" got the providers' definition instead of the
point under the command ("does not access any remote state or APIs"), and "How long is the exam and what score do I
need to pass?" got "The review's figure: …" of a lock timeout. The notes below are written for the test in that
shape: each section under a top heading of a titled document, so no section is about a thing of its own."""
from __future__ import annotations

import random
import re

import pytest

from ingest.build import BuildReport, Document, build_knowledge

NOTES = """# Provisioning tool notes

Notes for the associate exam.

# Review Guide

* 1 - Understand the basics
  * 1a - Explain the benefits of state
    * Maps real objects to the configuration.
    * Keeps metadata such as dependencies between objects.
    * [Further Reading](https://example.com/state)
* 4 - Use the command line
  * 4b `tool mark` - flags an object as damaged so that the next plan proposes to rebuild it.
    * This command is deprecated. Use the -rebuild option of tool run instead.
    * `tool run -rebuild="box.web"`
    * [Mark and Unmark Objects](https://example.com/video)
  * 4c `tool check`
    * checks the syntax of the files in a folder.
    * Does not access any remote state or APIs.
    * Would be a good early step in a build pipeline.
  * `tool run -wait=DURATION` - retries taking a lock for a while before it gives up, such as "3s" for three seconds.
  * `tool deploy -parallel=n` - Concurrent operations, default 10.
* 9 - Understand the hosted service
  * Guardian
    * Policy as code for the hosted service.
    * Blocks a run whose plan breaks a written policy.
    * [Introduction to Guardian](https://example.com/guardian)
    * [Writing Guardian Policy](https://example.com/writing)
  * Run Triggers
    * Start a run in one workspace when another workspace finishes a run.

```terraform
resource "box" "web" {
  count = 2

  # ... other arguments
}

resource "box" "db" {
  # ... other arguments
}
```
"""


@pytest.fixture(scope="module")
def kb():
    return build_knowledge([Document("notes.md", NOTES)], report=BuildReport())


def test_a_link_and_nothing_else_is_no_rule(kb):
    said = {r.choice for r in kb.rules} | {r.situation for r in kb.rules}
    assert not said & {"Introduction to Guardian", "Writing Guardian Policy", "Further Reading",
                       "Mark and Unmark Objects"}, said


def test_an_example_configuration_with_comments_is_no_table_of_commands(kb):
    """Its comments name no task: it had made rows "… other arguments → }" of a table the notes do not have."""
    assert not kb.tables, [t.columns for t in kb.tables]
    assert not any("other arguments" in r.situation + r.choice for r in kb.rules)


def test_points_under_a_named_item_are_about_it_in_a_section_about_nothing(kb):
    about = {r.situation: r.choice for r in kb.rules if r.list_kind == "point"}
    assert about["Does not access any remote state or APIs"] == "tool check"
    assert about["Blocks a run whose plan breaks a written policy"] == "Guardian"
    # an exam objective's number is no part of a name, and an objective ("Explain …") is no name its points are about
    assert not any(c.startswith(("1a", "4b", "Explain")) for c in about.values()), about
    names = {a.lower() for c in kb.concepts for a in c.aliases}
    assert {"tool check", "tool mark", "guardian"} <= names, names
    assert not any(n.startswith(("4b", "4c", "explain")) for n in names), names


def test_a_point_that_its_command_is_deprecated_is_a_mistake_to_avoid(kb):
    """"Is taint still the way?" had the point as one more fact about taint, and an MCQ keyed "apply -replace" (the
    command the point says to use instead) was answered "taint", credited with the -replace example nested under it."""
    point = next(r for r in kb.rules if r.situation.startswith("This command is deprecated"))
    assert (point.choice, point.list_kind, point.anti_pattern) == ("tool mark", "mistake", True), point
    assert "tool-mark" in point.choice_concepts, point.choice_concepts  # (what it is about stays a concept)
    example = next(r for r in kb.rules if "-rebuild=" in r.choice + r.situation)  # (another command: its own item)
    assert (example.choice, example.under) == ('tool run -rebuild="box.web"', ""), example


@pytest.fixture(scope="module")
def assistant(tmp_path_factory):
    from conftest import assistant_without_pack

    return assistant_without_pack(tmp_path_factory.mktemp("outline"), {"notes.md": NOTES})


@pytest.mark.slow
def test_what_is_a_thing_is_answered_by_its_points_not_a_link_title(assistant):
    answer = assistant.ask("What is Guardian and what would I use it for?")
    assert "policy as code" in answer.answer.lower(), answer.answer
    assert "Introduction to" not in answer.answer


@pytest.mark.slow
def test_a_question_about_a_command_gets_the_point_under_it(assistant):
    answer = assistant.ask("Does tool check log into my cloud account to look at things, or is it purely local?")
    first = answer.answer.lower().split("\n- ")[:2]  # (the answer, or the first of the closest rules when unsure)
    assert "does not access any remote state or apis" in " ".join(first), answer.answer


def test_a_figure_is_not_given_for_a_thing_no_row_names(kb):
    """The lock row's "3s" shares only "tool", a word of most rows, with a question about the exam."""
    from studyassist.answer.quantity import NO_NUMBER, no_number_note
    from studyassist.answer.types import Claim

    plain = next(r for r in kb.rules if "Maps real objects" in r.choice + r.situation)  # (a row with no figure)
    note = no_number_note("How long is the tool associate exam and what score do I need to pass?",
                          [Claim(text="…", rule_ids=[plain.id])], kb.rule, kb.rules)
    assert note is not None and note.text == NO_NUMBER, note
    asked = no_number_note("How long does tool run wait for a lock?", [Claim(text="…", rule_ids=[plain.id])],
                           kb.rule, kb.rules)  # (what the row does say is still found)
    assert asked is not None and "3s" in asked.text, asked


@pytest.mark.slow
def test_a_figure_near_the_question_in_meaning_is_given_when_too_few_words_are_shared(assistant, kb):
    """The trial's "how many resources will terraform apply work on at the same time?" shares only "terraform apply"
    with "Concurrent operations, default 10" (and "time" with the lock row): it was told no number was found."""
    import numpy as np

    from studyassist.answer.quantity import NO_NUMBER, no_number_note
    from studyassist.answer.types import Claim

    question = "If I don't tweak anything, how many objects will tool deploy work on at the same time?"
    plain = [Claim(text="…", rule_ids=[next(r.id for r in kb.rules if "Maps real" in r.choice + r.situation)])]
    embedded = np.asarray(assistant.embeddings.embed_documents([r.text for r in kb.rules]), dtype=np.float32)
    vectors = (dict(zip((r.id for r in kb.rules), embedded)).get, assistant.embeddings.query_vector(question))
    note = no_number_note(question, plain, kb.rule, kb.rules, vectors)
    assert note is not None and note.text.startswith("The nearest figure") and "default 10" in note.text, note
    assert no_number_note(question, plain, kb.rule, kb.rules).text == NO_NUMBER  # (by the words alone: none)


COMMANDS = """# Infratool notes

## Variables and runs

- `infratool apply -set 'NAME=VALUE'` - Set the value of a variable. Can be used to set several variables.
- Individually, with the -set command line option: `infratool apply -set="image_id=img-abc123"`.
- In variable files, given on the command line or loaded by themselves: `infratool apply -set-file="testing.vars"`.
- Use `infratool plan -target=ADDRESS` to plan only one object and the objects that depend on it.
- Use `infratool apply -lock=false` to apply without taking the state lock, which can be risky.
- Use `infratool plan -refresh=false` to skip reading the real objects, which makes planning faster.
- Use `infratool init -backend-config="KEY=VALUE"` to give the backend's settings when the folder is set up.
- Use `infratool apply -state-out="new.state"` to write the new state to another file.
- Use `infratool apply -input=false` to apply with no questions asked at the prompt, as a pipeline must.
- Use `infratool apply -backup="old.state"` to keep a copy of the state from before the change.
- Use `infratool apply -replace="box.web"` to build one object again from scratch.
- Use `infratool apply -parallelism=5` to make five changes at a time.
- Use `infratool apply -compact-warnings` to print shorter warnings.
- Use `infratool apply -state="current.state"` to read the state from another file.
"""


@pytest.mark.slow
def test_a_statement_to_complete_offers_no_command_taking_the_keys_option(assistant):
    """The trial's quiz offered "terraform plan -var 'NAME=VALUE'" beside the key "terraform apply -var=…" for
    "Individually, with the -var command line option. ___": two defensible keys."""
    from studyassist.quiz.cloze import Cloze

    kb = build_knowledge([Document("infratool.md", COMMANDS)], report=BuildReport())
    cloze = Cloze(kb, set(), assistant.embeddings, set())
    rule = next(r for r in cloze.pool if cloze.key[r.id].startswith("infratool apply -set="))
    item = cloze.item(cloze.draft(rule, "hard", random.Random(1)), 0)
    assert item is not None
    assert not [o for o in item.options[1:] if re.search(r"-set(?![\w-])", o)], item.options
