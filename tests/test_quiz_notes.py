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
    assert askable["Scalability"] == [True, True, False, True]  # "High" is inside "Very High", not the other way
    assert askable["Algorithm"] == [True, True, True, True]


def list_terms(name: str, notes: str) -> Definitions:
    """The terms a document no pack serves defines in its lists, read without embeddings."""
    return Definitions(build_knowledge([Document(name, notes)], report=BuildReport()), set(), embeddings=None)


def test_a_line_of_a_script_is_no_term():
    notes = ("# Identity\n\n## Comands\n- Set-MsolCompanySettings: change the tenant default options\n"
             "- New-AzureADMSInvitation: invite an external user to the tenant\n"
             "- Get-MgUser: list the users of the tenant with their properties\n"
             "- Update-MgPolicy: change which apps users may consent to\n"
             '- $displayname = Get-AzADServicePrincipal -displayname "vm1": find the identity of a VM\n')
    terms = [r.choice for r in list_terms("sc300.md", notes).pool]
    assert "Set-MsolCompanySettings" in terms and not any(t.startswith("$") for t in terms)


def test_a_stem_saying_two_words_of_the_keys_full_name_gives_it_away():
    """A second blind review (dev6 acronym sheet): "What It Does: Sync password hashes to Azure AD" gives PHS away
    (its row spells it out as Password Hash Sync), as "based on roles" gives RBAC away."""
    from studyassist.quiz.definitions import spelled_out

    row = "Acronym: {} | Full Name: {} | What It Does: {}"
    assert spelled_out("What It Does: Sync password hashes to Azure AD", "PHS",
                       row.format("PHS", "Password Hash Sync", "Sync password hashes to Azure AD"))
    assert spelled_out("What It Does: Permission model based on roles", "RBAC",
                       row.format("RBAC", "Role-Based Access Control", "Permission model based on roles"))
    assert not spelled_out("What It Does: Filters HTTP requests at the edge", "WAF",
                           row.format("WAF", "Web Application Firewall", "Filters HTTP requests at the edge"))
    assert not spelled_out("What It Does: Sync password hashes to Azure AD", "PHS")  # (no row: its words only)


def test_a_comparison_is_no_option_beside_things():
    """PMP notes: "Leadership vs. Management" had been offered beside Coaching and Mentoring."""
    from studyassist.quiz.options import compares

    assert compares("Leadership vs. Management") and not compares("Servant leadership")
