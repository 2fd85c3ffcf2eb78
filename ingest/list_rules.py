"""List items as rules: "situation → choice", "Name: what it is", or a point about what its section names."""
from __future__ import annotations

import re
from collections import Counter

from ingest.commands import is_step
from ingest.concepts import strip_leading_verb
from ingest.lists import ARROW, item_name, name_words, named_item
from ingest.parser import BulletList, plain
from ingest.prose import DEFINED_WORDS, heading_name, material
from studyassist.knowledge.model import Rule
from studyassist.text import BRACKETED, normalize, strip_quotes

# Words of a list's heading or intro that say what kind of list it is.
_LIST_KINDS = (("mistake", "mistake"), ("pitfall", "mistake"), ("trap", "trap"), ("transition", "transition"),
               ("checklist", "checklist"), ("verify", "checklist"), ("separate", "separation"),
               ("candidate", "candidate"), ("relationship", "component"), ("wrong answer", "mistake"),
               ("anti-pattern", "mistake"), ("antipattern", "mistake"))
_DENIED = re.compile(r"\b(?:not|n't|never|cannot|no longer)\b(?:\s+\w+){0,2}\s+(?:support|allow|available|possible|"
                     r"permit|include|offer)\w*|\bunsupported\b", re.I)
ARROW_CHOICE_WORDS = 10  # "situation → choice" when what follows the arrow is short enough to be a choice

FIELD_LISTS = 3  # a name that this many lists of a document define is a field of its template ("What it is")
TEMPLATE_ITEMS = 2  # a list with this many such fields is one filled-in template: all its names are fields
# A list of arrows most of which name something on the left (at least this many, this share) is a glossary: its
# other items whose left side is a name are read the same way ("VPC Peering → Connect two VPCs" among "Subnet →
# Segment of VPC", "Route Table → Direct traffic"; its right side had too few words to tell)
GLOSSARY_ITEMS, GLOSSARY_SHARE = 3, 2 / 3


def template_fields(lists: list[BulletList]) -> frozenset[str]:
    """The names (normalised) that at least ``FIELD_LISTS`` of a document's lists each give an item: "What it is",
    "When to use", "Exam tip" under every service of a cheat sheet."""
    uses: Counter[str] = Counter()
    heads: Counter[str] = Counter()  # or that head their points in two lists: "Best when you need:" (ALB's, NLB's)
    for block in lists:
        uses.update({normalize(m.group(1)) for m in map(named_item, block.items) if m})
        heads.update(normalize(h) for h in _lead_ins(block))
    return frozenset(name for name, n in uses.items() if n >= FIELD_LISTS) | {h for h, n in heads.items() if n >= 2}


def _lead_ins(block: BulletList) -> set[str]:
    """The items of a list that end in a colon and head the points nested under them ("Best when you need:"),
    without the colon."""
    return {u for i in block.items if i.rstrip().endswith(":") and (u := i.rstrip().rstrip(":").strip()) in (
        block.under or ())}


CONTENTS_SHARE = 0.75  # a list whose items name the document's own headings this often is its table of contents


def contents(block: BulletList, headings: frozenset[str]) -> bool:
    """Whether a list is the document's table of contents: most of its top-level items name one of its ``headings``
    (normalised, without numbering), "Compute Platforms: App Service; Azure Functions" for "# 1. Compute Platforms"."""
    names = [normalize(heading_name(m.group(1) if (m := named_item(item)) else item))
             for item, under in zip(block.items, block.under or [""] * len(block.items)) if not under]
    return len(names) >= 2 and sum(name in headings for name in names) >= CONTENTS_SHARE * len(names)


# "Durable Functions for orchestrations and stateful workflows", "KQL queries for advanced diagnostics": a name (two to
# four words, written as one: a capital after its first word, or an acronym first), then what it is for; not a
# description ("Simple message queue for decoupling") nor a step ("Use SAS tokens for …")
_FOR_PURPOSE = re.compile(r"^([A-Z][\w/&.'-]*(?:\s+[\w/&.'-]+){1,3}?)\s+for\s+(\S.{2,})$")


def _for_purpose(item: str) -> re.Match | None:
    if not (m := _FOR_PURPOSE.match(item.rstrip("."))):
        return None
    words = m.group(1).split()
    named = words[0].isupper() and len(words[0]) > 1 or any(w[:1].isupper() for w in words[1:])
    return m if named and not is_step(words[0]) and strip_leading_verb(m.group(1)) == m.group(1) else None


# "Use SAS tokens or managed identity for secure access", "To manage Entra ID roles use Privileged Role Administrator":
# a step that says what to use for a need recommends that thing (a name of at most USED_WORDS words) for that need
_USE_FOR = re.compile(r"^(?:use|choose|pick|prefer)\s++(?:an?\s+|the\s+)?+(?P<x>[^,;:.]{2,60}?)\s+(?:only\s+)?"
                      r"(?P<y>(?:to|for|when|if)\s+[^.;]{6,})$", re.I)
_TO_USE = re.compile(r"^(?P<y>(?:to|for)\s+[^,;:.]{6,}?),?\s+(?:use|choose|pick|prefer)\s++(?:an?\s+|the\s+)?+"
                     r"(?P<x>[^,;:.]{2,60})$", re.I)
USED_WORDS = 6


def _use_for(item: str) -> tuple[str, str] | None:
    """(what a step says to use, for what) or None."""
    text = item.strip().rstrip(".")
    m = _USE_FOR.match(text) or _TO_USE.match(text)
    if m is None or len(BRACKETED.sub(" ", x := m.group("x").strip()).split()) > USED_WORDS:
        return None
    return x, m.group("y").strip()


# "This command is deprecated. For v0.15.2 and later, use the -replace option …" nested under "terraform taint": a
# point that what it hangs under is outdated is a mistake to avoid (choosing it), corrected by what the point says
_OUTDATED = re.compile(r"^(?:this|it|the)\b(?:\s+[\w-]++){0,2}?\s+(?:is|has been|was)\s+(?:now\s+)?"
                       r"(?:deprecated|obsolete|retired|superseded|legacy|no longer (?:recommended|supported))\b", re.I)


def _another_command(item: str, under: str, spans: list[str]) -> bool:
    """Whether an item is only a command of the program of the command it hangs under, but another one
    ('terraform apply -replace="…"' under "terraform taint"): an example of its own, not a point about that one."""
    words, head = item.split(), under.split()
    return len(spans) == 1 and spans[0].strip() == item.strip() and len(words) >= 2 and len(head) >= 2 \
        and words[0] == head[0] and words[1] != head[1]


# "Super user access applies only to" over "- cases" / "- leads": a sentence a list's items finish, each of them
_UNFINISHED = re.compile(r"\b(?:to|for|of|like|include|includes|including|are|is|as|with|by|in|on|from|into|via|"
                         r"between|than)$", re.I)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
FINISHED_WORDS = 3  # a sentence the items finish has a subject and a verb: at least this many words


def _said_of_each(intro: str) -> str:
    """The last sentence of a list's intro when its items finish it (it stops on "to", "for", "like" …), else ""."""
    last = _SENTENCE_END.split(plain(intro).strip())[-1].strip() if intro.strip() else ""
    return last if len(last.split()) >= FINISHED_WORDS and _UNFINISHED.search(last) else ""


def finished(text: str, after) -> str:
    """A paragraph whose last sentence the list ``after`` it finishes, finished with that list's own items ("Super user
    access applies only to cases; leads; custom objects; opportunities."); else as it is."""
    if not isinstance(after, BulletList) or not _said_of_each(text):
        return text
    items = [i.rstrip(".; ") for i, u in zip(after.items, after.under or [""] * len(after.items)) if not u]
    return f"{text.rstrip()} {'; '.join(items)}."


# "When to use crictl: when kubectl is down …" names crictl
_WHEN_TO = re.compile(r"^(?:when|why) (?:to |would you |should you )?(?:use|choose|pick|prefer) (\S.*)$", re.I)


# "❌ **PIM License Confusion**" over "- PIM requires Entra ID P2 (NOT P1)": a short label marked as wrong names the
# pitfall itself; the items under it state what is true, even in a section of pitfalls
MARKED_WRONG = re.compile(r"^[\s>*_-]*(?:❌|✗|✘|✖|⛔|🚫)")
MARKED_WORDS = 10
LEAD_IN_WORDS = 15  # a paragraph above a list that says what kind of list it is: a lead-in (":") or this short


_VERSUS = re.compile(r"\s(?:vs\.?|versus)\s")


def _list_kind(title: str, intro: str = "", marked: bool = False) -> str:
    if marked and len(intro.split()) <= MARKED_WORDS and not intro.endswith(":"):
        return "item"
    lead = intro if intro.rstrip().endswith(":") or len(intro.split()) <= LEAD_IN_WORDS else ""  # (not a disclaimer
    c = normalize(f"{title} {lead}")  # paragraph above a glossary that asks readers to report "any mistakes")
    return next((kind for word, kind in _LIST_KINDS if word in c), "item")


# A short item that states a fact of what it hangs under, not a name: a figure, a rating, or two or more words in
# lower case ("Latency ~200 ms", "Max. 5 API calls/sec", "Minimise cost ($)", "Low number of consuming applications"
# under "Shared (classic) fan-out consumer"), unlike "AWS Lambda" or "Fairness"
_FACT = re.compile(r"[~<>≈≤≥]\s*+\d|\b(?:max|min|up to)\.?\s*+\d|\d\s*+(?:%|ms|s|secs?|seconds?|mins?|minutes?|"
                   r"hours?|days?|[kmgt]i?b|[kmgt]b/s(?:ec)?)(?![\w-])|\([^\w()]++\)", re.I)  # (possessive runs)
_LOWER_WORDS = 2
# … or says what the section's thing does ("Provides encryption as a service" under "Secret Engine: Transit")
_SAYS_WHAT_IT_DOES = re.compile(
    r"(?:provides|supports|allows|enables|requires|relieves|offers|lets|gives|keeps|stores|creates|generates|encrypts|"
    r"protects|prevents|integrates|automates|replicates|handles|manages|runs|uses|works|scales|sends|detects|tracks|"
    r"helps|acts|needs|lacks)\s", re.I)


def _states_a_fact(item: str, nested: bool) -> bool:
    """(Lower-case words count only in an item ``nested`` under another: at the top of a section about a service,
    "Deployment slots for staging" is a thing of its own, which options name.)"""
    words = [w for w in BRACKETED.sub(" ", item).split() if re.fullmatch(r"[a-z][a-z-]{3,}[,;]?", w)]
    return bool(_FACT.search(item) or _SAYS_WHAT_IT_DOES.match(item)) or nested and len(words) >= _LOWER_WORDS


# an exam objective heading items ("Explain the benefits of state", "Describe default local backend"): what to study,
# not a name its items are about
_OBJECTIVE = re.compile(r"(?:explain|describe|understand|demonstrate|contrast|differentiate|identify|handle|navigate|"
                        r"interact|implement|outline|summari[sz]e|discuss|recall|know)\s", re.I)


# a sentence that opens with what it is about ("Usage location property is available …", "Leaked Credentials is a …"),
# not with what it does ("Does not access any remote state", "Stores the state as an artifact …")
_OWN_SUBJECT = re.compile(r"(?!(?:this|these|that|those|it|its|they|the|a|an|you|we|i|to|with|from|for|in|on|if|"
                          r"when)\b)[A-Z][\w-]*+(?:\s[\w-]++){0,4}?\s"
                          r"(?:is|are|has|have|was|were|can|cannot|must|should|will)\b", re.I)


def _named_by(item: str, kind: str, under: str, about: str | None, heads: bool = False) -> str:
    """What an item, a point naming nothing, is about: the name it hangs ``under``, else ``about``; "" for one that
    names something (short, no full stop, no fact: "Fairness"; or one that ``heads`` items nested under it), asks,
    chains arrows or is a mistake, or a pack's."""
    if kind != "item" or item.rstrip().endswith("?") or ARROW.search(item) \
            or heads and name_words(item) <= DEFINED_WORDS or len(item.split()) <= DEFINED_WORDS \
            and not item.rstrip().endswith(".") and not _states_a_fact(item, bool(under)):
        return ""
    if about is None and _OWN_SUBJECT.match(item):  # (in a section about nothing, a sentence about a thing of its own
        return ""  # under "Users" is that thing's: "Usage location property is available for all users")
    named = (0 < name_words(under) <= DEFINED_WORDS or under.endswith("?")) and not _OBJECTIVE.match(under) \
        and not under.endswith(".")  # (a question it answers, however long: "Do you need a build stage?")
    return under if named else about or ""  # (not a sentence: "command creates an execution plan.")


def list_rules(doc, block: BulletList, title, intro, sec_id, sec_area, classifier, used, context,
               about: str | None = None, fields: frozenset[str] = frozenset(), owner: str = "",
               marked: bool = False) -> list[Rule]:
    """A list's items as rules: "situation → choice", "Name: what it is", a point about what its section (``about``)
    or the item it hangs under names ("#### Secure Score" / "- Central feature providing …"), or a point alone. An
    item named by one of the document's template ``fields`` ("What it is: …" under every service of a cheat sheet)
    is a point about its section's subject, not a definition of "What it is". A thing of its own ("Elastic pools for
    multi-tenant SaaS") under a section about a thing of a reference (``owner``: "Azure SQL Database") keeps that as
    its subject. Under a short label ``marked`` wrong ("❌ **PIM License Confusion**") the items say what is true."""
    kind = _list_kind(title, intro, marked)
    # a list that an intro says is NOT supported or allowed ("It does **NOT** support:") keeps saying so in each item
    lead = plain(intro) if intro.rstrip().endswith(":") else ""
    denied = lead.rstrip(" :") if _DENIED.search(lead) else ""
    said = _said_of_each(intro)  # (and a sentence that the items finish says it of each: "… applies only to")
    list_id = used.take(f"{sec_id}-list")
    unders = block.under or [""] * len(block.items)  # the item each one is nested under ("" at the top)
    names = [normalize(m.group(1)) for item, under in zip(block.items, unders)
             if not under and (m := named_item(item))]  # (its own items', not those nested in them)
    if block.card or sum(name in fields for name in names) >= TEMPLATE_ITEMS:  # a card of properties, or a list
        fields = fields | set(names)  # that fills the template in: its other names ("Components" beside "What it is")
    out = []
    parents = set(block.under or ())  # an item that only heads the items nested under it ("Core concepts:") is no rule
    lead_ins = {u for u in _lead_ins(block) if normalize(u) in fields  # (one heading its points in several lists,
                or material(u)}  # or saying what kind they are: "Attributes:" over a queue's limits)
    reads = {i: _names_left(a, block.stressed.get(i, ())) for i in block.items if len(a := ARROW.split(i)) == 2}
    glossary = len(reads) >= GLOSSARY_ITEMS and sum(reads.values()) >= GLOSSARY_SHARE * len(reads)
    described = _described(block.items, unders, kind, about)
    for n, item in enumerate(block.items, start=1):
        if item.rstrip().endswith((":", "?")) and item.rstrip().rstrip(":").strip() in parents:
            continue  # (nor one that asks the question its nested items answer: "**Containerized?**")
        m, under, arrow, item_kind, own = named_item(item), unders[n - 1], ARROW.split(item), kind, owner
        under = "" if _another_command(item, under, block.stressed.get(item, [])) else under  # (an example of its own)
        if (labelled := _labelled(block.items, unders, n)) is not None:  # "*Solution:* …" under a case study
            if not labelled[0]:
                continue
            label, text, item_kind = labelled
        elif combined := _SUMS_UP.match(item):  # '"Global" + "Low Latency" + "Relational" = **Spanner**'
            label, text = strip_quotes(combined.group(2)).rstrip("."), combined.group(1).replace('"', "").strip()
        elif len(arrow) == 2 and (reads[item] or glossary and _a_name(
                arrow[0].strip().rstrip(":")) and not arrow[0].strip().endswith("?")):  # "**Shared-disk** → Centralized
            label, text = arrow[0].strip().rstrip(":"), arrow[1].strip()  # storage": a name, then what it is
        elif len(arrow) == 2 and arrow[0].strip() and 0 < len(BRACKETED.sub(" ", arrow[1]).split()) <= \
                ARROW_CHOICE_WORDS and arrow[0].count("(") <= arrow[0].count(")"):  # "Need full OS control? → EC2":
            # the situation, then what to choose (not an example in brackets: "… when the backend changes (e.g.,
            # local → S3)"), under the question it answers when it is nested under one ("Containerized?")
            label, text, own = strip_quotes(arrow[1]).rstrip("."), strip_quotes(arrow[0]).rstrip(":"), ""
            text = f"{under} {text}" if under.endswith("?") else text
        elif m and normalize(m.group(1)) in fields and (of := under if 0 < len(under.split()) <= DEFINED_WORDS
                                                         else about):  # "- Lambda" / "  - What it is: …" too
            label, text, item_kind = of, item.rstrip("."), "point"
        elif m and len(m.group(1).split()) <= 8 and not (about and material(m.group(1))):  # ("Important: …")
            label, text = m.group(1).strip(), m.group(2).strip()
            label = w.group(1) if (w := _WHEN_TO.match(label)) else label
        elif about is not None and kind == "item" and (fp := _for_purpose(item)):  # a thing and its purpose
            label, text = fp.group(1), f"for {fp.group(2)}"
        elif kind == "item" and under and _OUTDATED.match(item):  # (what it hangs under is outdated)
            label, text, item_kind = under, item.rstrip("."), "mistake"
        elif kind == "item" and (used_for := _use_for(item)) is not None and used_for[0] not in _spans(
                block.stressed, item):  # what a step says to use, for what, of what it hangs under or its section is
            (label, text), own = used_for, under or about or owner  # about (one it stresses: a point stressing it)
        elif of := _named_by(item, kind, "" if not m and under in lead_ins else under, about,
                             item_name(item) in parents or bool(denied)) or (  # (denied: said so below)
                under if under in described and not m and item_name(item) not in parents
                and name_words(item) <= TRAIT_WORDS else ""):
            # (a short item among points about the name it hangs under is one more: "Lightweight" beside "Has no
            # child tokens" under "Token Type: Batch")
            # about what it hangs under, defines nothing; under a lead-in ("Best when you need:"), about the section's
            # subject, the lead-in said ("Network Load Balancer" / "Best when you need: Static IP support")
            label, text, item_kind = of, (f"{under}: " if under in lead_ins else "") + item.rstrip("."), "point"
        else:
            label, text = item.rstrip("."), denied or said and f"{said} {item.rstrip('.')}"
        own = own if item_kind == "item" and own and normalize(label) != normalize(own) else ""  # what it is under
        out.append(Rule(id=f"{list_id}#{n}", kind="list_item", section=context, table=None, row=n, cells={},
                        situation=text, choice=label, area=classifier.classify(item, title + " " + context,
                                                                               fallback=sec_area),
                        anti_pattern=kind in ("mistake", "trap") and not _contrasted(label, title)
                        or item_kind == "mistake",
                        list_kind=item_kind, source_file=doc.name,
                        under=under, subject=own, stressed=_stressed(block.stressed, item, text, label)))
    return out


# Items nested under a name, most of which are points about it ("Not written to persistent storage", "Has no child
# tokens"): a short one among them is a trait of it too ("Lightweight"), not a name of its own
TRAIT_WORDS, TRAIT_POINTS, TRAIT_SHARE = 3, 3, 0.6


def _described(items: list[str], unders: list[str], kind: str, about: str | None) -> set[str]:
    """The names whose nested items are mostly points about them (at least ``TRAIT_POINTS``, ``TRAIT_SHARE``)."""
    points, counts = Counter(), Counter(u for u in unders if u)
    for item, under in zip(items, unders):
        if under and _named_by(item, kind, under, about) == under:
            points[under] += 1
    return {u for u, n in points.items() if n >= TRAIT_POINTS and n >= TRAIT_SHARE * counts[u]}


# Clue words added up to a choice: '"Standard SQL" + "Analytics" = **BigQuery**' (the situation, then the choice)
_SUMS_UP = re.compile(r"^([^=]+?\+[^=]+?)\s+=\s+([^=+]{1,60})$")
# A label a nested item opens with says what it is to the item it hangs under: the answer to it ("Scenario: …" /
# "*Answer:* Set an Organization Policy …"; "Mountkirk Games: global, low latency" / "*Solution:* GKE, Spanner"), the
# situation it answers ("Use Workload Identity Federation" / "*Scenario:* AWS EC2 needs BigQuery"), or a note on it
_ANSWERS = frozenset({"answer", "solution", "fix", "resolution", "action"})
_SITUATIONS = frozenset({"scenario", "use case", "use when", "when", "symptom", "problem", "question"})
_NOTES = frozenset({"why", "reason", "requirement", "rule", "note", "tip", "example", "caveat", "warning", "result"})


def _labelled(items: list[str], unders: list[str], n: int) -> tuple[str, str, str] | None:
    """(choice, situation, kind) of item ``n`` (1-based) when it opens with such a label under an item above it;
    ("", "", "") for a situation whose own nested items answer it (they make the rule); else None."""
    item, under = items[n - 1], unders[n - 1]
    m = named_item(item)
    word = normalize(m.group(1)) if m else ""
    if not under or word not in _ANSWERS | _SITUATIONS | _NOTES:
        return None
    if word in _SITUATIONS and any(u == item_name(item) and normalize(item_name(i)) in _ANSWERS
                                   for i, u in zip(items[n:], unders[n:])):
        return "", "", ""
    parent = next((items[i] for i in range(n - 2, -1, -1) if item_name(items[i]) == under), None)
    if parent is None:
        return None
    pm = named_item(parent)
    said = (pm.group(2) if pm else parent).strip().rstrip(".")
    if word in _ANSWERS:  # the parent asks (its text after a situation's label, else all of it)
        return m.group(2).strip().rstrip("."), said if pm and normalize(pm.group(1)) in _SITUATIONS else \
            parent.strip().rstrip("."), "item"
    if word in _SITUATIONS and pm:  # the parent chooses
        return said, m.group(2).strip().rstrip("."), "item"
    return (under, item.rstrip("."), "point") if len(under.split()) <= DEFINED_WORDS else None


# What follows an arrow says what the thing before it does ("Azure RBAC → controls resource access"): a verb in the
# third person, in lower case (a capital would begin a choice: "Cloud → External Stage")
_DOES = re.compile(r"^[a-z][a-z-]{2,}(?<![su]s)(?<!is)s\b")


def _names_left(arrow: list[str], said: list[str] | tuple[str, ...]) -> bool:
    """Whether an item of two sides around an arrow names something on the left and says what it is on the right
    ("**Shared-disk** → Centralized storage", "`Deny` → Blocks the non-compliant action"): the left side is all
    stressed and the right is not, or the right says what the left does; a question asked on the left ("Need full
    OS control? → EC2") never names."""
    left, right = arrow[0].strip().rstrip(":"), arrow[1].strip()
    if not left or not right or left.endswith("?") or len(left.split()) > DEFINED_WORDS:
        return False
    stressed = {plain(s).strip() for s in said}
    return left in stressed and right not in stressed or bool(_DOES.match(right)) or _a_name(left) and not (
        is_step(right) or normalize(left) in ("yes", "no")) and any(  # ("NAT Gateway → Private subnet internet
        w.islower() for w in re.findall(r"[A-Za-z][a-z-]{3,}", right)[1:])  # access", not "Unknown pattern → S3
    # Intelligent-Tiering", "Public Subnet → ELB, NAT Gateway" nor "YES → Use crictl (API server issue)")


def _a_name(text: str) -> bool:
    """Whether ``text`` reads as a name: a few words, each of four letters or more capitalised ("Route Table")."""
    words = text.split()
    return 0 < len(words) <= DEFINED_WORDS and all(w[:1].isupper() or len(w) < 4 for w in words)


def _contrasted(label: str, title: str) -> bool:
    """Whether an item under a heading of traps names one of the things its heading sets against each other ("Trap
    2 — Customer vs User vs Sponsor" over "- **Sponsor** = signs the cheque"): it says what that thing is."""
    parts = [p.strip() for p in _VERSUS.split(normalize(title))]
    name = normalize(label)
    return len(parts) > 1 and any(p == name or p.endswith(" " + name) for p in parts)


def _spans(lines: dict[str, list[str]], item: str) -> set[str]:
    """The spans the author stressed on the list's ``lines`` that make up the ``item``."""
    return {plain(s) for line, said in lines.items() if said and line.rstrip(".;") in item for s in said}


def _stressed(lines: dict[str, list[str]], item: str, text: str, label: str) -> tuple[str, ...]:
    """The spans the author stressed on the list's ``lines`` that make up the ``item`` (one, or a name and the points
    under it) that stand in its ``text`` and are not its ``label`` nor a field's name ("**Key features**: …"), in
    order."""
    spans = _spans(lines, item)
    text, label = (text, label) if text else (label, "")  # (an item that is all name: what its name stresses)
    found = sorted((at, s) for s in spans if s.strip() and (at := text.find(s)) >= 0 and s.lower() != label.lower()
                   and not text[at + len(s):].lstrip().startswith(":"))
    return tuple(dict.fromkeys(s for _, s in found))


def defines_a_name(rule: Rule) -> bool:
    """Whether a list item names something and says what it is ("**DirectQuery**: Real-time source"; "**Use
    EventBridge** (formerly known as CloudWatch Events) to detect …": a bracketed aside is no part of the name)."""
    words = BRACKETED.sub(" ", rule.choice).split()
    return (rule.list_kind in ("item", "component") and bool(rule.situation) and 0 < len(words) <= 4
            and any(w[:1].isupper() for w in words) and not rule.choice.rstrip().endswith(("?", ":")))
