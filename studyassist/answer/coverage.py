"""Whether a question is about the material at all, or gets the not-covered sentence."""
from __future__ import annotations

import re
from dataclasses import replace

from studyassist.answer.retrieval import Hit, HybridRetriever
from studyassist.answer.types import Claim
from studyassist.knowledge.model import Rule
from studyassist.text import asking_part, key_terms

# Below this dense cosine to every row, and this one to every way of asking about a row (the pack's paraphrase
# bank), with no concept named, the question is taken as outside the material. Set on the dev sets: a learner's
# covered question in their own words is often far from the row's text (0.24-0.37) yet near a paraphrase
# (0.52-0.78), while 37 of 40 questions from other domains stay below 0.56 to every paraphrase.
COVERAGE_SIMILARITY, PARAPHRASE_COVERAGE = 0.38, 0.56
# A question naming a concept needs less, not nothing: "renew the TLS certificate on a Kubernetes ingress" is
# outside the material (0.27 / 0.46); learner questions naming a concept reach 0.27 / 0.48 or 0.40 / 0.45.
NAMED_COVERAGE_SIMILARITY, NAMED_PARAPHRASE_COVERAGE = 0.30, 0.47
# Without a bank (a document no pack serves) a question nearly as close to a row, half of whose words the review
# uses, is about the material too. Set on the first review without its exam pack (learner dev): learner questions
# wrongly called not covered 0.197 -> 0.149 (locked 0.177 -> 0.081), questions from other domains refused 36 -> 35
# of 40 (their median: 0.31 of their words are the review's; learner questions' 0.50).
VOCABULARY_SIMILARITY, VOCABULARY_SHARE = 0.33, 0.5
# Without a bank, also: a question this close to a row (learner dev's covered questions refused at stop 49 reach
# 0.35-0.38 where 35 refused questions from other domains stay below 0.34), or one whose closest row by meaning is
# also its closest by words at this cosine ("split my customers into groups, I have no labels" and AI-900's
# "Clustering: group similar items without predefined labels", 0.31; one off-topic question agrees, at 0.16).
NO_BANK_SIMILARITY, AGREED_SIMILARITY = 0.345, 0.25
# What the row saying every word of the question gains in the composer's ranking (as much as a named concept's row).
SAID_ALL = 0.004


def covered(hits: list[Hit], concepts: list[str], query: str, retriever: HybridRetriever) -> bool:
    """Whether ``query`` (which names ``concepts``; ``hits`` its rule hits) is about the indexed documents."""
    if not hits:
        return bool(concepts)
    row, asked = (NAMED_COVERAGE_SIMILARITY, NAMED_PARAPHRASE_COVERAGE) if concepts else (
        COVERAGE_SIMILARITY, PARAPHRASE_COVERAGE)
    best = max(h.similarity for h in hits)
    if best >= row or max(h.paraphrase for h in hits) >= asked:
        return True
    if retriever.paraphrases is not None:
        return False
    agreed = hits[0].dense_rank == 1 and hits[0].lexical_rank == 1 and hits[0].similarity >= AGREED_SIMILARITY
    return agreed or best >= NO_BANK_SIMILARITY or best >= VOCABULARY_SIMILARITY and \
        retriever.known_share(query) >= VOCABULARY_SHARE or says_every_word(hits, query)


def says_every_word(hits: list[Hit], query: str) -> bool:
    """Whether the row closest by words says every content word of the question, two at least: "What is the lock
    file for?" of Terraform notes whose ".terraform.lock.hcl" item says "Commit this file" (0.23 by meaning: a small
    embedding model does not read a file name)."""
    return any(_says_all(h, set(key_terms(query))) for h in hits)


def _says_all(hit: Hit, terms: set[str]) -> bool:
    return len(terms) >= 2 and hit.lexical_rank == 1 and hit.rule is not None and terms <= set(key_terms(hit.rule.text))


def said_first(hits: list[Hit], query: str, concepts: list[str]) -> list[Hit]:
    """``hits`` with the one that says every content word of a question naming no concept (``says_every_word``)
    scored as if it named one: the lock-file item, not "State Drift" (nearer by meaning, a row of a table). (A question
    naming concepts has their rows: "In a sweep job, what is the search space?" is not answered by a row saying
    "Sweep job with primary metric and search space".)"""
    terms = set() if concepts else set(key_terms(query))
    return [replace(h, score=h.score + SAID_ALL) if _says_all(h, terms) else h for h in hits]


# "What is connection draining?", "define …", "tell me about …": what it asks about
_WHAT_IS = re.compile(r"^(?i:(?:so|ok|okay|and)[, ]+)?(?i:what(?:'s| is| are| does| do)|define|explain|describe|"
                      r"tell me about)\s+(?P<what>[^?]+?)(?:\s+(?i:mean|do|stand for|used for))?\s*\??\s*$")
# What a question asks about when it asks what a thing is, how things differ, which kind of a thing to use or how to do
# something to a thing: "What is Azure Blob Storage?", "difference between AKS node pools and virtual node", "Which
# Power BI visual should I use …", "How do I back up an Azure Cosmos DB account?".
_ASKS_ABOUT = tuple(re.compile(p) for p in (  # tried in this order
    r"\b(?i:differences? between)\s+(?P<between>[^?]+)|^(?i:compare)\s+(?P<compared>[^?]+)",
    r"^(?P<one>[^?]+?)\s+(?:vs\.?|versus|VS\.)\s+(?P<other>[^?]+)",
    _WHAT_IS,
    r"^(?i:how does)\s+(?P<how>.+?)\s+(?i:work)\b",
    r"^(?i:which|what)\s+(?P<which>(?:\S+\s+){0,3}?\S+)\s+(?i:should|do|does|is|are|can|would|to|for|lets?)\b",
    # "Should I use Kinesis Data Streams or SQS for clickstreams?": the things it weighs
    r"^(?i:should (?:i|we) (?:use|pick|choose|go with))\s+(?P<weighed>[^?]+?)(?=\s+(?i:for|to|when|if|in)\s|\s*\?|$)",
    # "When should I use Amazon MQ instead of SQS?": the thing it asks about (its name ends where lower case starts)
    r"^(?i:when (?:should|would|do|can|must) (?:i|we|you) (?:use|pick|choose))\s+(?P<when>[^?]+?)(?=\s*\?|$)",
    # "How do I configure a Kafka consumer group …": what it is done to (its first side only: "… to Azure Monitor"
    # may be where the notes send it)
    r"^(?i:how (?:do|can|should|would) (?:i|we|you)|how to)\s+\w+\s+(?:(?i:up|out)\s+)?(?P<done_to>[^?]+)"))
_SIDES = re.compile(r",\s*|\s+(?:and|or|vs\.?|versus|with|to)\s+", re.I)
_ARTICLE = re.compile(r"^(?:(?:the|a|an|my|our|its|their)\s+)+", re.I)


# What a question asks to use something for names the task, not the answer: "what should I use | to connect a lot of
# VPCs?" asks for what connects them, "which tool | for OLAP?" for a tool of OLAP.
_FOR_TASK = re.compile(r"\b(?:use|choose|pick|need|deploy|configure|enable|set up|create|recommend)\b.*?\s(?=(?:to|for|"
                       r"so that|in order to)\s)", re.I)


def asked_head(question: str) -> str:
    """The part of an asking sentence before what it asks to use something for (the whole sentence when none)."""
    return question[:m.end()] if (m := _FOR_TASK.search(question)) else question


def past_the_scene(hits: list[Hit], rule: Rule, named: list[str], question: str, find) -> list[Hit]:
    """The hits that do not choose the one concept a "which" question names outside what its asking sentence asks
    for (``asked_head``; ``find`` names the concepts of a text), when ``rule``, the best, chooses it alone and
    stresses nothing it says of it: "… telemetry to Application Insights … What should the team configure?" is
    answered by something of Application Insights, not by its name (on the other exams' free questions such answers
    were all wrong), and first by what is said of it (under its heading, or naming it); "what should I use to
    connect a lot of VPCs?" by what connects them. But "COPY INTO: use `VALIDATION_MODE` to validate" says what of
    it. Empty when the best is no such echo."""
    scene = set(named)
    if len(scene) != 1 or scene != set(rule.choice_concepts) or rule.stressed or rule.kind == "table_row" or \
            scene & set(find(asked_head(asking_part(question)))):
        return []
    others = [h for h in hits if not scene & set(h.rule.choice_concepts) or h.rule.list_kind == "point"
              and h.rule.id != rule.id and h.rule.situation]  # (another point about it: what it asks of the name)
    name = set(key_terms(rule.choice))  # first what is said of it: under its heading, or naming it
    return [h for h in others if name <= set(key_terms(h.rule.section)) or scene & set(h.rule.concepts)] or others


def asked_names(question: str) -> list[str]:
    """The names a question asks about (above): each side's leading words written as a name ("Power BI", "AKS",
    "Azure SQL Database"; "the cleanup function in React" leads with no name)."""
    m = next((m for p in _ASKS_ABOUT if (m := p.search(question.strip()))), None)
    if m is None:
        return []
    out = []
    for group, part in ((g, v) for g, v in m.groupdict().items() if v):
        for side in _SIDES.split(part)[:1] if group == "done_to" else _SIDES.split(part):
            run = []
            for word in _ARTICLE.sub("", side.strip()).split():
                if not re.match(r"[A-Z]|[a-z]+[A-Z]", word):
                    break
                run.append(re.sub(r"'s$", "", word).strip(".,:;!\"'()"))
            if run:
                out.append(" ".join(run))
    return out


def asked_what(question: str) -> str:
    """What a "what is …?" question asks about, without its article ("connection draining"), or ""."""
    m = _WHAT_IS.search(question.strip())
    return _ARTICLE.sub("", m.group("what")).strip() if m else ""


def unknown_subject(question: str, knows) -> str | None:
    """The name ``question`` asks about (``asked_names``) one of whose words no document uses (``knows`` is false
    for it), or of several words no two of which a document writes in a row (``knows`` of its words joined), or
    None: its answer would be about something else, however near some row comes ("What is Azure Blob Storage?" of
    AWS notes is not answered by S3, nor "How do I use Azure Load Testing …?" of AZ-400 notes by A/B testing)."""
    return next((name for name in asked_names(question) if not all(map(knows, terms := key_terms(name)))
                 or len(terms) >= 2 and not knows(" ".join(terms))), None)


def never_mentioned(name: str | None) -> list[Claim]:
    """What follows the not-covered sentence when the question asks about a name no document uses."""
    return [Claim(text=f"It does not mention {name}.")] if name else []
