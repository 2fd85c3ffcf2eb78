"""Lists and trees: the items of a bullet list whose points hang under names, and the rules of an ASCII decision
tree or arrow list in a code fence."""
from __future__ import annotations

import re
from collections import Counter

from studyassist.text import BRACKETED

# "Need full OS control? → EC2": an arrow between a situation and a short choice.
# A match starts only where a run of spaces starts, so a long run is scanned once, not once per space in it.
ARROW = re.compile(r"(?<!\s)\s++(?:→|->|=>|⇒|⟶)\s++")
# A tree's leaf that says what to do ("Use Availability Zones → 99.99% SLA"): the answer to the branch above it.
_ACTION = re.compile(r"(?:use|choose|pick|select|deploy|enable|go with|add|create|configure)\b", re.I)
# An item that names something and says what it is: "Blob: objects and backups", or a name, a spaced dash (or equals
# sign) and what it is for ("Azure Bastion - RDP/SSH to VMs without public IPs", "Sponsor = signs the cheque")
_LABEL = re.compile(r"^([^:]{2,70}):\s+(.+)$")
_ALIASED = re.compile(r"^([^:()]{2,70}):\s*(\([^():]{1,40}\)):")
_DASHED = re.compile(r"^([A-Z0-9][^:–—=]{1,60}?)\s+[-–—=]\s+(\S+(?:\s+\S+){2,}.*)$")
# … and a command or a file in lower case, before a long dash ("terraform validate – validates HCL syntax",
# ".terraform.lock.hcl – created by terraform init")
_DASHED_COMMAND = re.compile(r"^([a-z.~/_][^:–—]{1,60}?)\s+[–—]\s+(\S+(?:\s+\S+){2,}.*)$")
# … or a short one before a hyphen ("local-exec - Invokes a local executable …", "terraform taint - informs …")
_HYPHENED_COMMAND = re.compile(r"^([a-z.~/_][^\s:–—]*+(?:\s[^\s:–—]++){0,2}?)\s+-\s+(\S+(?:\s+\S+){2,}.*)$")
DASHED_NAME_WORDS = 6
KIND_VALUE_WORDS = 4  # "Token Type: Periodic": a value this short names the thing of that kind
_TREE = re.compile(r"^[\s│├└─|`+\\/-]*")  # the drawing in front of an ASCII tree's line
# what an author stressed inside an item: bold or code ("PIM requires **Entra ID P2** (NOT P1)")
_STRESSED = re.compile(r"\*\*(?=\S)([^*\n]{1,120}?)\*\*|`([^`\n]{1,120}+)`")


def drawn(body: list[str]) -> list[tuple[int, str]]:
    """Each line of a code fence as (where its text starts after a tree's drawing, that text)."""
    ends = [_TREE.match(raw).end() for raw in body]  # (the drawing may be empty: it always matches)
    return [(end, raw[end:]) for end, raw in zip(ends, body)]


def stressed_spans(item: str) -> list[str]:
    """The raw text of each span an item's author set in bold or as code, in order."""
    return [m.group(1) or m.group(2) for m in _STRESSED.finditer(item)] if "*" in item or "`" in item else []


def named_item(item: str) -> re.Match | None:
    """(name, what it says) of an item that names something, else None; a name's other name in brackets after its
    colon is part of it ("Kernel mode: (Supervisor Mode): Allowing …" names "Kernel mode (Supervisor Mode)")."""
    item = _ALIASED.sub(r"\1 \2:", item, count=1)
    if (m := _LABEL.match(item)) and not _open(m.group(1)):
        return m
    m = _DASHED.match(item) or _DASHED_COMMAND.match(item) or _HYPHENED_COMMAND.match(item)
    return m if m and len(m.group(1).split()) <= DASHED_NAME_WORDS else None


# an exam objective's number in front of an item of an outline ("4b `terraform taint` - …", "1 - Understand IaC"):
# no learner says it, and "4b" is no part of the name
_OBJECTIVE_NUMBER = re.compile(r"^\d{1,2}(?:[a-h](?:\s*+[-–—:.])?|\s*+[-–—])\s++(?=[A-Za-z`*_])")


def unnumbered(item: str) -> str:
    return _OBJECTIVE_NUMBER.sub("", item, count=1)


def unlinked(entries: list[tuple[int, str]], links: list[bool]) -> list[tuple[int, str]]:
    """A list's (indent, text) entries without those that are a link and nothing else (``links``): further reading
    ("[Introduction to Sentinel](…)"), whose title had answered "What is Sentinel?" by itself — unless one heads entries
    nested under it ("[Install Terraform](…)" over the steps), whose name it is."""
    return [e for n, (e, link) in enumerate(zip(entries, links))
            if not link or n + 1 < len(entries) and entries[n + 1][0] > e[0]]


def _open(name: str) -> bool:
    """Whether a name leaves code or a bracket open, so that its colon is inside them ("Use a `for` expression
    (`[for inst in aws_instance.web : inst.id]`)")."""
    return name.count("`") % 2 == 1 or name.count("(") > name.count(")") or name.count("[") > name.count("]")


# A head of many words over several points ("what all things we can do with load balancer" over eight) leads into
# points that each say a thing of their own: joined into one item, each was lost in the rest (a learner's question
# about sticky sessions, one of the eight, was refused as not covered)
LEAD_WORDS = 5
LEAD_POINTS = 3


def nested_items(entries: list[tuple[int, str]]) -> list[tuple[str, str]]:
    """The items of a bullet list given as (indent, text), each with the name of the item it hangs under ("" at the
    top): a name with indented points under it ("Azure Functions" / "serverless, event-driven code") is one item,
    "name: point; point"; points that name things themselves ("Blob: objects") or, under a question, choose one
    ("Containerized?" / "Web app? -> Cloud Run") stay items of their own, each under
    the nearest item above it that is indented less ("Accuracy - …" under "Binary classification evaluation
    metrics", "Regression - …" under "Supervised ML"), as does every item of a flat list."""
    top = min((indent for indent, _ in entries), default=0)
    groups: list[tuple[str, list[tuple[int, str]]]] = []
    for indent, text in _folded(entries):
        if indent > top and groups:
            groups[-1][1].append((indent, text))
        else:
            groups.append((text, []))
    # a label several items share names a kind, not the thing ("Token Type: Batch" beside "Token Type: Service"): the
    # points under such an item are said of its value, the kind in brackets ("Batch (Token Type)", also "Batch")
    labels = Counter(m.group(1).strip() for head, points in groups if points and (m := named_item(head)))

    def name(item: str) -> str:
        kind = named_item(item)
        if not (kind and labels[kind.group(1).strip()] > 1):
            return item_name(item)
        value = kind.group(2).strip().rstrip(".:")
        return f"{value} ({kind.group(1).strip()})" if len(value.split()) <= KIND_VALUE_WORDS else item.strip()

    items: list[tuple[str, str]] = []
    for head, points in groups:
        if points and ":" not in head and not any(named_item(p) or head.rstrip().endswith("?") and len(
                ARROW.split(p)) == 2 for _, p in points) and not (_leads_in(head) and len(points) >= LEAD_POINTS) \
                and not _heads_names(points):
            items.append((f"{head}: {'; '.join(p.rstrip('.;') for _, p in points)}", ""))
            continue
        items.append((head, ""))
        above = [(top, name(head))]  # the items a point may hang under, outermost first
        for indent, point in points:
            while len(above) > 1 and above[-1][0] >= indent:
                above.pop()
            items.append((point, above[-1][1]))
            above.append((indent, name(point)))
    return items


def _heads_names(points: list[tuple[int, str]]) -> bool:
    """Whether points nested under an item include short names that head points of their own ("Consumer Types" /
    "Enhanced fan-out consumer - push" / "Latency ~70 ms"): the item is then no name with a few points, and its
    names stay apart (a long head over a numbered list stays joined: "Dynamic threat identification, …" / "1. …")."""
    return any(nxt[0] > indent and name_words(text) <= LEAD_WORDS for (indent, text), nxt in zip(points, points[1:]))


def name_words(name: str) -> int:
    """How many words a name has outside brackets and dashes ("Shared (classic) fan-out consumer - pull": 5)."""
    return len([w for w in BRACKETED.sub(" ", name).split() if w not in ("-", "–", "—")])


def _leads_in(head: str) -> bool:
    """Whether a head is a phrase that leads into points, not a name: more than ``LEAD_WORDS`` words outside brackets,
    two of them in lower case and of four letters or more ("what all things we can do with load balancer"; not
    "PASTA / Process for Attack Simulation and Threat Analysis")."""
    words = BRACKETED.sub(" ", head).split()
    return len(words) > LEAD_WORDS and sum(w.islower() and len(w) >= 4 for w in words) >= 2


def _folded(entries: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Entries with each label that heads a sub-list of plain points, below the top of the list, made one item with
    them ("**CTR** (Counter):" / "blocks XOR'd with a counter; …" under "DES": "CTR (Counter): blocks XOR'd …"), so
    that a list's nested names stay apart rather than run together into their parent."""
    top = min((indent for indent, _ in entries), default=0)
    out: list[tuple[int, str]] = []
    i = 0
    while i < len(entries):
        indent, text = entries[i]
        j = i + 1
        while j < len(entries) and entries[j][0] > indent:
            j += 1
        points = entries[i + 1:j]
        if indent > top and text.rstrip().endswith(":") and points and len({d for d, _ in points}) == 1 and \
                not any(named_item(p) for _, p in points):
            out.append((indent, f"{text.rstrip().rstrip(':')}: {'; '.join(p.rstrip('.;') for _, p in points)}"))
            i = j
            continue
        out.append((indent, text))
        i += 1
    return out


def item_name(item: str) -> str:
    """The name an item goes by for the items nested under it: the name it defines, else its text."""
    return m.group(1).strip() if (m := named_item(item)) else item.strip().rstrip(":")


# A line of a fence that gives a property of something ("Failover:  Automatic (1-2 min)", "- Max memory: 10 GB"): a
# capitalised key, a colon and a value (a manifest's keys are lower case: "apiVersion: v1")
_KEY_VALUE = re.compile(r"^[-*•]?\s*([A-Z][\w /&().+-]{0,30}?):\s+(\S.*)$")
CARD_LINES = 2
_LABEL_LINE = re.compile(r"^[A-Z][\w /&().+-]{0,30}:$")  # "S3:" over its items in an outline
_ITEM_LINE = re.compile(r"^(?:[-*•]|\d{1,2}[.)])\s+(\S.*)$")


def fence_list(language: str, body: list[str]) -> tuple[list[str], list[str], bool] | None:
    """A text fence that is a list: (items, the name each is nested under, whether it is a card of properties). A card
    is all "Key: value" lines at one indent ("Purpose: High availability" / "Failover: Automatic (1-2 min)" under "###
    Multi-AZ"); an outline is labels each over its items ("S3:" / "- SSE-S3 (AWS manages keys)" / "EBS:" / …)."""
    lines = [line.strip() for line in body if line.strip()]
    if language not in _TEXT_FENCES or len(lines) < CARD_LINES:
        return None
    found = [_KEY_VALUE.match(line) for line in lines]
    if all(found) and len({len(x) - len(x.lstrip()) for x in body if x.strip()}) == 1:
        return [f"{m.group(1).strip()}: {m.group(2).strip()}" for m in found], [], True
    entries = [(0, line) if _LABEL_LINE.match(line) else (2, m.group(1)) if (m := _ITEM_LINE.match(line)) else None
               for line in lines]
    if None in entries or entries[0][0] or all(indent == 0 for indent, _ in entries):
        return None
    nested = nested_items(entries)
    return [text for text, _ in nested], [under for _, under in nested], False


# A fence read as a decision tree or arrow list: one tagged as text or not at all (a "# Swap staging → production"
# comment of a bash fence is no rule, and had cost the fence its commands), with at least TREE_ITEMS arrows (one
# arrow of a drawing, "v1.0 ──► 100% traffic", is a flow, not a decision).
_TEXT_FENCES = frozenset({"", "text", "txt", "plaintext", "plain", "markdown", "md", "ascii", "tree", "none"})
TREE_ITEMS = 2


def fence_tree(language: str, lines: list[tuple[int, str]]) -> list[str]:
    """The items of a fence's decision tree (``tree_items``), or none when the fence is code or a drawing."""
    items = tree_items(lines) if language in _TEXT_FENCES else []
    return items if len(items) >= TREE_ITEMS else []


def tree_items(lines: list[tuple[int, str]]) -> list[str]:
    """The "situation → choice" lines of an ASCII decision tree or arrow list in a code fence, each with the
    question of the branch it hangs from ("Need a database? relational → Azure SQL"). A branch whose answer hangs
    under it as an action ("├── Multi-region DR" / "└── Use Site Recovery for failover") is a rule too, the action
    its choice — with what it brings, when an arrow follows the action ("Use Availability Set → 99.95% SLA")."""
    items: list[str] = []
    parents: list[tuple[int, str]] = []  # (indent, text) of lines without an arrow: the questions asked
    for i, (indent, text) in enumerate(lines):
        while parents and parents[-1][0] >= indent:
            parents.pop()
        ask = parents[-1][1].rstrip(":") if parents else ""
        leaf = i + 1 == len(lines) or lines[i + 1][0] <= indent
        parts = ARROW.split(text)
        if len(parts) == 2 and parts[0] and parts[1]:
            left = parts[0].strip().rstrip(":")
            if ask and leaf and _ACTION.match(left):
                items.append(f"{_branch(parents)} → {_without_verb(left)} — {parts[1].strip()}")
                continue
            situation = f"{ask} {left}" if ask and ask.lower() not in left.lower() else left
            items.append(f"{situation} → {parts[1].strip()}")
        elif len(parts) == 1:
            if ask and leaf and _ACTION.match(text):
                items.append(f"{_branch(parents)} → {_without_verb(text)}")
            else:
                parents.append((indent, text))
    return items


def _without_verb(action: str) -> str:
    """What an action line chooses ("Use Azure Site Recovery for failover" → "Azure Site Recovery for failover")."""
    return action[_ACTION.match(action).end():].strip()


def _branch(parents: list[tuple[int, str]]) -> str:
    """The situation of a leaf: its branch, after the question the branch answers ("Need HA for VMs? Multi-region
    DR")."""
    texts = [t.rstrip(":") for _, t in parents[-2:]]
    return " ".join(texts) if len(texts) < 2 or texts[0].lower() not in texts[1].lower() else texts[1]
