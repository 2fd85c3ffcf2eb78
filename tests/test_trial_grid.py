"""From an eighth learner's trial (stop 63), on a developer exam's messaging notes no pack serves: a grid comparing
three services across feature rows ("Feature / Use Case | EventBridge | SNS (Simple Notification Service) | SQS …")
was read as a decision table whose choice was the SNS column (its name says "Service", and "use case" made the first
column a situation), so "Is SQS push or pull?" was answered with SNS's "Push" and "which has a schema registry?" with
"No"; a row comparing sides answered a question about one side with the first side's cell; "\\~500 ms" kept its
markdown escape, and a quoted name lost its opening quote ('Pull Queue" (durable …)')."""
from __future__ import annotations

import pytest

from ingest import orientation
from ingest.build import BuildReport, Document, build_knowledge

GRID = """# Storage services compared

## Side by side
| Feature / Use Case | 🟦 Blob Storage | 🟨 Files (Azure File Service) | 🟩 Queues (Azure Queue Service) |
| --- | --- | --- | --- |
| **Access model** | REST objects | SMB shares | Pull (poll for messages) |
| **Item size limit** | 190.7 TiB | 4 TiB | 64 KB |
| **Keeps items** | ✅ Yes (until deleted) | ✅ Yes | ❌ No (7 days by default) |
| **Mountable** | ❌ No (only with BlobFuse) | ✅ Yes (SMB or NFS) | ❌ No |
| **Latency** | \\~10 ms | \\~5 ms | \\~50 ms |

## When to use each
| Scenario | Best Service | Reason |
| --- | --- | --- |
| Lift-and-shift app that needs a mapped drive | **Files** | SMB shares mount like a disk |
| Hand work between two services one message at a time | **Queues** | Messages wait until a worker pulls them |
| Keep images and backups cheaply | **Blob Storage** | Object storage with access tiers |

## Memory tips
- Files = "Network Drive" (SMB, NFS, mount it)
- Queues = "Work Inbox" (pull, small messages)
"""


@pytest.fixture(scope="module")
def kb():
    return build_knowledge([Document("grid.md", GRID)], report=BuildReport())


def test_a_grid_of_named_things_is_a_comparison_though_its_first_header_says_use_case():
    columns = ["Feature / Use Case", "🟦 EventBridge", "🟨 SNS (Simple Notification Service)",
               "🟩 SQS (Simple Queue Service)"]
    assert orientation.detect(columns, [["Type", "Event Bus", "Pub/Sub", "Queue"]]).kind == "comparison"
    # a header that is only a choice word names no thing compared: still a decision table
    decision = orientation.detect(["Feature / Use Case", "Best Service", "Why"], [["Mount a drive", "Files", "SMB"]])
    assert decision.kind != "comparison" and decision.choice_column == 1


def test_each_grid_row_compares_every_side_and_escapes_are_read_as_their_characters(kb):
    latency = next(r for r in kb.rules if r.situation == "Latency")
    assert [s.label for s in latency.sides] == ["Blob Storage", "Files (Azure File Service)",
                                                "Queues (Azure Queue Service)"]
    assert [s.text for s in latency.sides] == ["~10 ms", "~5 ms", "~50 ms"]
    assert {r.choice for r in kb.rules if r.table and r.table.startswith("when-to-use")} == {
        "Files", "Queues", "Blob Storage"}


def test_the_side_a_question_names_answers_it():
    from studyassist.answer.versus import asked_side

    kb = build_knowledge([Document("grid.md", GRID)], report=BuildReport())
    row = next(r for r in kb.rules if r.situation == "Access model")
    assert asked_side(row, "Are queues push or pull?") == 2  # (no side's cell says more of its words)
    assert asked_side(row, "Do files use SMB shares?") == 1
    # a side whose cell says two more of the question's words than any other answers it, whichever side is named
    assert asked_side(row, "Should the queue or the pull of REST objects serve it?") == 0


def test_a_quoted_name_keeps_its_quotes_inside_a_sentence():
    from studyassist.text import sentence_part

    assert sentence_part('"Work Inbox" (pull, small messages)') == '"Work Inbox" (pull, small messages)'
    assert sentence_part("“The same code now gives different results.”") == "the same code now gives different results"


@pytest.fixture(scope="module")
def assistant(tmp_path_factory):
    from conftest import assistant_without_pack

    return assistant_without_pack(tmp_path_factory.mktemp("grid"), {"grid.md": GRID})


@pytest.mark.slow
@pytest.mark.parametrize("question, said, not_said", [
    ("Are queues push or pull?", "Pull (poll for messages)", "REST objects"),
    ("How big can an item in Azure Queues be?", "64 KB", "190.7 TiB"),
    ("Can I mount Azure Files as a drive?", "Yes (SMB or NFS)", "only with BlobFuse"),
])
def test_a_question_about_one_service_gets_that_services_cell(assistant, question, said, not_said):
    """The grid row is said of the service the question names: its cell first, the others after it in brackets."""
    answer = assistant.ask(question).answer.lower()
    row = next(line for line in answer.split("\n") if said.lower() in line)  # (the others after it, if at all)
    assert not_said.lower() not in row[:row.index(said.lower())], answer


def test_things_a_grid_compares_in_most_rows_naming_them_are_not_generic():
    """A grid of three services over 14 feature rows names each service in every row: still the things a learner
    asks about ("When should I use EventBridge instead of SNS?" had lost EventBridge as a generic word)."""
    from studyassist.answer.resolve import generic_concepts

    rows = "\n".join(f"| Feature {n} | a{n} | b{n} | c{n} |" for n in range(14))
    grid = f"# Queues\n\n## Compared\n| Feature | Alpha Queue | Beta Topic | Gamma Bus |\n|---|---|---|---|\n{rows}\n"
    kb = build_knowledge([Document("many.md", grid)], report=BuildReport())
    compared = {c.id for c in kb.concepts if c.label in ("Alpha Queue", "Beta Topic", "Gamma Bus")}
    assert len(compared) == 3 and all(len(kb.concept(c).mentioned_in) > 12 for c in compared)
    assert not compared & generic_concepts(kb)


@pytest.mark.slow
def test_a_reason_column_is_the_rows_why_and_a_when_question_skips_grid_aspects(assistant):
    why = assistant.ask("Why would I pick Queues instead of Files to hand work between two services?").answer
    assert why.startswith("The review says why: Messages wait until a worker pulls them"), why
    when = assistant.ask("When should I use Files instead of Blob Storage?").answer
    assert "Use **Files** when lift-and-shift app that needs a mapped drive" in when and "when access model" not in when


def test_a_yes_no_grid_with_notes_after_its_marks_is_read_as_a_lookup(kb):
    """The trial's "… without building a Lambda-based workaround. Which service supports this natively?" got SNS
    ("No (workaround via Lambda DLQ)"): a cell "Yes (…)" or "No (…)" is a mark with a note, an option names a column
    by its name outside the bracket ("Amazon SQS" for "SQS (Simple Queue Service)"), and a "without" before the
    question asks for nothing's absence."""
    from studyassist.solve.grids import Grids

    grids = Grids(kb)
    assert {feature for _, feature, _ in grids.rows} == {"keeps items", "mountable"}
    stem = ("The servers cannot run extra tools, so the team wants storage it can attach without BlobFuse. Which "
            "service is mountable natively?")
    options = ["Azure Blob Storage", "Azure Files", "Azure Queues", "Azure Queue Storage"]
    assert grids.pick(stem, options)[0] == 1
    assert grids.pick("Which service is not mountable?", options) is None  # (the question itself negated)
    mountable = next(r for r in kb.rules if r.situation == "Mountable")  # the nearest row found by the solver
    assert grids.pick("The servers need a mapped drive. Which service fits?", options, mountable.choice)[0] == 1


@pytest.mark.slow
def test_a_difference_between_two_of_a_grids_three_things_shows_their_columns(assistant):
    """"What's the difference between SNS and SQS?" had the whole EventBridge/SNS/SQS grid pasted in."""
    two = assistant.ask("Files (Azure File Service) vs Queues (Azure Queue Service)?").answer
    assert "| Feature / Use Case | Files (Azure File Service) | Queues (Azure Queue Service) |" in two
    assert "Blob Storage |" not in two and "190.7 TiB" not in two
    three = assistant.ask("How do Blob Storage, Files (Azure File Service) and Queues (Azure Queue Service) differ?"
                          ).answer
    assert "| Feature / Use Case | Blob Storage | Files (Azure File Service) | Queues (Azure Queue Service) |" in three


def test_should_i_use_x_or_y_names_the_things_it_weighs():
    from studyassist.answer.coverage import asked_names

    assert asked_names("Should I use Kinesis Data Streams or SQS for real-time clickstream analytics?") == [
        "Kinesis Data Streams", "SQS"]
    assert asked_names("should we go with a compute cluster or serverless?") == []  # (no name: nothing to check)


@pytest.mark.slow
def test_weighing_a_service_the_notes_never_name_is_not_covered(assistant):
    """The trial's "Should I use Kinesis Data Streams or SQS for real-time clickstream analytics?" was answered with
    SNS's "near-real-time millions of msgs/sec" hook: the notes never name Kinesis Data Streams."""
    answer = assistant.ask("Should I use Kinesis Data Streams or Queues for real-time clickstream analytics?")
    assert answer.decision is None and "It does not mention Kinesis Data Streams." in answer.answer
