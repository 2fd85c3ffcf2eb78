"""From a learner's trial (stop 65) on AWS notes written as an FAQ no pack serves: each question a collapsible
"<details><summary>🎯Q. …</summary>", its answer a list; a load balancer named by a list's first item alone
("- ⭐`Network Load Balancer (NLB)`⭐") over points under lead-ins repeated for each one ("Best when you need:"). The
questions ran together into one paragraph, the names were rules with nothing to say, and "which load balancer keeps
the client's IP?" was answered "**Best when you need** — preservation of client source IP", naming no load balancer."""
from __future__ import annotations

import pytest

from ingest.build import BuildReport, Document, build_knowledge
from ingest.faq import headed

FAQ = """# Developer exam notes

## Load balancing

<details>
<summary>🎯Q. what does a load balancer give me?  </summary>

- one DNS name in front of many servers
- it stops sending requests to servers that fail their checks
</details>

<details>
<summary>🎯Q. ALB or NLB?</summary>

- ⭐`Application Load Balancer (ALB)`⭐
- Works at layer 7 on HTTP and HTTPS.
- Best when you need:
    - Routing by URL path or host name.
    - Lambda functions as targets.
- Use case examples:
    - A site made of several microservices.

- ⭐`Network Load Balancer (NLB)`⭐
- Works at layer 4 on TCP and UDP.
- Best when you need:
    - A fixed IP address that partners can allowlist.
    - The client's own source IP kept for the backend.
- Use case examples:
    - Multiplayer games that send UDP.
</details>

- Cross-zone balancing spreads requests over every zone's targets.
- A cooldown period stops an Auto Scaling group from scaling again too soon.

<details><summary>Answer</summary>not a question</details>

```
- ⭐`Not a heading`⭐
- inside a code block
- it stays as written
```
"""


def test_collapsible_questions_and_naming_items_become_headings_in_place():
    text = headed(FAQ)
    lines = text.split("\n")
    assert len(lines) == len(FAQ.split("\n"))
    assert "### what does a load balancer give me?" in lines and "### ALB or NLB?" in lines
    assert "#### Application Load Balancer (ALB)" in lines and "#### Network Load Balancer (NLB)" in lines
    # what follows the last answer is under "Load balancing" again, not under the NLB
    assert lines[lines.index("- Cross-zone balancing spreads requests over every zone's targets.") - 2] == \
        "## Load balancing"
    assert "- ⭐`Not a heading`⭐" in lines and "<details><summary>Answer</summary>not a question</details>" in lines
    # a list of names is no name over points, nor is an item followed by one point
    names = "# Notes\n\n- **PBX**\n- **POTS**\n- **VoIP**\n\n- **Rollover cable**\n- Connects to a console port.\n"
    assert headed(names) == names


def test_points_under_a_lead_in_repeated_for_each_thing_are_about_that_thing():
    kb = build_knowledge([Document("faq.md", FAQ)], report=BuildReport())
    kept = {r.situation: r.choice for r in kb.rules if r.kind == "list_item"}
    assert kept["Best when you need: The client's own source IP kept for the backend"] == "Network Load Balancer (NLB)"
    assert kept["Best when you need: Lambda functions as targets"] == "Application Load Balancer (ALB)"
    assert kept["Use case examples: Multiplayer games that send UDP"] == "Network Load Balancer (NLB)"
    assert not any(r.choice in ("Best when you need", "Application Load Balancer (ALB)⭐") for r in kb.rules)
    # a point under a question heading is about what the heading above the question names, not the question
    assert kept["one DNS name in front of many servers"] == "Load balancing"


@pytest.fixture(scope="module")
def assistant(tmp_path_factory):
    from conftest import assistant_without_pack

    return assistant_without_pack(tmp_path_factory.mktemp("faq"), {"faq.md": FAQ})


def test_a_which_question_is_answered_with_the_thing_the_points_are_about(assistant):
    answer = assistant.ask("Our backend needs to see the caller's real IP address. Which load balancer helps?")
    assert "Network Load Balancer" in (answer.decision or ""), answer.answer


def test_when_to_use_a_thing_gives_its_points_in_one_sentence_each_lead_in_once(assistant):
    answer = assistant.ask("When should I pick the Application Load Balancer?")
    assert "**Application Load Balancer (ALB)** — " in answer.answer, answer.answer
    assert answer.answer.count("best when you need:") == 1 and "Use **Application" not in answer.answer, answer.answer


def test_points_under_a_long_lead_in_stay_points_of_their_own():
    notes = ("# Load balancers\n\n- what all the things we can do with a load balancer\n"
             "  - spread requests across several servers so none becomes a bottleneck\n"
             "  - keep a user's session on the same backend with sticky sessions\n"
             "  - terminate TLS so the servers do not decrypt traffic themselves\n\n"
             "- Azure Functions\n  - serverless code\n  - runs on events\n  - pay per execution\n")
    kb = build_knowledge([Document("lb.md", notes)], report=BuildReport())
    said = [r.text for r in kb.rules]
    assert any("sticky sessions" in t and "bottleneck" not in t for t in said), said
    assert any("Azure Functions: serverless code; runs on events; pay per execution" in t for t in said), said  # a name


def test_a_grid_under_a_blank_header_compares_things_with_long_names():
    """A learner trial (stop 65, an AWS comparison sheet of 25 "X vs Y" grids): three grids whose compared things had
    long names ("AWS KMS (customer managed key)", "FSx for Windows File Server") were read as choices of their second
    column, so "and the other one, read replicas?" was answered with Multi-AZ's cells."""
    grid = ("### Multi-AZ vs Read Replicas\n\n| | RDS Multi-AZ (classic instance deployment) | Read replica |\n"
            "|---|---|---|\n| Replication | Synchronous | Asynchronous (can lag) |\n"
            "| Readable? | No, the standby serves no traffic | Yes |\n"
            "| Failover | Automatic, by repointing the DNS endpoint | Manual or scripted promotion |\n")
    report = BuildReport()
    kb = build_knowledge([Document("grid.md", grid)], report=report)
    assert [t.orientation for t in kb.tables] == ["comparison"] and not report.warnings, report.warnings
    replication = next(r for r in kb.rules if r.situation == "Replication")
    assert {s.label: s.text for s in replication.sides}["Read replica"] == "Asynchronous (can lag)"
