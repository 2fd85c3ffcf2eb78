"""From a seventh learner's trial (stop 62), on a cloud architect exam's tips sheet no pack serves: decision trees
written as nested bullets ("**Containerized?**" over "Web app? -> **Cloud Run** (Serverless, easiest)") had folded
into their question, a case study's "*Solution:*" and a scenario's "*Answer:*" had become rules named "Solution" and
"Answer", '"Global" + "Relational" = **Spanner**' lines were no rules, a "what to study" table was read as a decision
table and a list of links to study guides answered questions; "Cloud Run" was no name of "Cloud Run (Serverless,
easiest)", so "when should I use Cloud Run instead of GKE?" found neither."""
from __future__ import annotations

import pytest

from ingest.build import BuildReport, Document, build_knowledge

TIPS = """# Platform architect tips

## 1. What to know

| Category | Services | What to study |
| :--- | :--- | :--- |
| **Compute** | Virtual Machines, AKS, Container Apps, Functions | VM vs. container vs. serverless trade-offs. |
| **Data** | SQL Database, Cosmos DB, Synapse | Relational vs. NoSQL, regional vs. global. |
| **Network** | VNet, Front Door, ExpressRoute, VPN Gateway | Hybrid links and global vs. regional routing. |

## 2. Decision trees

### Compute
*   **Full control of the OS?** -> **Virtual Machines** (Most flexible, most work).
*   **Containerized?**
    *   Simple web API / microservices? -> **Container Apps** (Serverless, easiest).
    *   Complex orchestration / custom operators? -> **AKS** (Kubernetes standard).
*   **Code triggered by an event (e.g., a queue message)?** -> **Functions** (Small pieces of code).
*   **Web app without containers?** -> **App Service** (Basic for small sites, Premium for scale-out).

### Data
*   **Relational?**
    *   **One region** and under 4 TB? -> **SQL Database**.
    *   **Many regions** writing at once? -> **Cosmos DB for PostgreSQL** (Costs more).

## 3. Case studies
*   **Fabrikam Retail (Online Shop)**: Needs global reach and low latency.
    *   *Solution:* Front Door, Container Apps, Cosmos DB with multi-region writes.
*   **Contoso Mining (Sensors)**: Needs huge ingestion from field devices.
    *   *Solution:* IoT Hub -> Event Hubs -> Stream Analytics -> Data Explorer.

## 4. Policies
Unlike RBAC (which says WHO can act), Azure Policy checks WHAT is being deployed.

*   **Common scenarios**:
    *   *Scenario:* "Stop anyone creating public IP addresses in the sandbox."
        *   *Answer:* Assign the built-in policy that denies public IPs to the sandbox management group.
    *   *Scenario:* "Keep every resource in West Europe."
        *   *Answer:* Assign the allowed locations policy.

## 5. Identity
*   **The right pattern (outside Azure)**: Use **workload identity federation**.
    *   *Scenario:* A GitHub Actions workflow must deploy to a subscription.
    *   *Why:* No secret to leak or rotate.
*   **Key words**:
    *   "Global" + "Relational" + "Many writers" = **Cosmos DB for PostgreSQL**.
    *   "Cost" + "Interruptible batch" = **Spot VMs**.

## 6. Common Distractors & Anti-Patterns
These are almost **always wrong** answers:

*   **"Use the temporary disk for persistent storage"**: The temporary disk is wiped when the VM is deallocated. Never keep data there that you cannot lose.

## 7. Detailed Study Guides
*   **Virtual Machines**: [vm_study_plan.md](./vm_study_plan.md) - A deep dive into sizes and scale sets.
*   **Container Apps**: [aca_guide.md](./aca_guide.md) - Revisions, scaling rules and exam strategy.
"""


@pytest.fixture(scope="module")
def kb():
    return build_knowledge([Document("tips.md", TIPS)], report=BuildReport())


def _rules(kb):
    return {(r.choice, r.situation) for r in kb.rules}


def test_a_decision_tree_of_nested_bullets_gives_each_answer_its_question(kb):
    got = _rules(kb)
    assert ("Container Apps (Serverless, easiest)", "Containerized? Simple web API / microservices?") in got
    assert ("AKS (Kubernetes standard)", "Containerized? Complex orchestration / custom operators?") in got
    assert ("SQL Database", "Relational? One region and under 4 TB?") in got
    # a choice with a note in brackets is still a choice (its words outside the brackets are few)
    assert ("Functions (Small pieces of code)", "Code triggered by an event (e.g., a queue message)?") in got
    assert not [r for r in kb.rules if r.choice in ("Containerized?", "Relational?")]


def test_labelled_nested_items_answer_say_where_or_note_the_item_they_hang_under(kb):
    got = _rules(kb)
    # a solution answers its case study, an answer its scenario
    assert ("Front Door, Container Apps, Cosmos DB with multi-region writes",
            "Fabrikam Retail (Online Shop): Needs global reach and low latency") in got
    assert ("Assign the allowed locations policy", '"Keep every resource in West Europe."') in got
    # a scenario under a pattern is where that pattern is the choice; a reason is a note on it
    assert ("Use workload identity federation", "A GitHub Actions workflow must deploy to a subscription") in got
    assert not [r for r in kb.rules if r.choice in ("Solution", "Answer", "Scenario", "Why")]


def test_clue_words_added_up_to_a_choice_are_a_rule(kb):
    got = _rules(kb)
    assert ("Cosmos DB for PostgreSQL", "Global + Relational + Many writers") in got
    assert ("Spot VMs", "Cost + Interruptible batch") in got


def test_a_table_of_what_to_study_and_a_list_of_study_guides_are_no_rules(kb):
    assert not [r for r in kb.rules if r.kind == "table_row"]
    assert not [r for r in kb.rules if "study_plan" in r.situation or "aca_guide" in r.situation]


def test_a_choice_with_a_note_in_brackets_goes_by_its_name_alone(kb):
    from studyassist.text import ConceptMatcher

    found = ConceptMatcher([(c.id, a) for c in kb.concepts for a in c.aliases]).find(
        "When should I use Container Apps instead of AKS?")
    assert {kb.concept(c).label for c in found} == {"Container Apps (Serverless, easiest)", "AKS (Kubernetes standard)"}


@pytest.fixture(scope="module")
def assistant(tmp_path_factory):
    from conftest import assistant_without_pack

    return assistant_without_pack(tmp_path_factory.mktemp("tips"), {"tips.md": TIPS})


@pytest.mark.slow
def test_when_to_use_one_instead_of_another_answers_with_the_first(assistant):
    answer = assistant.ask("When should I use Container Apps instead of AKS?")
    assert answer.decision and answer.decision.startswith("Container Apps")


@pytest.mark.slow
@pytest.mark.parametrize("question", [
    "Can I use the temporary disk to keep data that must survive a deallocation?",
    "Is the temporary disk a good choice for data we cannot lose?",
])
def test_asking_whether_a_listed_mistake_will_do_is_told_it_is_one(assistant, question):
    """The trial's "can I use local SSD to store data that must survive a VM stop?" had been answered with
    "Nearline / Coldline": a yes/no question about a practice is a verdict, and the review's mistake decides it."""
    answer = assistant.ask(question)
    assert "as a common mistake" in answer.answer and "temporary disk" in answer.decision.lower()


def test_a_name_read_with_its_brackets_kinds():
    from studyassist.text import bracket_readings

    assert bracket_readings(["App Service (Basic for small sites, Premium for scale-out)."]) == {
        "App Service Basic for", "App Service Premium for"}
    assert bracket_readings(["A/B testing (canary-like) and Azure Load Balancer (layer 4)"]) == set()  # no kinds


@pytest.mark.slow
def test_a_kind_the_notes_give_in_a_bracket_after_a_name_is_no_unknown_name(assistant):
    """The trial's "App Engine Standard versus Flexible?" was refused as never mentioned: the notes write "App Engine
    (Standard for scale to zero, Flexible for custom runtimes)", never "App Engine Flexible" in a row."""
    assert assistant.retriever.knows("app service premium")
    answer = assistant.ask("When should I use App Service Basic versus App Service Premium?")
    assert "App Service" in (answer.decision or "") and "does not mention" not in answer.answer


@pytest.mark.slow
def test_a_difference_the_notes_state_in_one_sentence_is_quoted(assistant):
    """The trial's "difference between IAM and Organization Policies?" had got the Organization node's definition,
    "likely": the notes contrast the two only in a sentence ("Unlike IAM (which says WHO …), Org Policies check WHAT
    …")."""
    answer = assistant.ask("What is the difference between RBAC and Azure Policy?")
    assert "sets them apart" in answer.answer and "Unlike RBAC" in answer.answer
