"""Quiz items on notes no exam pack serves, from a blind review of 30 items on fresh CCNA, SnowPro and SC-300 notes
(dev7, 21/30 valid): a cell that another side of its row says too has two keys, and a line of a script is no term.
(That a route source is no protocol, in notes no pack serves, is measured on those notes: see the README.)"""
from __future__ import annotations

from ingest.build import BuildReport, Document, build_knowledge
from studyassist.quiz.definitions import Definitions
from studyassist.quiz.options import askable_side

SUMMARY = """# Routing

## Key differences

| Feature | RIP v2 | EIGRP | OSPF | BGP |
|---|---|---|---|---|
| Vendor | Open | Cisco | Open | Open |
| Scalability | Low | Medium | High | Very High |
| Algorithm | Bellman-Ford | DUAL | Dijkstra SPF | Path vector |
"""


def test_a_cell_another_side_says_too_is_not_asked():
    kb = build_knowledge([Document("ccna.md", SUMMARY)], report=BuildReport())
    rows = {r.situation: r for r in kb.rules if r.sides}
    askable = {situation: [askable_side(r, i) for i in range(len(r.sides))] for situation, r in rows.items()}
    assert askable["Vendor"] == [False, True, False, False]  # three "Open": only "Cisco" has one owner
    assert askable["Scalability"] == [True, True, False, False]  # "High" is inside "Very High"
    assert askable["Algorithm"] == [True, True, True, True]


def test_a_line_of_a_script_is_no_term():
    notes = ("# Identity\n\n## Comands\n- Set-MsolCompanySettings: change the tenant default options\n"
             "- New-AzureADMSInvitation: invite an external user to the tenant\n"
             "- Get-MgUser: list the users of the tenant with their properties\n"
             "- Update-MgPolicy: change which apps users may consent to\n"
             '- $displayname = Get-AzADServicePrincipal -displayname "vm1": find the identity of a VM\n')
    kb = build_knowledge([Document("sc300.md", notes)], report=BuildReport())
    terms = [r.choice for r in Definitions(kb, set(), embeddings=None).pool]
    assert "Set-MsolCompanySettings" in terms and not any(t.startswith("$") for t in terms)
