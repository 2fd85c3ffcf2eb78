"""From a learner's trial (stop 69) on a DevOps exam's notes no pack serves, written as questions and answers: a
paragraph that is one bold question ("**Can we store the Access Key in these variables?**") and the answer in the
paragraph after it, which opens with a bold sentence ("**This should not be used for sensitive data.** You can use
…"). The question became a rule saying only the question, its answer a "term" named by the whole bold sentence, and
"Is it fine to stash my access key in a CodeBuild environment variable?" was answered with the question alone. The
notes below are written for the test in that shape."""
from __future__ import annotations

import pytest

from ingest.build import BuildReport, Document, build_knowledge
from ingest.chunks import make_chunks
from ingest.faq import headed

NOTES = """# Delivery tools notes

## Build service

### Build variables

The build service gives every build some variables:

- `BUILD_REGION` (for the command line)
- `BUILD_ID`

**Can we keep a password in these variables?**

**They are not meant for secrets.** Keep a password in the secret store and read it during the build.

### Build files

**What is a build file?**

A build file is a list of commands and settings, in YAML, that the build service runs.

**Where does the build service look for it?**
At the root of the source folder, unless the project names another file.

**Why the build file matters** to every project, even a small one.

**Build file scope** covers one project and the folders under its root.

**Builds are billed by the minute.** A small project costs little.

**How is a build started?**

- From the console
- From a merge event

### Stages

- Do you need a separate _build stage_ at all?:
  - Only if the code must be compiled or packaged; plain HTML needs none.
- **What is a build project?:**
  - A build project says where the source is, which environment to use and where the output goes.

### Triggers

_Do you need a build after every merge?_

Watch the repository's merge events and start a build from them.
"""


def _kb():
    return build_knowledge([Document(name="notes.md", text=NOTES)], report=BuildReport())


def _said(rules, words: str):
    return next(r for r in rules if words in f"{r.choice} {r.situation}")


def test_a_question_alone_in_bold_or_italic_opens_the_paragraph_that_answers_it():
    lines = headed(NOTES).split("\n")
    assert "Can we keep a password in these variables? **They are not meant for secrets.** Keep a password in the " \
           "secret store and read it during the build." in lines
    assert "Where does the build service look for it? At the root of the source folder, unless the project names " \
           "another file." in lines  # (its answer on the very next line)
    assert "Do you need a build after every merge? Watch the repository's merge events and start a build from " \
           "them." in lines  # (in italics)
    assert "**Why the build file matters** to every project, even a small one." in lines  # (no question: as it was)
    assert "**How is a build started?**" in lines  # (over a list: the list's lead-in)
    assert len(lines) == len(NOTES.split("\n"))  # (every line keeps its number)
    rules = _kb().rules
    answer = _said(rules, "secret store")
    assert "Can we keep a password in these variables?" in f"{answer.choice} {answer.situation}", answer
    assert answer.section.endswith("Build variables"), answer.section
    assert "During the build" not in {r.choice for r in rules}
    said = _said(rules, "root of the source folder")
    assert "Where does the build service look for it?" in f"{said.choice} {said.situation}", said


def test_a_bold_sentence_opening_a_paragraph_names_no_term():
    rules = _kb().rules
    billed = _said(rules, "billed by the minute")
    assert "A small project costs little" in billed.choice + billed.situation, billed  # (the section's prose)
    assert not any(r.choice.rstrip(".") == "Builds are billed by the minute" for r in rules)
    assert any(r.choice == "Build file scope" for r in rules)  # (a bolded name still opens a definition)


def test_the_answer_is_found_by_the_question_a_learner_asks():
    """The question's words and the answer's are one chunk: "these variables" is read under its section."""
    texts = [c.text for c in make_chunks(_kb())]
    assert any(t.startswith("Build variables | ") and "Can we keep a password" in t and "secret store" in t
               for t in texts), texts


def test_a_point_nested_under_a_long_question_answers_that_question():
    """"Do you need a _build stage_?:" has six words: a point under it was said of the section ("CodeBuild
    Walkthrough"), so the question's words were in no chunk and "does a static site need a build step?" missed it."""
    point = _said(_kb().rules, "plain HTML needs none")
    assert point.choice == "Do you need a separate build stage at all?", point


def test_what_a_thing_is_made_of_is_asked_by_its_name_as_a_definition():
    """"What exactly goes into a CodeBuild build project?" was a "which" question naming no concept (the concept was
    "What is a build project?"): it was answered with a step that mentions build projects."""
    from studyassist.answer.resolve import detect_intent

    concept = next(c for c in _kb().concepts if c.id == "what-is-a-build-project")
    assert "build project" in concept.aliases, concept.aliases
    for asked in ("What exactly goes into a build project?", "What makes up a build project?"):
        assert detect_intent(asked)[0] == "define", asked
    assert detect_intent("Which build project should run the tests?")[0] != "define"


RELEASES = """# Release notes

## Release Concepts

**Continuous Deployment:** every change goes all the way to production with no one approving it.

**Continuous Delivery:** every change is ready for production, with a stop for approval before it goes out.

### Key Points

- **Continuous Deployment:** every change goes all the way to production with no one aproving it.
- **Continuous Delivery:** every change is ready for production, with a stop for approval before it goes out.

### Exam Tips

- Know which one stops for approval.

## Repository Service

### Overview

A managed service that hosts private Git repositories.

### Benefits

- Highly available
- No size limit
- Works with existing Git tools
- Up to five webhooks per repo in Enterprise editions, ten in Unlimited editions

## Build Service

A managed service that compiles code.

### Exam Tips

- Builds need a build project.

## Deploy Service

A managed service that rolls out releases.

### Exam Tips

- Deployments need a deployment group.
"""


def test_a_name_defined_under_a_section_about_something_is_a_concept_of_its_own():
    """"**Continuous Delivery:** …" in "CI/CD Concepts", one of the services and topics each with its "Exam Tips", was
    said of the section's subject only: "what's the difference between continuous delivery and continuous
    deployment?" named neither and got one of them."""
    kb = build_knowledge([Document(name="releases.md", text=RELEASES)], report=BuildReport())
    delivery = _said(kb.rules, "stop for approval before")
    assert delivery.subject == "Release Concepts", delivery  # (the section's thing, as before)
    assert delivery.choice == "Continuous Delivery" and "continuous-delivery" in delivery.choice_concepts, delivery
    assert {"continuous-delivery", "continuous-deployment"} <= {c.id for c in kb.concepts}


@pytest.mark.slow
def test_a_difference_asked_with_a_remark_gets_the_contrast_and_a_choice_gets_a_verdict(tmp_path):
    """With both names concepts, trial 19's "What's the real difference …? People use them like they're the same."
    read "use" as asking to choose and opened with "For this scenario, Continuous Deployment fits better"."""
    from conftest import assistant_without_pack

    assistant = assistant_without_pack(tmp_path, {"releases.md": RELEASES})
    contrast = assistant.ask("What's the real difference between continuous delivery and continuous deployment? "
                             "People use them like they're the same.").answer
    assert "fits better" not in contrast and "**Continuous Delivery**" in contrast, contrast
    assert "**Continuous Deployment**" in contrast, contrast
    # the definitions said again under "Key Points" (one with a slip of a letter) are said once each
    assert contrast.count("goes all the way to production") == 1, contrast
    assert contrast.count("stop for approval") == 1, contrast
    chosen = assistant.ask("Continuous delivery vs continuous deployment: our change board has to sign off before "
                           "anything reaches production. Which one do we use?").answer
    assert chosen.startswith("For this scenario, **Continuous Delivery** fits better"), chosen


def test_a_row_saying_there_is_no_bound_answers_a_question_for_one():
    """Trial 19's "… and is there a cap on how big a repo can get?" was told "I found no number for this in the
    review" beside a row of the repository's overview, whose benefits say "No size limit"."""
    from studyassist.answer.quantity import NO_NUMBER, no_number_note
    from studyassist.answer.types import Claim

    kb = build_knowledge([Document(name="releases.md", text=RELEASES)], report=BuildReport())
    overview = [Claim(text="…", rule_ids=[_said(kb.rules, "hosts private Git").id])]
    note = no_number_note("Which service hosts my private Git repos, and is there a cap on how big a repo can get?",
                          overview, kb.rule, kb.rules)
    assert note is not None and note.text == "The review says there is none: No size limit.", note
    assert note.rule_ids == [_said(kb.rules, "No size limit").id]
    # no size limit is no limit on webhooks, and a row giving a bound is none without one, whatever its edition is
    webhooks = no_number_note("Is there a limit on webhooks per repository?", overview, kb.rule, kb.rules)
    assert "there is none" not in webhooks.text, webhooks
    editions = no_number_note("Is there a limit on webhooks in Unlimited editions?", overview, kb.rule, kb.rules)
    assert "there is none" not in editions.text, editions
    # a minimum, a default or a duration asked is no bound the row denies
    for asked in ("What is the minimum size of a repo?", "How long does a repo take to create?"):
        assert no_number_note(asked, overview, kb.rule, kb.rules).text == NO_NUMBER, asked
