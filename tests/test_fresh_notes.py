"""From a blind review of 30 quiz items on three review documents no one working on the engine had seen (AZ-305,
AWS Security Specialty, ITIL 4: dev8, 13/30 valid) and the first solve figures on them: a row that an exam names by
its table's subject or kind ("AWS Shield Advanced", "Rate-based rule"), choices that notes sort apart within one table,
and a stem whose words only the key says."""
from __future__ import annotations

import pytest

from ingest.build import BuildReport, Document, build_knowledge
from ingest.concepts import qualified_names
from studyassist.quiz.definitions import gives_away
from studyassist.quiz.kinds import Kinds

NOTES = """# Edge security notes

## Edge services

| Service | Purpose |
|---|---|
| **CloudFront** | Content delivery from edge locations |
| **AWS WAF** | Filters web requests with rules |
| **AWS Shield** | Protection from DDoS attacks |
| **Route 53** | Name resolution and health-checked routing |

## AWS Shield

| Tier | Features |
|---|---|
| **Standard** | Included at no cost; network and transport layer protection |
| **Advanced** | Response team on call, application layer protection, credits for scaling charges caused by an attack |

## WAF Rule Types

| Type | Use Case |
|---|---|
| **Rate-based** | Throttle a client that sends too many requests, such as password guessing |
| **IP Match** | Allow or block listed addresses |
| **Geo Match** | Filter requests by country of origin |
| **Regex Pattern** | Match custom patterns in request strings |

## Service roles

| Role | Definition |
|---|---|
| **Customer** | Decides what the service must deliver and owns the outcomes |
| **User** | Works with the service every day |
| **Sponsor** | Approves the money that pays for the service |

## Practices

| Practice | Purpose |
|---|---|
| **Incident Management** | Restore normal service operation as quickly as possible |
| **Problem Management** | Reduce the likelihood and impact of incidents by managing their causes |
| **Change Enablement** | Assess and authorise changes to services |

### Incident management does not find causes

Incident management restores service. Finding why it keeps failing is **problem management**.

## Network decisions

| Requirement | Service |
|---|---|
| Central firewall with FQDN rules for outbound traffic | Azure Firewall |
| Layer 7 load balancing with path-based routing | Application Gateway |
| Spread users across regions by DNS answers | Traffic Manager |
| Encrypted tunnel between an office and a virtual network over the internet | VPN Gateway |
| Reach a PaaS service over a private IP in your own network | Private Endpoint |
| Global HTTP entry point with edge caching and acceleration | Front Door |
"""


@pytest.mark.parametrize("title, header, choice, names", [
    ("AWS Shield ⭐", "Tier", "Advanced", ["Advanced tier", "AWS Shield Advanced"]),
    ("WAF Rule Types", "Type", "Rate-based", ["Rate-based rule"]),
    # a longer choice is a name of its own; a number is no row's name
    ("CloudFront Security", "Feature", "Field-Level Encryption", []),
    ("Key numbers", "Value", "600", []),
])
def test_a_row_is_also_named_by_its_tables_subject_or_kind(title, header, choice, names):
    assert qualified_names(title, header, choice) == names


@pytest.mark.parametrize("stem, key, others, away", [
    ("Requirement: central firewall with FQDN rules. Which service fits best?", "Azure Firewall",
     ["Azure Load Balancer", "Traffic Manager", "Azure Front Door"], True),
    ("Use Case: block or allow specific IPs. Which type is it?", "IP Match", ["SQL Injection", "XSS", "Geo Match"],
     True),
    ("Use Case: block or allow specific IPs. Which type is it?", "IP Match", ["IP Set", "XSS", "Geo Match"], False),
    ("Use Case: cross-site scripting protection. Which type is it?", "XSS", ["IP Match", "Bot Control", "Geo Match"],
     True),
    ("Link-state routing that runs Shortest Path First (SPF). Which protocol is it?", "OSPF", ["RIP", "EIGRP", "BGP"],
     True),
    ("Need: identity management; Why: users and roles. Which service fits best?", "IAM", ["WAF", "Shield", "KMS"], True),
    ("Need: record every API call for audits. Which service fits best?", "IAM", ["WAF", "Shield", "KMS"], False),
    ("Requirement: private connection that avoids the public internet. Which service fits best?", "ExpressRoute",
     ["VPN Gateway", "Azure Bastion", "NSG"], False),
    # a fifth blind review (CISSP, PMP, GCP notes): a word inside the key's compound, beside options that only share
    # the key's prefix; a word all but one letter of the key's root
    ("Which term is described as “a CPU running several threads of one process at once”?", "Multithreading",
     ["Multiprocessing", "Multitasking", "Multiprogramming"], True),
    ("Which term is described as “serve the team by removing what blocks it”?", "Servant Leadership",
     ["Coaching", "Continuous Learning", "Mentoring"], True),
    ("Which term is described as “scale down when the load is low”?", "Auto-scaling",
     ["Egress Optimization", "Right-size VMs", "Committed use discounts"], True),
    ("Which term is described as “scale down when the load is low”?", "Auto-scaling",
     ["Manual scaling", "Right-size VMs", "Committed use discounts"], False),
])
def test_a_stem_word_only_the_key_says_gives_it_away(stem, key, others, away):
    assert gives_away(stem, key, others) is away


@pytest.fixture(scope="module")
def kb():
    return build_knowledge([Document("edge.md", NOTES)], report=BuildReport())


def test_the_qualified_names_are_aliases_of_the_rows_concept(kb):
    def aliases(choice):
        rule = next(r for r in kb.table_rules if r.choice == choice)
        return {a for c in rule.choice_concepts for a in kb.concept(c).aliases}

    assert {"AWS Shield Advanced", "Advanced tier"} <= aliases("Advanced")
    assert "Rate-based rule" in aliases("Rate-based")
    assert not any(a.startswith("Network decisions") for a in aliases("Azure Firewall"))


@pytest.mark.parametrize("situation, short", [
    ("restrict access", True), ("SAST scanning", True), ("CDN, edge caching", False), ("Pass, Drop, Alert", False),
])
def test_a_cell_of_two_words_is_too_short_to_ask_by(situation, short):
    from studyassist.quiz.scenarios import too_short

    assert too_short(situation) is short


CHARTS = """# Reports

## Visualization Types
| Visual | Use Case |
|---|---|
| Line | Trends |
| Scatter | Correlation |
| Pie | Proportions |
| Map | Geographic |

## CloudFront Security
| Feature | Purpose |
|---|---|
| Origin Access Control | Secure S3 access |
| Signed URLs | Restrict access |
| HTTPS Enforcement | Viewer policies |
| Security Headers | Browser hardening |
"""


def test_a_short_use_no_other_row_shares_a_word_with_is_told_apart_by_its_table():
    # a learner's analytics notes (stop 60) got no quiz at all: every row of "Visual | Use Case" says one or two words
    from studyassist.quiz.scenarios import told_apart

    kb = build_knowledge([Document("charts.md", CHARTS)], report=BuildReport())
    apart = {r.choice: told_apart(kb.table(r.table).columns[kb.table(r.table).situation_column], r,
                                  kb.rules_of(r.table)) for r in kb.table_rules}
    assert apart["Line"] and apart["Scatter"] and apart["Map"]
    assert not apart["Signed URLs"]  # "access" is said of Origin Access Control too
    assert not apart["Security Headers"]  # a purpose of two words is a property several rows may have


def test_a_term_whose_name_goes_on_after_the_blank_is_not_asked():
    """A fourth blind review (Network+ notes): "___ Policy. Defines how …" among contracts and safety sheets leaves one
    policy among the options."""
    import random

    from test_quiz_notes import list_terms

    notes = ("# Security\n\n## Contracts\n- **NDA**: a contract that keeps shared information confidential\n"
             "- **MSDS**: a sheet that lists the hazards of a chemical product\n"
             "- **DLP**: Data Loss Prevention Policy. Defines how organizations can share and protect data\n"
             "- **MOU**: an agreement of intent between two parties, short of a contract\n"
             "- **SLA**: the service levels a provider commits to deliver\n")
    terms = list_terms("netplus.md", notes)
    stems = {r.choice: terms.draft(r, "easy", random.Random(1)).stem for r in terms.pool}
    assert stems["DLP"] == "" and stems["NDA"], stems


def test_a_frames_stem_names_the_thing_whose_table_it_asks_about(kb):
    from studyassist.quiz.scenarios import StemMaterial

    headings = {t.title: StemMaterial().heading(t, served=False) for t in kb.tables}
    assert headings == {"Edge services": "Purpose", "AWS Shield": "AWS Shield — Features", "WAF Rule Types": "Use Case",
                        "Service roles": "Definition", "Practices": "Purpose", "Network decisions": "Requirement"}, headings
    assert StemMaterial().heading(kb.table("aws-shield"), served=True) == "Features"  # a pack's frames say it


def test_notes_sort_apart_a_choice_they_name_in_other_tables_from_one_they_do_not():
    from test_cells import PROTOCOLS

    kb = build_knowledge([Document("ccna.md", PROTOCOLS)], report=BuildReport())
    ports = {r.choice: r for r in kb.table_rules if r.table == "ports"}
    kinds = Kinds(kb)
    assert kinds.sorted_apart(ports["BGP"], ports["DNS"].id)  # BGP is in the algorithms table as well, DNS is not
    assert not kinds.sorted_apart(ports["DNS"], ports["DHCP"].id)
    algorithms = next(r for r in kb.table_rules if r.table == "algorithms")
    assert kinds.sorted_apart(ports["DNS"], algorithms.id)  # another table's choice
    assert not Kinds(kb, served={"ccna.md"}).sorted_apart(ports["BGP"], ports["DNS"].id)  # a pack says what is alike


@pytest.fixture(scope="module")
def notes_assistant(tmp_path_factory):
    from conftest import assistant_without_pack

    return assistant_without_pack(tmp_path_factory.mktemp("fresh"), {"edge.md": NOTES})


@pytest.mark.slow
@pytest.mark.parametrize("options", [
    ["AWS Shield Standard", "AWS WAF", "Route 53", "AWS Shield Advanced"],
    ["AWS Shield Advanced", "AWS WAF", "Route 53", "AWS Shield Standard"],
])
def test_an_option_naming_a_row_by_its_tables_subject_is_that_row(notes_assistant, options):
    """Both options fit the "AWS Shield" row of the services table alike (the first of them had been picked, as a
    tie); the tier whose own row fits the stem is the answer, wherever it stands."""
    from studyassist.solve.mcq import PastedQuestion

    stem = ("A company fears large DDoS attacks on its public applications. It wants round-the-clock help from a "
            "response team during an attack and protection against the charges of scaling under attack traffic. "
            "What should it subscribe to?")
    solution = notes_assistant.solver.solve(PastedQuestion(stem, tuple(options)))
    assert options["ABCD".index(solution.best)] == "AWS Shield Advanced", solution


def test_a_question_about_one_of_the_people_in_its_scene_is_read_by_what_the_scene_says_of_them():
    from studyassist.text import asked_after

    stem = ("At a hotel group, front-desk staff work with the booking service every day, the operations director "
            "decides what it must deliver, and the finance director approves the money that pays for it. Which role "
            "does the finance director hold?")
    assert asked_after(stem) == "approves the money that pays for it Which role does hold?"
    assert asked_after("A team deploys a model every week. Which service should it use?") is None


@pytest.mark.slow
def test_the_role_of_the_one_the_question_asks_after_is_the_answer(notes_assistant):
    from studyassist.solve.mcq import PastedQuestion

    stem = ("At a hotel group, front-desk staff work with the booking service every day, the operations director "
            "decides what it must deliver, and the finance director approves the money that pays for it. Which role "
            "does the finance director hold?")
    solution = notes_assistant.solver.solve(PastedQuestion(stem, ("Customer", "User", "Sponsor", "Supplier")))
    assert solution.best == "C", solution
    assert notes_assistant.ask(stem).decision == "Sponsor"  # asked freely: not "not covered" for its scene's words


def test_a_passage_chooses_what_its_author_set_in_bold(kb):
    """A new learner's trial (ITIL notes): a passage naming incident and problem management alike ("Root cause
    investigation is **problem management**") had supported both, and `solve` picked incident management (dev8 item
    itil4-03, right since)."""
    passage = next(r for r in kb.rules if r.kind == "passage" and "keeps failing" in r.choice)
    assert passage.stressed == ("problem management",)
    assert [kb.concept(c).label for c in passage.choice_concepts] == ["Problem Management"]
    assert "incident-management" in passage.concepts  # (named, not chosen)


@pytest.mark.slow
def test_no_item_on_notes_gives_its_key_away_by_a_word_only_the_key_says(notes_assistant):
    quiz = notes_assistant.quiz
    items = [i for seed in (1, 2, 3) for i in quiz.generate(6, seed=seed)]
    tables = [i for i in items if "Which service fits best?" in i.stem or "Requirement:" in i.stem]
    assert tables, items  # the network decisions still give items
    for item in items:
        key = item.options[item.answer]
        assert not gives_away(item.stem, key, [o for o in item.options if o != key]), item
    assert "Azure Firewall" not in {i.options[i.answer] for i in items}  # "central firewall" says its name


@pytest.mark.slow
def test_a_paragraph_that_stresses_one_practice_is_no_rule_for_the_other_it_names(notes_assistant):
    """A learner trial: the paragraph under "Incident management does not find causes" was quoted for both practices
    (the heading and the first sentence name incident management), and the two were called a tie."""
    from studyassist.solve.mcq import PastedQuestion

    options = ("Incident Management", "Problem Management", "Change Enablement", "Service roles")
    stem = ("The billing system has failed three times this week; each time the service desk restarted it. Which "
            "practice should find out why it keeps failing?")
    scored = notes_assistant.solver.score(PastedQuestion(stem, options))
    passage = next(r.id for r in notes_assistant.kb.rules if r.kind == "passage" and r.stressed)
    cited = [f.facet.rule_id if f.facet else None for f in scored.fits]
    assert cited[1] == passage and cited[0] != passage, cited
    assert max(range(4), key=lambda i: scored.fits[i].score) == 1, scored.fits


def test_a_comparison_or_a_list_of_factors_is_no_term():
    from test_quiz_notes import list_terms

    notes = ("# Leading\n\n## Ways of leading\n- **Servant Leadership**: serve the team by removing obstacles\n"
             "- **Coaching**: help people find their own answers through questions\n"
             "- **Mentoring**: share experience to grow someone else\n"
             "- **Leadership vs. Management**: one is about influence, the other about control\n"
             "- **Tailoring Factors**: requirements certainty, technology risk and regulation\n"
             "- **Facilitation**: guide a group meeting to a decision everyone owns\n")
    assert {r.choice for r in list_terms("pmp.md", notes).pool} == {
        "Servant Leadership", "Coaching", "Mentoring", "Facilitation"}


@pytest.mark.slow
def test_names_that_share_the_keys_last_word_are_its_options_or_there_is_no_item():
    """"Kernel mode" and "User mode" beside "Closed systems" and "Ring Model": a blind reviewer ruled the two out by
    their kind; with two modes only, no item."""
    import random

    from studyassist.embedding.local import get_embeddings
    from studyassist.quiz.definitions import Definitions

    notes = ("# Architecture\n\n## Secure design\n- **Kernel mode (Supervisor mode)**: code with direct access to "
             "the hardware and every instruction\n- **User mode (Problem mode)**: code without direct hardware access, "
             "going through an API\n- **Closed systems**: built on proprietary standards that other vendors cannot "
             "read\n- **Ring Model**: layers of privilege with the kernel at the centre\n- **Open systems**: built on "
             "published standards so parts of many vendors work together\n")
    terms = Definitions(build_knowledge([Document("cissp.md", notes)], report=BuildReport()), set(), get_embeddings())
    drafts = {r.choice.split(" (")[0]: terms.draft(r, "easy", random.Random(1)) for r in terms.pool}
    assert terms.item(drafts["User mode"], 0) is None and terms.item(drafts["Closed systems"], 0) is None
    ring = terms.item(drafts["Ring Model"], 0)  # a name of no family: any three of the list
    assert ring is not None and len(ring.options) == 4, ring


def test_a_term_two_lists_define_alike_is_asked_once():
    """A sixth blind review got "Fitness for use + conformance to requirements" → Quality twice in one quiz: a
    chapter's summary and the day-before review both list it."""
    from test_quiz_notes import list_terms

    terms = ("- **Quality**: Fitness for use + conformance to requirements\n"
             "- **Critical Path**: the longest chain of dependent activities\n"
             "- **Change Control**: how requested changes are assessed and approved\n"
             "- **Risk Register**: where identified risks and their owners are recorded\n")
    notes = f"# Project notes\n\n## Chapter 5 summary\n{terms}\n## Day before the exam\n{terms}"
    pool = list_terms("pmp.md", notes).pool
    assert sorted(r.choice for r in pool) == ["Change Control", "Critical Path", "Quality", "Risk Register"], pool
