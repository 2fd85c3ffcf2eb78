"""A question that asks what a thing is, how things differ or which kind of a thing to use, about a name the notes
never write, is not covered: "What is Azure Blob Storage?" of AWS notes was answered with S3 (stop 57's trial), and
"Which Power BI visual should I use …?" of the AI-300 review with slice evaluation, "likely"."""
from __future__ import annotations

import pytest

from studyassist.answer.coverage import asked_names, unknown_subject
from studyassist.answer.types import says_not_covered


@pytest.mark.parametrize("question, names", [
    ("What is Azure Blob Storage?", ["Azure Blob Storage"]),
    ("What is the difference between AKS node pools and virtual node?", ["AKS"]),
    ("What is the difference between Azure SQL Database and SQL Managed Instance?",
     ["Azure SQL Database", "SQL Managed Instance"]),
    ("Which Power BI visual should I use to compare sales across regions?", ["Power BI"]),
    ("SQS vs SNS?", ["SQS", "SNS"]),
    ("Compare Azure Functions and Logic Apps", ["Azure Functions", "Logic Apps"]),
    ("What does the CAP theorem say about partition tolerance?", ["CAP"]),
    # a side that leads with no name, or a question of another shape, asks about no name
    ("Key Vault versus putting API keys in the pipeline YAML, which should we use?", ["Key Vault"]),
    ("How does the cleanup function in React's useEffect hook work?", []),
    ("I just want a box to open Jupyter on and step through my code in VS Code", []),
    ("What is a managed online endpoint?", []),
    ("How do I roll back to the previous model?", []),
    # how to do something to a thing: what it is done to, not where it goes
    ("How do I back up an Azure Cosmos DB account?", ["Azure Cosmos DB"]),
    ("How do I set up a VPN gateway between two virtual networks?", ["VPN"]),
    ("How do I send my endpoint's logs to Azure Monitor?", []),
    # when to use a thing (stop 66's trial: "… Amazon MQ instead of SQS?" got the standard queue's first point)
    ("When should I use Amazon MQ instead of SQS?", ["Amazon MQ"]),
    ("When would I use a batch endpoint?", []),
])
def test_the_names_a_question_asks_about(question, names):
    assert asked_names(question) == names


def test_a_name_one_of_whose_words_no_document_uses_is_unknown():
    known = {"azure", "storage", "sq", "sn", "queue"}
    assert unknown_subject("What is Azure Blob Storage?", known.__contains__) == "Azure Blob Storage"
    assert unknown_subject("SQS vs SNS?", {"sqs", "sns"}.__contains__) is None
    assert unknown_subject("How do I set up blob lifecycle rules?", known.__contains__) is None  # asks no name
    # every word known, but never two of them in a row ("Azure Load Balancer", "A/B testing": no "load testing")
    written = {"azure load", "load balancer", "front door", "azure front"}
    knows = {"azure", "load", "testing", "front", "door", "balancer"}.__contains__

    def knows_names(text: str) -> bool:
        words = text.split()
        return knows(text) if len(words) == 1 else all(map(knows, words)) and all(
            f"{a} {b}" in written for a, b in zip(words, words[1:]))
    assert unknown_subject("How do I use Azure Load Testing to validate a deployment?", knows_names) == \
        "Azure Load Testing"
    assert unknown_subject("What is Azure Front Door?", knows_names) is None


@pytest.mark.slow
def test_a_question_about_a_service_the_notes_never_name_is_not_covered(tmp_path_factory):
    from test_trial_notes import SERVICES

    from conftest import assistant_without_pack

    notes = assistant_without_pack(tmp_path_factory.mktemp("unknown"), {"cloud.md": SERVICES})
    answer = notes.ask("What is Azure Blob Storage?")
    assert says_not_covered(answer.answer) and "It does not mention Azure Blob Storage." in answer.answer, answer.answer
    assert answer.citations == [] and answer.decision is None
    answer = notes.ask("What is Amazon S3?")  # a name the notes use is answered
    assert not says_not_covered(answer.answer) and answer.citations, answer.answer
    assert "Simple Storage Service" in answer.citations[0].section


@pytest.mark.slow
def test_a_question_every_word_of_which_one_item_says_is_covered_and_answered_by_it(tmp_path_factory):
    """"What is the lock file for?" of Terraform notes had been refused: the item says ".terraform.lock.hcl" and
    "Commit this file" (0.23 by meaning to the small embedding model), and a table row nearer by meaning ("State
    Drift … the state file") had come first once it was covered. The row closest by words that says every content
    word of the question covers it and answers it; a question one of whose words no row says is still refused."""
    from studyassist.answer.coverage import says_every_word

    from conftest import assistant_without_pack

    notes = ("# Terraform notes\n\n## Providers\n- **`.terraform.lock.hcl`** – created by `terraform init`. It records "
             "the exact provider versions and checksums. **Commit this file to version control.**\n"
             "- **Version constraints** are set in the `required_providers` block.\n\n## State\n"
             "| Topic | Key Point |\n|---|---|\n| **State Drift** | A difference between the real infrastructure and "
             "the information recorded in the state file. |\n| **Default State File** | `terraform.tfstate` in the "
             "working directory. |\n")
    assistant = assistant_without_pack(tmp_path_factory.mktemp("lock"), {"terraform.md": notes})
    answer = assistant.ask("What is the lock file for?")
    assert not says_not_covered(answer.answer) and answer.citations, answer.answer
    assert answer.citations[0].id.endswith("providers-list#1"), answer.citations
    assert says_not_covered(assistant.ask("How do I rotate the lock file's signing key in Vault?").answer)
    hits = assistant.composer._rule_hits("What is the lock file for?", assistant.composer.retriever.embeddings
                                          .query_vector("What is the lock file for?"))
    assert says_every_word(hits, "What is the lock file for?") and not says_every_word(hits, "What is a lock?")
    knows = assistant.composer.retriever.knows  # a name's words, each two of them written in a row
    assert knows("state file") and knows("version control") and not knows("control drift") and not knows("lock drift")


def test_a_what_is_question_is_about_the_words_after_it():
    from studyassist.answer.confidence import defines
    from studyassist.answer.coverage import asked_what

    assert asked_what("What is connection draining?") == "connection draining"
    assert asked_what("what are the health endpoints?") == "health endpoints"
    assert asked_what("Which strategy has the fastest rollback?") == ""
    assert defines("What is connection draining?", "Connection draining")
    assert not defines("What is ring deployment?", "Canary or Ring deployment") and not defines("What is X?", None)


@pytest.mark.slow
def test_asked_what_a_term_of_the_notes_is_the_answer_that_defines_it_is_likely(tmp_path_factory):
    """AZ-400 notes (a learner's trial): "What is connection draining?", answered word for word by the notes' item,
    said "not sure": the term is no concept of the notes (a list item's name), so nothing told the answer was the
    thing asked about."""
    from conftest import assistant_without_pack

    notes = ("# Deployments\n\n## Load balancing\n- **Connection draining**: gracefully remove an instance from "
             "rotation and wait for its open connections to finish\n- **Health probes**: checks that take a failing "
             "instance out of rotation\n- **Session affinity**: sends a user's requests to the same instance\n")
    assistant = assistant_without_pack(tmp_path_factory.mktemp("define"), {"az400.md": notes})
    answer = assistant.ask("What is connection draining?")
    assert answer.decision == "Connection draining" and answer.confidence == "likely", (answer.decision, answer.answer)
