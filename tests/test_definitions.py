"""Term questions from a notes-shaped document no pack serves: a list that defines four or more terms gives items
whose stem is what the document says of one term (its name blanked) and whose options are terms of the same list,
checked by the generator's key verifier like any item."""
from __future__ import annotations

import pytest

from studyassist.quiz.definitions import (
    BLANK,
    Definitions,
    about_heading,
    blanked,
    context,
    definition,
    gives_away,
    group_of,
)
from studyassist.text import normalize

NOTES = """# Networking notes

## Load balancing
- **Load Balancer**: spreads TCP and UDP traffic across virtual machines in one region
- **Application Gateway**: routes web requests by URL path and can terminate TLS, with an optional WAF in front
- **Front Door**: a global entry point for web apps that sends each user to the nearest healthy backend
- **Traffic Manager**: answers DNS queries with the endpoint a routing method such as priority or geography picks

## Connectivity
- VPN Gateway - an encrypted tunnel to an on-premises network over the public internet
- ExpressRoute - a private circuit to Microsoft through a connectivity provider, never over the internet
- Virtual network peering - links two VNets so that their resources talk over the Microsoft backbone
- Bastion - browser-based RDP and SSH to virtual machines that have no public IP addresses
- Other services - NAT gateway, DNS zones and private link endpoints

## Gateways
- Azure Firewall - a managed, stateful firewall that filters traffic between networks
- DDoS Protection - absorbs floods of traffic aimed at public IP addresses in a network
- Web Application Firewall - a common application is to block SQL injection at the edge
- NAT Gateway - gives private subnets outbound internet access through fixed public IPs
- Private Link - reaches a platform service over a private endpoint inside your own network

## Front Door
- Routes each user to the nearest healthy backend across regions
- Caches static content at the edge of the Microsoft network

## Tips
- Read every requirement twice before picking an answer.
"""


@pytest.fixture(scope="module")
def notes_assistant(tmp_path_factory):
    from ingest.indexer import ingest
    from studyassist.assistant import Assistant

    from conftest import corpus_without_pack

    settings = corpus_without_pack(tmp_path_factory.mktemp("notes"), {"network-notes.md": NOTES})
    ingest(settings)
    return Assistant(settings)


def test_a_terms_names_are_blanked_where_its_definition_repeats_them():
    assert blanked("Virtual Machines are the IaaS option.", "Azure Virtual Machines") == f"{BLANK} are the IaaS option."
    assert blanked("routes traffic on the App Service plan", "Azure App Service") == f"routes traffic on the {BLANK} plan"
    assert blanked("role-based access control; assign roles to groups", "RBAC") == f"{BLANK}; assign roles to groups"
    assert blanked("Convolutional neural networks - a model architecture", "CNNs") == f"{BLANK} - a model architecture"
    assert blanked("capital expenditure: big upfront spend", "CapEx (capital expenditure)") == f"{BLANK}: big upfront spend"
    # a first word ("Azure") or a single word of a longer name is left: what many terms share gives nothing away, and
    # a stem that repeats a word only the key has is not asked
    assert blanked("Azure keeps the copies", "Azure Backup") == "Azure keeps the copies"
    assert blanked("never trust, always verify", "Zero Trust") == "never trust, always verify"
    assert gives_away("never trust, always verify", "Zero Trust", ["Defense in depth", "Azure Policy", "RBAC"])
    assert not gives_away("two regions in one geography", "Region pair", ["Sovereign regions", "Availability zone"])
    # a word of the key's root ("exposed", Exposure) or an acronym of its name spelled out gives it away too
    assert gives_away("whether the image is exposed", "Exposure", ["Blur", "Noise", "Mask"])
    assert gives_away("a web application programming interface", "RESTful API", ["Endpoint", "Key", "SDK"])
    # inside a compound name (a blind review of a quiz on AWS notes: "caching" → ElastiCache, "audit trail" →
    # CloudTrail), unless another option's name holds it too
    assert gives_away("Need: caching; Why: in-memory performance.", "ElastiCache", ["DynamoDB", "Aurora", "RDS"])
    assert gives_away("Need: API logging; Why: audit trail of API calls.", "CloudTrail", ["WAF", "Shield", "IAM"])
    assert not gives_away("Need: caching.", "ElastiCache", ["DynamoDB", "MemoryCache", "RDS"])
    assert not gives_away("Need: data warehouse; Why: analytics and BI.", "Redshift", ["Aurora", "RDS", "DynamoDB"])
    # the words every stem has are not the notes' ("Which term does the review describe …" beside Access reviews)
    assert not gives_away("Which term does the review describe this way: “regular checks of group members”?",
                          "Access reviews", ["Conditional Access", "Groups", "Entitlement management"])


def test_a_list_of_terms_gives_term_questions_of_one_kind(notes_assistant):
    quiz = notes_assistant.quiz
    items = quiz.generate(8, seed=3)
    assert len(items) >= 6, quiz.dropped
    kb = notes_assistant.kb
    for item in items:
        rule = kb.rule(item.rule_id)
        assert item.stem.startswith(f"In “{context(rule)}”, which term does the review describe this way: “")
        assert item.options[item.answer] == rule.choice
        assert len({group_of(kb.rule(r)) for r in item.option_rules}) == 1  # the key's list, and only it
        assert not any(normalize(o) in normalize(item.stem) for o in item.options), item.stem
        assert blanked(definition(rule), rule.choice).rstrip(" .;:") in item.stem
        assert "Other services" not in item.options  # a name for a group of things is not a term
        assert {c.id for c in item.citations} == set(item.option_rules)  # what each option's own rule says
        assert quiz.verifier.check(item, 1) is None  # its own term is what the definition finds first
    assert [i.id for i in quiz.generate(8, seed=3)] == [i.id for i in items]
    assert {i.rule_id.rsplit("#", 1)[0] for i in items} <= {"load-balancing-list", "connectivity-list", "gateways-list"}


def test_a_point_about_what_a_heading_names_is_no_term_to_ask(notes_assistant):
    points = [r for r in notes_assistant.kb.rules if r.section.endswith("Front Door")]
    assert [r.choice for r in points] == ["Front Door", "Front Door"] and all(about_heading(r) for r in points)
    definitions = Definitions(notes_assistant.kb, set(), notes_assistant.retriever.embeddings)
    assert not {r.id for r in points} & {r.id for r in definitions.pool}
    assert not any(about_heading(r) for r in definitions.pool)


def test_a_use_of_a_term_is_not_its_definition(notes_assistant):
    definitions = Definitions(notes_assistant.kb, set(), notes_assistant.retriever.embeddings)
    gateways = {r.choice for r in definitions.pool if r.id.startswith("gateways-list")}
    # "a common application is …" is a use of the term, which broader terms share
    assert gateways == {"Azure Firewall", "DDoS Protection", "NAT Gateway", "Private Link"}


def test_a_document_a_pack_serves_gets_no_term_questions(notes_assistant):
    served = Definitions(notes_assistant.kb, {"network-notes.md"}, notes_assistant.retriever.embeddings)
    assert served.pool == []
    assert len(Definitions(notes_assistant.kb, set(), notes_assistant.retriever.embeddings).pool) == 12


def test_points_nested_under_a_name_are_a_list_of_their_own():
    from ingest.lists import nested_items

    entries = [(0, "Types of ML"), (4, "Supervised ML - training data includes known labels"),
               (6, "Regression - the label is a number"), (0, "Binary Classification"),
               (4, "predicts one of two labels"), (8, "Accuracy - the share of predictions that were right"),
               (0, "Deep Learning - a neural network that learns in layers")]
    assert nested_items(entries) == [
        ("Types of ML", ""), ("Supervised ML - training data includes known labels", "Types of ML"),
        ("Regression - the label is a number", "Supervised ML"), ("Binary Classification", ""),
        ("predicts one of two labels", "Binary Classification"),
        ("Accuracy - the share of predictions that were right", "predicts one of two labels"),
        ("Deep Learning - a neural network that learns in layers", "")]
    # points that name nothing fold into their head, which hangs under nothing
    assert nested_items([(0, "Azure Functions"), (2, "serverless code"), (2, "pay per run")]) == [
        ("Azure Functions: serverless code; pay per run", "")]


COMPUTE = """# Compute notes

## Pricing
- Pay-as-you-go - billed per second of use with no commitment
- Reserved instances - one or three years paid up front for a lower rate

## Compute
### Virtual Machines
Full control of the operating system; you patch, size and secure each machine yourself.
### App Service
A managed platform that hosts web apps and REST APIs, scaling and patching them for you.
### Azure Functions
Event-driven code that runs when a trigger fires and is billed for each execution.
### Container Instances
Runs one container on demand in seconds, without any cluster or orchestrator to manage.

## Storage
### Blob Storage
- Blob Storage - unstructured objects such as images, backups and logs, reached over HTTP
- Hot, cool and archive tiers trade storage cost against access cost
"""


def test_terms_defined_under_their_own_headings_are_asked(tmp_path_factory):
    """A paragraph under a short heading defines the heading's name, and an item that names its own heading defines
    it too: both are terms (only a point that names nothing, about its heading, is not)."""
    from ingest.indexer import ingest
    from studyassist.assistant import Assistant

    from conftest import corpus_without_pack

    settings = corpus_without_pack(tmp_path_factory.mktemp("compute"), {"compute-notes.md": COMPUTE})
    ingest(settings)
    assistant = Assistant(settings)
    kb = assistant.kb
    defined = [r for r in kb.rules if r.id.rsplit("#", 1)[0].endswith("-defined")]
    assert {r.choice for r in defined} >= {"Virtual Machines", "App Service", "Azure Functions", "Container Instances"}
    assert not any(about_heading(r) for r in defined)
    named = next(r for r in kb.rules if r.choice == "Blob Storage" and r.situation.startswith("unstructured"))
    assert not about_heading(named)  # "- Blob Storage - …" under "### Blob Storage" names what it defines
    point = next(r for r in kb.rules if r.situation.startswith("Hot, cool"))
    assert point.choice == "Blob Storage" and about_heading(point)  # a point naming nothing is about its heading
    definitions = Definitions(kb, set(), assistant.retriever.embeddings)
    assert {r.choice for r in definitions.pool} >= {"Virtual Machines", "App Service", "Azure Functions",
                                                     "Container Instances"}
    items = assistant.quiz.generate(4, seed=1)
    assert items, assistant.quiz.dropped
    assert all(kb.rule(i.rule_id).id.rsplit("#", 1)[0].endswith("-defined") for i in items)


def test_the_fields_of_a_template_every_section_repeats_are_no_terms():
    """A cheat sheet describing each service by the same labels ("What it is", "When to use", "Exam tip", …)
    defines no term by them: a blind reviewer rejected "which term does the review describe …" items whose options
    were those labels."""
    from test_documents import build

    labels = ("What it is", "When to use", "Best practice", "Pricing")
    sections = "".join(f"## {name}\n" + "".join(f"- **{label}**: the {name} service, point {n} of four about it\n"
                                                for n, label in enumerate(labels, 1)) + "\n"
                       for name in ("Rocket", "Anchor", "Harbor"))
    kb, _ = build("# Services\n\n" + sections, "services.md")
    # (ingest reads them as points about each service: stop 49)
    assert {r.choice for r in kb.rules if r.kind == "list_item"} == {"Rocket", "Anchor", "Harbor"}
    assert Definitions(kb, set(), None).pool == []


def test_a_list_headed_as_factors_or_a_strategy_defines_no_terms():
    """"Storage Cost Factors" (Durability, Performance, Frequent Access, Archive) and "Service Selection Strategy"
    ("Think about scale", "Factor in cost") list considerations: a blind reviewer rejected "which term does the review
    describe this way" items over them; the same items under a heading of things are terms."""
    from test_documents import build

    items = "".join(f"- **{name}**: {said}\n" for name, said in [
        ("Keystore", "a locked vault that holds the signing keys of every service"),
        ("Tokenbank", "a service that hands short-lived tokens to callers that prove who they are"),
        ("Auditlog", "an append-only record of every call made against the control plane"),
        ("Gatewall", "a filter in front of the network that drops requests from unknown addresses")])
    for heading, terms in (("Security cost factors", 0), ("Service selection strategy", 0), ("Security services", 4)):
        kb, _ = build(f"# Notes\n\n## {heading}\n\n{items}", "notes.md")
        assert len(Definitions(kb, set(), None).pool) == terms, heading



def test_a_blind_reviews_stems_leave_no_stray_blank_name_no_option_and_ask_no_list_of_names():
    """A sixth blind review (stop 58; Network+ notes): "___. frames contain information about STP" kept the blank of
    the spelled-out name that opened the definition, offered STP though the stem names it, and asked which term
    "MTBF, MTTR, RTO, RPO" describes (a heading and the names under it)."""
    import numpy as np
    from test_documents import build

    from studyassist.quiz.types import Draft

    notes = "".join(f"- **{name}**: {said}\n" for name, said in [
        ("BPDU", "Bridge Protocol Data Unit. Frames that carry loop information about STP between switches"),
        ("STP", "Spanning Tree Protocol. Stops loops when switches have several paths to each other"),
        ("LACP", "Link Aggregation Control Protocol. Bundles several physical links into one logical link"),
        ("CSMA/CD", "Carrier Sense Multiple Access with Collision Detection. Listens before sending on a shared wire"),
        ("MDI-X", "Medium Dependent Interface Crossover. A port that swaps its send and receive pairs by itself")])
    kb, _ = build(f"# Network notes\n\n## Layer 2\n\n{notes}\n## Acronyms\n\n"
                  "- **Disaster Recovery**: MTBF, MTTR, RTO, RPO\n- **Security**: RADIUS and TACACS+\n"
                  "- **Routing**: OSPF, EIGRP, BGP\n- **Wireless**: WPA3, WPS, MIMO\n", "netplus.md")
    definitions = Definitions(kb, set(), None)
    bpdu = next(r for r in definitions.pool if r.choice == "BPDU")
    draft = definitions.draft(bpdu, "easy", None)
    assert draft.stem.endswith("“Frames that carry loop information about STP between switches”?"), draft.stem
    assert BLANK not in draft.stem
    recovery = next(r for r in kb.rules if r.choice == "Disaster Recovery")
    assert definitions.draft(recovery, "easy", None).stem == ""  # names are no description
    # every other term as near as the rest (the embeddings are not what is tested): STP, which the stem names, is
    # no option
    definitions._vector = lambda rule: (np.ones(3, dtype=np.float32), np.full(3, 0.1, dtype=np.float32))
    item = definitions.item(Draft(bpdu, "hard", None, "BPDU", draft.stem, None), 0)
    assert item is not None and sorted(item.options) == ["BPDU", "CSMA/CD", "LACP", "MDI-X"], item


GLOSSARY = """# Service notes

## Core definitions

| Term | Definition |
|---|---|
| **Customer** | Defines requirements and takes responsibility for outcomes of service consumption |
| **User** | Uses services day-to-day |
| **Sponsor** | Authorises the budget for service consumption |
| **Service management** | A set of specialized organizational capabilities for enabling value to customers |
| **Change** | The addition, modification or removal of anything that could affect services |
| **IT asset** | Any financially valuable component that can contribute to delivery of a product or service |
| **Utility** | The functionality offered by a product or service to meet a particular need |
"""


def test_a_glossary_of_roles_and_things_offers_no_role_beside_a_thing():
    """The second blind review of stop 58 (ITIL 4 notes): "Customer" offered for a set of organizational
    capabilities, "IT asset" and "Change" for who authorises the budget."""
    from test_documents import build

    from studyassist.quiz.kinds import Kinds
    from studyassist.quiz.options import is_someone

    assert is_someone("Product Owner", "Maximises the value of the product")
    assert is_someone("Approver", "A person who signs off a change") and not is_someone("Router", "Forwards packets")
    assert not is_someone("IAM User", "An identity with long-term credentials") and not is_someone(
        "Traffic Manager", "Answers DNS queries with the endpoint a routing method picks")
    assert not is_someone("Amazon Q Developer", "AI-assisted code review") and not is_someone(
        "Developers", "Services that developers use")
    kb, _ = build(GLOSSARY, "itil.md")
    rows = {r.choice.strip("*"): r for r in kb.table_rules}
    kinds = Kinds(kb)
    assert kinds.sorted_apart(rows["Service management"], rows["Customer"].id)
    assert kinds.sorted_apart(rows["Sponsor"], rows["Change"].id)
    assert not kinds.sorted_apart(rows["Sponsor"], rows["User"].id)
    assert not kinds.sorted_apart(rows["Service management"], rows["Utility"].id)
    # the same terms as a list: the options of a term question
    import numpy as np

    from studyassist.quiz.types import Draft

    listed = "# Service notes\n\n## Core definitions\n\n" + "".join(
        f"- **{r.choice.strip('*')}**: {r.situation}\n" for r in kb.table_rules)
    definitions = Definitions(build(listed, "itil.md")[0], set(), None)
    definitions._vector = lambda rule: (np.ones(3, dtype=np.float32), np.full(3, 0.1, dtype=np.float32))
    terms = {r.choice: r for r in definitions.pool}
    draft = definitions.draft(terms["Service management"], "hard", None)
    item = definitions.item(Draft(draft.rule, "hard", None, draft.key, draft.stem, None), 0)
    assert item is not None and not {"Customer", "User", "Sponsor"} & set(item.options), item.options
    draft = definitions.draft(terms["Sponsor"], "hard", None)  # two other roles: no item rather than a thing
    assert definitions.item(Draft(draft.rule, "hard", None, draft.key, draft.stem, None), 0) is None


COMMANDS = """# Tool notes

## Command Reference
### Initialization
- `terraform init` – bootstraps the working directory and installs the providers it needs.

### Planning & Applying Changes
- `terraform plan` – previews the changes without making any of them.
- `terraform apply` – makes the planned changes to your infrastructure.
- `terraform plan -destroy` – shows what would be deleted, before anything is deleted.

### Importing
- `terraform import <address> <id>` – brings an existing resource under the tool's management.

### Other Useful Commands
- `terraform output` – displays the output values of the root module.
- `terraform state rm <resource>` – removes a resource from state without destroying it.
"""


def test_short_lists_of_commands_under_one_heading_are_asked_together():
    """Terraform notes sort their commands under headings of one to three items each: every command is asked beside
    the commands of the other lists, under the parent heading (not "Planning & Applying Changes", which gives
    "terraform plan" away), as a command; commands of one tool are not alike for sharing its name, nor sorted apart."""
    import numpy as np
    from test_documents import build

    from studyassist.quiz.definitions import _alike
    from studyassist.quiz.kinds import Kinds
    from studyassist.quiz.types import Draft

    assert not _alike("terraform plan", "terraform apply") and _alike("terraform plan", "terraform plan -destroy")
    kb = build(COMMANDS, "terraform.md")[0]
    definitions = Definitions(kb, set(), None)
    definitions._vector = lambda rule: (np.ones(3, dtype=np.float32), np.full(3, 0.1, dtype=np.float32))
    terms = {r.choice: r for r in definitions.pool}
    assert set(terms) >= {"terraform init", "terraform plan", "terraform import <address> <id>", "terraform output"}
    draft = definitions.draft(terms["terraform plan"], "hard", None)
    assert draft.stem.startswith("In “Command Reference”, which command does the review describe this way: “"), \
        draft.stem
    item = definitions.item(Draft(draft.rule, "hard", None, draft.key, draft.stem, None), 1)
    assert item is not None and item.options[1] == "terraform plan", item
    assert "terraform plan -destroy" not in item.options and len(set(item.options)) == 4
    lists = {kb.rule(r).id.rsplit("#", 1)[0] for r in item.option_rules}
    assert len(lists) >= 2, lists  # options from the other headings' lists
    # one table of a tool's commands, one of which another table chooses as well: still of one kind
    tables = ("# Tool notes\n\n## Flags\n| Task | Command |\n|---|---|\n| Preview changes | terraform plan |\n"
              "| Save a plan | terraform plan -out=tfplan |\n\n## Quick reference\n| Goal | Command |\n|---|---|\n"
              "| Preview the changes | terraform plan |\n| Delete everything | terraform destroy |\n"
              "| Show outputs | terraform output |\n| Pass a secret | -var-file=secure.tfvars |\n")
    kb = build(tables, "terraform.md")[0]
    rows = {(r.table, r.choice): r for r in kb.table_rules}
    quick = {c: r for (t, c), r in rows.items() if t == "quick-reference"}
    assert not Kinds(kb).sorted_apart(quick["terraform plan"], quick["terraform destroy"].id)
    # a flag is no option among the tool's commands (a blind reviewer: "two flags joined by 'or', not a command")
    assert Kinds(kb).sorted_apart(quick["terraform plan"], quick["-var-file=secure.tfvars"].id)


def test_a_sibling_row_the_stem_says_nothing_of_is_no_second_key():
    """A 4-row table of feature toggles: whatever toggle a stem describes, another toggle's row comes second in the
    search ("toggle", "Lifetime"), and offering none of the rows the stem retrieves left two options, no item (a
    learner's trial of AZ-400 notes). A row of the key's own table is a second key only when the stem says a word of
    it that the key's row does not; another table's row always."""
    from types import SimpleNamespace

    from test_documents import build

    from studyassist.quiz.verify import KeyVerifier

    kb = build("# Flags\n\n## Toggles\n\n| Type | Lifetime | Example |\n|---|---|---|\n"
               "| Release toggle | Short-term | Hide an incomplete feature until release |\n"
               "| Ops toggle | Long-term | Circuit breaker, kill switch |\n"
               "| Permission toggle | Permanent | Premium feature for paid users |\n\n## Other\n\n"
               "| Need | Tool |\n|---|---|\n| Release notes | Wiki |\n| Kill a process | Task manager |\n",
               "az400.md")[0]
    rows = {r.choice: r for r in kb.table_rules}
    verifier = SimpleNamespace(top_rules=lambda stem, n=2: [rows["Release toggle"], rows["Ops toggle"]][:n],
                               served=set())
    pointed = KeyVerifier.pointed_to.__get__(verifier)
    stem = "Example: hide an incomplete feature until release; Lifetime: short-term. Which type is it?"
    assert pointed(stem, rows["Release toggle"]) == []
    assert pointed("Example: a kill switch for a feature that hides until release", rows["Release toggle"]) == [
        rows["Ops toggle"]]  # ("kill", "switch": the Ops toggle's words)
    verifier.top_rules = lambda stem, n=2: [rows["Release toggle"], rows["Wiki"]][:n]
    assert pointed(stem, rows["Release toggle"]) == [rows["Wiki"]]  # another table's row
