"""A learner who holds a belief ("Contributor should be enough", "the probe is green, so the model is fine") and
asks about it gets the review's listed mistake or warning first, over a review written here (no exam pack): the
row the belief is worded like comes after it, and a mistake that only names the same thing never leads."""
from __future__ import annotations

import pytest

from studyassist.answer.intents import detect_intent

from conftest import corpus_without_pack

ACCESS_REVIEW = """# Access and release quick review

## Identity and access

| Requirement | Response |
|---|---|
| Let jobs read storage without keys | Grant the job's identity a data role |
| Keep secrets out of code | Use a secret store |
| Limit what people can change | Use least-privilege roles |

## Symptoms

| Symptom | Likely area to investigate |
|---|---|
| Storage reads fail with 403 | Identity, role assignments, network rules |
| Releases fail at startup | Image, scoring code, dependencies |

## Release checks

| Check | Question |
|---|---|
| Health probe | Does the container start and answer? |
| Quality gate | Do the predictions beat the current model? |

Trap: a passing health probe does not prove that the model's predictions are any good.

## Common mistakes

- Assuming a management role grants data access: Contributor manages the account but cannot read its blobs.
- Putting keys in code: use an identity and a secret store.
"""
MISTAKE = "Assuming a management role grants data access"


@pytest.fixture(scope="module")
def assistant(tmp_path_factory):
    from ingest.indexer import ingest
    from studyassist.assistant import Assistant

    settings = corpus_without_pack(tmp_path_factory.mktemp("verdicts"), {"access-review.md": ACCESS_REVIEW})
    ingest(settings)
    return Assistant(settings)


@pytest.mark.parametrize("question", [
    "I'm Contributor on the storage account but my job's reads fail with 403. Why isn't Contributor enough?",
    "Our identity has Contributor on the account, so reading the blobs is covered. Why wouldn't that cover it?"])
def test_why_a_belief_falls_short_is_answered_by_the_listed_mistake_first(assistant, question):
    """The symptom row ("Storage reads fail with 403") is found before the mistake; it had led the answer, and the
    second wording had been answered by the least-privilege row alone."""
    answer = assistant.ask(question)
    assert answer.decision == MISTAKE, answer.answer
    assert answer.answer.startswith(f"The review lists **{MISTAKE}** as a common mistake"), answer.answer
    assert "Putting keys in code" not in answer.answer  # names a role too, but is no reason


@pytest.mark.parametrize("question", [
    "The health probe is green on the new release. Does that prove the model is fine to take all the traffic?",
    "The health probe is green on the new release. So can we just send all the traffic to it?"])
def test_a_belief_the_review_warns_against_gets_that_warning(assistant, question):
    """No listed mistake names it, but the review's "Trap:" sentence does (it had been "not sure" between the two
    checks' rows)."""
    answer = assistant.ask(question)
    assert detect_intent(question)[0] == "verdict"
    assert answer.answer.startswith("The review warns: a passing health probe does not prove"), answer.answer
    assert answer.citations[0].text.startswith("Trap:")


def test_a_how_question_with_no_belief_keeps_its_row(assistant):
    answer = assistant.ask("How do I let a job read storage without keys?")
    assert answer.decision == "Grant the job's identity a data role", answer.answer
    assert "common mistake" not in answer.answer.split("\n\n")[0]


def test_a_belief_put_up_for_judgement_is_a_verdict_question():
    for question in ("Isn't the overall accuracy good enough?", "Didn't registering it make it available?",
                     "So once the probes go green, does that basically prove the new model is fine?",
                     "Can I register that trial's model and push it to the endpoint, or am I skipping something?",
                     "And is keeping it as a notebook OK for production anyway?",
                     "Fine. Once it's done, can I just take the best trial and register it?"):
        assert detect_intent(question)[0] == "verdict", question
    assert detect_intent("Why wasn't Contributor enough?")[0] == "why"  # asks why it falls short: the reason
    assert detect_intent("Why bother registering a versioned environment?")[0] == "why"  # the practice's reason
    assert detect_intent("What does that mean?")[0] == "define"
    assert detect_intent("Is a compute instance good enough for nightly training?")[0] == "which"


SERVING_REVIEW = """# Serving quick review

## Serving options

| Serving option | Best fit | Watch for |
|---|---|---|
| Live service | Answers each request as it arrives | Costs money while idle |
| Queue worker | Large files processed later in bulk | Not appropriate for requests that need an answer within a second |

## Live service versus queue worker

| Requirement | Better fit |
|---|---|
| A person waits for each answer | Live service |
| Millions of stored records scored overnight | Queue worker |

## Common mistakes

- Running bulk jobs on the live service: match serving to how soon answers are needed.
"""


@pytest.fixture(scope="module")
def serving(tmp_path_factory):
    from ingest.indexer import ingest
    from studyassist.assistant import Assistant

    settings = corpus_without_pack(tmp_path_factory.mktemp("serving"), {"serving-review.md": SERVING_REVIEW})
    ingest(settings)
    return Assistant(settings)


def test_a_proposed_choice_gets_the_limit_its_row_states(serving):
    """The proposal is the listed mistake's reverse (moving live traffic to the bulk option): the mistake had led,
    which reads as "yes, move it"; the queue worker's row says what it is not fit for."""
    from studyassist.answer.resolve import Conversation

    chat = Conversation()
    serving.ask("Our live service adds capacity too slowly and bursts of users wait. What can we do?", chat)
    answer = serving.ask("So should we just move this to a queue worker instead?", chat)
    assert answer.decision == "Queue worker", answer.answer
    assert answer.answer.startswith("The review's limit on **Queue worker** (for large files processed later in bulk): "
                                    "not appropriate for requests"), answer.answer  # (not sure: still said, not
    # shown side by side with the live service's row, which had hidden the limit)
    assert "Not appropriate for requests that need an answer within a second" in answer.citations[0].text
    assert "Running bulk jobs" not in answer.answer


def test_advice_about_using_a_choice_is_no_limit(serving):
    """"Costs money while idle" says what to watch, not what the live service is unfit for."""
    answer = serving.ask("So should we just put the nightly scoring of stored records on the live service?")
    assert not answer.answer.startswith("The review's limit on"), answer.answer
