"""Free questions that name the thing their scene is about (AZ-204 notes, dev3: "… so much telemetry to Application
Insights that the bill climbs … What should they configure?"): the answer is something said of that thing, not its
name again; and a name a document gives only as a heading over its lists is a name it uses."""
from __future__ import annotations

import pytest

from studyassist.answer.types import says_not_covered

pytestmark = pytest.mark.slow

SERVICES = """# Developer notes

# 2. Data

## 2.1 Azure Cosmos DB

### What You Can Do

- Globally distributed NoSQL database with several consistency levels

### Built-in

- Automatic indexing of every property
- Multi-region replication

### Requires Customization

- Partition key design for even load
- Index policy tuning to lower request units

---

## 2.2 Azure SQL Database

### What You Can Do

- Managed relational database for transactional workloads

### Built-in

- Automatic backups and point-in-time restore
- Transparent data encryption and auditing

### Requires Customization

- Connection resiliency and retry logic
- Elastic pools for multi-tenant SaaS
- Geo-replication for disaster recovery

---

# 5. Monitoring

## 5.1 Application Insights

### What You Can Do

- Collect application-level telemetry: requests, dependencies, exceptions, traces, metrics

### Built-in

- Automatic instrumentation for many runtimes
- Live Metrics, Application Map, Failures, Performance views

### Requires Customization

- Custom events and metrics
- Sampling configuration to control costs
- Distributed tracing across services
"""

BASTION = """# Remote access

## 9.1 Azure Bastion

### Built-in

- Browser-based RDP and SSH without public IPs on the VMs
- Deployed into its own subnet named AzureBastionSubnet

### Requires Customization

- Native client support needs the Standard tier
"""

EDGE = """# Edge notes

## 7.1 Azure Front Door

### Built-in

- Global anycast entry point with TLS offload
- Caching of static content at the edge

### Requires Customization

- WAF policy tuning for false positives

## 7.2 Azure Traffic Manager

### Built-in

- DNS-based routing by priority, weight or performance

### Requires Customization

- Endpoint monitoring paths and probe intervals

## 7.3 Azure Application Gateway

### Built-in

- Regional layer-7 load balancing with path-based routing

### Requires Customization

- Listener and certificate setup for each site
"""


@pytest.fixture(scope="module")
def assistant(tmp_path_factory):
    from conftest import assistant_without_pack

    return assistant_without_pack(tmp_path_factory.mktemp("scene"), {"dev.md": SERVICES, "edge.md": EDGE,
                                                                      "bastion.md": BASTION})


def test_the_one_name_of_a_scene_is_not_its_answer_something_said_of_it_is(assistant):
    answer = assistant.scoped("dev.md").ask(
        "A software vendor gives each of its customers a separate Azure SQL database. Each tenant's usage is low "
        "and peaks at different times. What should the vendor use to share resources and cut cost?")
    assert answer.decision is not None and "Elastic pools" in answer.decision


def test_a_name_given_only_as_a_heading_over_lists_is_one_the_notes_use(assistant):
    edge = assistant.scoped("edge.md")
    assert edge.retriever.knows("front") and edge.retriever.knows("front door")
    answer = edge.ask("What does Azure Front Door give you built in?")
    assert not says_not_covered(answer.answer)
    assert "Front Door" in answer.decision and "global anycast entry point" in answer.answer.lower()


def test_a_heading_names_what_the_notes_cover_though_no_line_under_it_says_it(assistant):
    """Each line under "9.1 Azure Bastion > Built-in" is searched as "Built-in | …": the name is still the notes'
    own, so a question about it is not told the notes never mention it."""
    bastion = assistant.scoped("bastion.md")
    assert bastion.retriever.knows("bastion") and bastion.retriever.knows("azure bastion")
    answer = bastion.ask("What does Azure Bastion give you built in?")
    assert not says_not_covered(answer.answer) and "AzureBastionSubnet" in answer.answer



@pytest.mark.parametrize("question, head", [
    ("what should I use to connect a lot of VPCs together?", "what should I use"),
    ("Which service should they pick for OLAP dashboards?", "Which service should they pick"),
    ("What pattern does Kinesis follow?", "What pattern does Kinesis follow?"),  # it asks about what it names
])
def test_what_a_question_asks_to_use_something_for_is_no_part_of_what_it_asks_for(question, head):
    from studyassist.answer.coverage import asked_head

    assert asked_head(question).strip() == head
