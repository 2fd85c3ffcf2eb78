"""Term questions from a notes-shaped document no pack serves: a list that defines four or more terms gives items
whose stem is what the document says of one term (its name blanked) and whose options are terms of the same list,
checked by the generator's key verifier like any item."""
from __future__ import annotations

import pytest

from studyassist.quiz.definitions import BLANK, Definitions, blanked, definition, group_of
from studyassist.text import normalize

NOTES = """# Networking notes

## Load balancing
- **Load Balancer**: spreads TCP and UDP traffic across virtual machines in one region
- **Application Gateway**: routes web requests by URL path and can terminate TLS, with an optional web application \
firewall
- **Front Door**: a global entry point for web apps that sends each user to the nearest healthy backend
- **Traffic Manager**: answers DNS queries with the endpoint a routing method such as priority or geography picks

## Connectivity
- VPN Gateway - an encrypted tunnel to an on-premises network over the public internet
- ExpressRoute - a private circuit to Microsoft through a connectivity provider, never over the internet
- Virtual network peering - links two virtual networks so their resources talk over the Microsoft backbone
- Bastion - browser-based RDP and SSH to virtual machines that have no public IP addresses
- Other services - NAT gateway, DNS zones and private link endpoints

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


def test_a_terms_name_is_blanked_where_its_definition_repeats_it():
    assert blanked("Virtual Machines are the IaaS option.", "Azure Virtual Machines") == f"{BLANK} are the IaaS option."
    assert blanked("never trust, always verify", "Zero Trust") == f"never {BLANK}, always verify"
    assert blanked("routes traffic on the App Service plan", "Azure App Service") == f"routes traffic on the {BLANK} plan"
    # a first word alone ("Azure") or a short word is what many terms share: it gives nothing away
    assert blanked("Azure keeps the copies", "Azure Backup") == "Azure keeps the copies"
    assert blanked("a VM in a set", "VM Scale Sets") == "a VM in a set"


def test_a_list_of_terms_gives_term_questions_of_one_kind(notes_assistant):
    quiz = notes_assistant.quiz
    items = quiz.generate(8, seed=3)
    assert len(items) >= 6, quiz.dropped
    kb = notes_assistant.kb
    for item in items:
        rule = kb.rule(item.rule_id)
        assert item.stem.startswith("Which term does the review describe this way: “")
        assert item.options[item.answer] == rule.choice
        assert len({group_of(kb.rule(r)) for r in item.option_rules}) == 1  # the key's list, and only it
        assert not any(normalize(o) in normalize(item.stem) for o in item.options), item.stem
        assert blanked(definition(rule), rule.choice).rstrip(" .;:") in item.stem
        assert "Other services" not in item.options  # a name for a group of things is not a term
        assert {c.id for c in item.citations} == set(item.option_rules)  # what each option's own rule says
        assert quiz.verifier.check(item, 1) is None  # its own term is what the definition finds first
    assert [i.id for i in quiz.generate(8, seed=3)] == [i.id for i in items]
    assert {i.rule_id.rsplit("#", 1)[0] for i in items} == {"load-balancing-list", "connectivity-list"}


def test_a_document_a_pack_serves_gets_no_term_questions(notes_assistant):
    served = Definitions(notes_assistant.kb, {"network-notes.md"}, notes_assistant.retriever.embeddings)
    assert served.pool == []
    assert len(Definitions(notes_assistant.kb, set(), notes_assistant.retriever.embeddings).pool) == 8
