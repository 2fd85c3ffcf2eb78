"""A table of attributes looked up by the row a stem names (CCNA notes, dev7): "Which algorithm does EIGRP use?" is
the option its row holds, however the option words it."""
from __future__ import annotations

import pytest

from ingest.build import BuildReport, Document, build_knowledge
from studyassist.solve.cells import RowCells, words

PROTOCOLS = """# Routing notes

## Algorithms

| Protocol | Algorithm | Description |
|---|---|---|
| **RIP v2** | **Bellman-Ford (Distance Vector)** | Uses hop count as metric; max 15 hops |
| **EIGRP** | **DUAL (Diffusing Update Algorithm)** | Hybrid; uses bandwidth and delay as metric |
| **OSPF** | **Dijkstra's SPF (Shortest Path First)** | Link-state algorithm that calculates the best path by cost |
| **BGP** | **Path Vector Algorithm** | Uses path attributes to select the best path between ASes |

## Ports

| Protocol | Port Number (UDP/TCP) | Used For |
|---|---|---|
| **RIP v1/v2** | UDP **520** | Routing updates |
| **BGP** | TCP **179** | Routing between ASes (eBGP/iBGP) |
| **DNS** | UDP/TCP **53** | Name resolution |
| **DHCP** | UDP **67/68** | Dynamic IP assignment |

## Distances

| Route Source | AD Value | Description |
|---|---|---|
| **EIGRP (internal)** | **90** | Within same AS |
| **OSPF** | **110** | Link-State routing |
| **EIGRP (external)** | **170** | Learned from another AS |
"""


@pytest.fixture(scope="module")
def cells():
    return RowCells(build_knowledge([Document("ccna.md", PROTOCOLS)], report=BuildReport()))


@pytest.mark.parametrize("stem, options, picked", [
    ("Which algorithm does EIGRP use to compute loop-free paths?",
     ["Bellman-Ford", "Dijkstra shortest path first", "Path vector selection", "Diffusing Update Algorithm (DUAL)"], 3),
    # "eBGP" names the BGP row; "UDP 179" shares only a word with its cell
    ("Two routers must form an eBGP peering through a firewall. Which port must it allow?",
     ["TCP 179", "UDP 520", "UDP 179", "TCP 89"], 0),
])
def test_the_named_rows_cell_is_the_answer(cells, stem, options, picked):
    found = cells.pick(stem, options)
    assert found is not None and found[0] == picked


@pytest.mark.parametrize("stem, options", [
    # two rows go by the name the stem says ("EIGRP (internal)", "EIGRP (external)"): no one row to read
    ("What administrative distance does EIGRP get?", ["90", "110", "170", "20"]),
    # the stem names no row
    ("Which port does a name server listen on?", ["UDP 53", "UDP 520", "TCP 179", "UDP 67/68"]),
    # the options are not the table's values (names of rows are not its cells)
    ("Which protocol should replace EIGRP on a multi-vendor network?", ["OSPF", "RIP v2", "BGP", "IS-IS"]),
    # the qualifier in a row's bracket is no name of it ("internal")
    ("Which value marks an internal route as unusable?", ["90", "110", "170", "255"]),
])
def test_no_lookup_without_one_named_row_and_options_the_table_holds(cells, stem, options):
    assert cells.pick(stem, options) is None


def test_words_keep_numbers_and_drop_small_words():
    assert words("From an EIGRP peer, TCP 179") == {"eigrp", "peer", "tcp", "179"}
    assert words("10.0.1.5 or v1/v2") == {"10.0.1.5", "v1/v2"}
    assert words("`@~` beside `@%table`") == {"@~", "beside", "@%", "table"}  # (a stage reference is symbols)


def test_an_option_spelling_out_an_acronym_choice_is_read_with_it():
    """SC-300 notes (dev7) say "PHS" where the exam's option says "Password hash synchronization"."""
    from studyassist.knowledge.facets import build_facets
    from studyassist.solve.naming import NamedInside

    notes = ("# SC-300 notes\n\n## Entra Connect\n\n- **PHS:**\n"
             "    - Is needed for leaked-credential detection because only it keeps password hashes in the cloud\n"
             "    - Runs every two minutes and is switched on by the express settings of the sync tool\n- **PTA:**\n"
             "    - Checks each password against the on-premises domain controllers through an installed agent\n")
    inside = NamedInside(build_facets(build_knowledge([Document("sc300.md", notes)], report=BuildReport())))
    assert inside.read("Password hash synchronization") == "Password hash synchronization (PHS)"
    assert inside.read("Pass-through authentication") == "Pass-through authentication (PTA)"
    assert inside.read("Federation with AD FS") == "Federation with AD FS"
    assert inside.read("PHS with seamless SSO") == "PHS with seamless SSO"  # (it says the acronym already)


@pytest.mark.parametrize("question, value", [
    ("Two routers peer over eBGP through a firewall. Which port must it allow?", "TCP 179"),
    ("What is the port number BGP listens on?", "TCP 179"),
    # it asks for the row's choice, though its words name another column ("used for" routing)
    ("Which protocol is used for routing between ASes?", None),
    ("How does BGP pick a path?", None),  # no "which"/"what" names a column
])
def test_a_question_asking_for_a_column_is_decided_by_that_cell(question, value):
    from studyassist.answer.cells import asked_value
    from studyassist.answer.types import Claim

    kb = build_knowledge([Document("ccna.md", PROTOCOLS)], report=BuildReport())
    row = next(r for r in kb.rules if r.table and r.choice.strip("*") == "BGP" and "Port" in r.text)
    assert asked_value(kb, [Claim(text="**BGP**", label="BGP", rule_ids=[row.id])], question) == value


@pytest.mark.parametrize("question, row", [
    # the row the question names whose column it asks for: found in the one table that has both
    ("Which algorithm does EIGRP use to compute loop-free best paths and backup routes?", "EIGRP"),
    ("Two edge routers form an eBGP peering through a firewall. Which port must the firewall allow?", "BGP"),
    ("What administrative distance value does OSPF get?", "OSPF"),
    # two rows go by the name it says ("EIGRP (internal)", "EIGRP (external)"), none of the others has the column
    ("What AD value does EIGRP get?", None),
    ("Which protocol uses the path vector algorithm?", None),  # it names no row: it asks for one
    ("How does OSPF pick its best path?", None),  # no "which"/"what" asks for a column
])
def test_a_free_question_naming_a_row_and_asking_for_its_column_finds_that_row(question, row):
    from studyassist.answer.cells import asked_of_named
    from studyassist.knowledge.attributes import AttributeTables

    kb = build_knowledge([Document("ccna.md", PROTOCOLS)], report=BuildReport())
    found = asked_of_named(kb, AttributeTables(kb), question)
    assert (found and found.choice.strip("*")) == row


def test_a_thing_described_table_after_table_is_no_generic_concept():
    """CCNA notes (dev7) give each protocol a row of its ports, algorithms, timers, … tables: "OSPF" is mentioned
    by more rules than a generic concept is (one that names no particular row), yet names one row of each table."""
    from studyassist.answer.resolve import generic_concepts
    from studyassist.knowledge.model import GENERIC_MENTIONS

    tables = "".join(f"## Facts {t}\n\n| Protocol | Description |\n|---|---|\n" + "".join(
        f"| **{p}** | Keeps the routes of area {t} in step across the whole network |\n"
        for p in ("OSPF", "EIGRP", "BGP", "RIP")) + "\n" for t in range(1, GENERIC_MENTIONS + 2))
    kb = build_knowledge([Document("ccna.md", f"# Routing notes\n\n{tables}")], report=BuildReport())
    assert len(kb.concept("ospf").mentioned_in) > GENERIC_MENTIONS
    assert not generic_concepts(kb) & {"ospf", "eigrp", "bgp", "rip"}


TIMERS = """# Routing timers

## Timers

| Protocol | Hello | Dead/Hold | Other Timers |
|---|---|---|---|
| **OSPF** | 10 sec (broadcast) | 40 sec | LSA refresh every 30 min and an SPF delay of 5 sec |
| **EIGRP** | 5 sec (LAN) | 15 sec (LAN) | SRTT and RTO kept per neighbour for reliable delivery |
| **RIP v2** | — | 180 sec | Updates every 30 sec |

## Roles

| Role | Manage Resources | Assign Roles |
|---|---|---|
| **Owner** | ✅ | ✅ |
| **Contributor** | ✅ | ❌ |
| **User Access Administrator** | ❌ | ✅ |
"""


def test_a_question_asking_for_two_columns_of_a_row_is_told_both_and_a_mark_is_no_decision():
    from studyassist.answer.cells import asked_cell, asked_value
    from studyassist.answer.types import Claim

    kb = build_knowledge([Document("timers.md", TIMERS)], report=BuildReport())
    ospf = next(r for r in kb.rules if r.choice.strip("*") == "OSPF")
    claim = Claim(text="**OSPF**", label="OSPF", rule_ids=[ospf.id])
    # the scene's "default timers" names no column: what the asking sentence names does
    question = "Two routers run OSPF with default timers. What hello and dead intervals will they use?"
    said = asked_cell(kb, [claim], question)[0].text
    assert "Hello: 10 sec (broadcast)" in said and "Dead/Hold: 40 sec" in said and "LSA" not in said
    assert asked_value(kb, [claim], question) is None  # two cells: no one value decides
    contributor = next(r for r in kb.rules if r.choice.strip("*") == "Contributor")
    claim = Claim(text="**Contributor**", label="Contributor", rule_ids=[contributor.id])
    assert asked_value(kb, [claim], "Which built-in role should you assign?") is None  # not "❌"


@pytest.mark.slow
def test_a_quiz_still_offers_the_things_every_table_describes_as_distractors(tmp_path):
    """The CCNA notes' protocols name a row of each table, so `ask` looks for them (above); a quiz's checks still
    take them for names every row says (its four "which protocol does this describe?" items per seed had gone)."""
    from studyassist.answer.resolve import generic_concepts, named_everywhere

    from conftest import assistant_without_pack

    described = {"OSPF": "link-state flooding of area maps", "EIGRP": "diffusing updates with feasible successors",
                 "BGP": "path attributes between autonomous systems", "RIP": "hop counts broadcast every half minute"}
    tables = "".join(f"## Facts {t}\n\n| Protocol | What it does in setting {t} |\n|---|---|\n" + "".join(
        f"| **{p}** | Uses {d} in lab {t} |\n" for p, d in described.items()) + "\n" for t in range(1, 15))
    assistant = assistant_without_pack(tmp_path, {"ccna.md": f"# Routing notes\n\n{tables}"})
    protocols = {"ospf", "eigrp", "bgp", "rip"}
    assert protocols <= named_everywhere(assistant.kb) and not protocols & generic_concepts(assistant.kb)
    assert protocols <= assistant.quiz.verifier.generic
    assert len(assistant.quiz.generate(4, seed=1)) == 4
