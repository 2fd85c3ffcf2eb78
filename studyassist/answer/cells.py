"""The cell a question asks for: "how long does it take to rehydrate a blob from the archive tier?" is answered by
the Archive row, but by its "Rehydrate From Archive" cell (1–15 hrs), not by the column the row was read for (its
minimum duration, 180 days), which a learner took for the rehydration time (learner trial, stop 47)."""
from __future__ import annotations

import re

from studyassist.answer.types import Claim
from studyassist.answer.wording import attribute_cells
from studyassist.knowledge.attributes import AttributeTables, cell_mark
from studyassist.knowledge.model import KnowledgeBase, Rule
from studyassist.text import asking_part, key_terms, normalize, sentences

_EMPTY = {"", "—", "-", "–", "n/a"}
ASKED_COLUMNS = 2  # a question naming more of a row's columns as much asks for no one cell (the claim says the row)
# what a question asks for: the words after "which"/"what" ("Which IP protocol number must …", "what is the port …")
_ASKED_FOR = re.compile(r"\b(?:which|what)\s+(?:(?:is|are|was|were|does|do)\s+)?(?:the\s+)?"
                        r"((?:[\w/-]+\s+){0,3}[\w/-]+)", re.I)


def asked_cell(kb: KnowledgeBase, claims: list[Claim], question: str) -> list[Claim]:
    """``claims`` with each one that states a table row's choice saying the cell whose column the question names
    instead of the row's situation ("**Archive** — Rehydrate From Archive: 1–15 hrs (standard)"); a claim stays as
    it is when the question names no column of its row more than the others, or names the row's own situation's."""
    return [_asked_sentence(kb, _said(kb, c, question), question) for c in claims]


def asked_value(kb: KnowledgeBase, claims: list[Claim], question: str) -> str | None:
    """The cell the question asks for of the row the first claim states ("Which port must the firewall allow?" →
    "TCP 179", not "BGP"), without its emphasis; None when the question names no column of that row (above)."""
    first, asked = next((c for c in claims if c.label), None), _ASKED_FOR.findall(asking_part(question))
    found = _asked_column(kb, first, question) if first is not None and asked else None
    if found is None or not set(key_terms(found[1])) & set(key_terms(asked[-1])) or cell_mark(
            found[0].cells[found[1]]) is not None:  # ("which service …?" asks for the row's choice, though it names
        return None  # another of its columns elsewhere; "which role should you assign?" is no "❌")
    return " ".join(found[0].cells[found[1]].replace("**", "").split()).rstrip(".")


def asked_of_named(kb: KnowledgeBase, tables: AttributeTables, question: str) -> Rule | None:
    """The row a question names whose cell it asks for ("Which algorithm does EIGRP use?": the EIGRP row of
    "Protocol | Algorithm | Description"; "which port must the firewall allow for eBGP?": the BGP row of the ports
    table), when exactly one table has a row the question names, alone in it, and a column it asks for (not the
    row's name or situation) that this row fills."""
    asked = _ASKED_FOR.findall(asking_part(question))
    want = set(key_terms(asked[-1])) if asked else set()
    found = []
    for rows in tables.named if want else ():
        named = [r for r, naming in rows if naming.search(question)]
        if len(named) != 1 or (rule := named[0]).table is None:
            continue
        table = kb.table(rule.table)
        if any(set(key_terms(c)) & want and v.strip().lower() not in _EMPTY for c, v in rule.cells.items()
               if c not in (table.situation_header, table.columns[table.choice_column])):
            found.append(rule)
    return found[0] if len(found) == 1 else None


LONG_WORDS = 60  # a row said in more words than this is quoted by its sentence the question asks about
ASKED_SENTENCE_WORDS = 2  # … when that sentence, not its first, holds at least this many more of the question's words


def _asked_sentence(kb: KnowledgeBase, claim: Claim, question: str) -> Claim:
    """A claim that says a long paragraph of the notes ("**Auto Loader** — Auto Loader incrementally processes …
    (220 words)") says the sentence of it the question asks about, when that is not its first ("… you can use the
    COPY INTO SQL command to reload subsets of files while an Auto Loader stream is simultaneously running")."""
    if len(claim.rule_ids) != 1 or not kb.has_rule(claim.rule_ids[0]):
        return claim
    rule = kb.rule(claim.rule_ids[0])  # (a paragraph of prose alone is its choice: "The review says: …")
    text = rule.choice if rule.kind == "passage" else rule.situation
    if len(text.split()) <= LONG_WORDS:
        return claim
    said_in = sentences(text)
    if len(said_in) < 2 or said_in[0] not in claim.text:
        return claim  # (the claim says the paragraph from its start)
    asked = set(key_terms(asking_part(question) or question))
    said = [len(asked & set(key_terms(s))) for s in said_in]
    best = max(range(len(said_in)), key=lambda i: said[i])
    if best == 0 or said[best] - said[0] < ASKED_SENTENCE_WORDS:
        return claim
    head = claim.text.split(" — ", 1)[0] + " — " if " — " in claim.text else claim.text.split(said_in[0])[0]
    return claim.model_copy(update={"text": f"{head}… {said_in[best].rstrip('.')}."})


def _said(kb: KnowledgeBase, claim: Claim, question: str) -> Claim:
    if (found := _asked_columns(kb, claim, question)) is None:
        return claim
    rule, columns = found  # (a side of a difference is shown under its label already: "- **Rolling**: Risk: Medium.")
    named = "" if claim.heading == f"**{claim.label}**:" else f"**{claim.label}** — "
    said = "; ".join(f"{c}: {rule.cells[c].strip().rstrip('.')}" for c in columns)
    return claim.model_copy(update={"text": f"{named}{said}."})


def _asked_column(kb: KnowledgeBase, claim: Claim, question: str) -> tuple[Rule, str] | None:
    """The row ``claim`` states and the column of it ``question`` names, if it names one more than the others."""
    found = _asked_columns(kb, claim, question)
    return (found[0], found[1][0]) if found and len(found[1]) == 1 else None


def _asked_columns(kb: KnowledgeBase, claim: Claim, question: str) -> tuple[Rule, list[str]] | None:
    """The row ``claim`` states and the columns of it ``question`` names more than the others: one, or up to
    ``ASKED_COLUMNS`` it names as much ("What hello and dead intervals …?": Hello, Dead/Hold)."""
    if claim.label is None or len(claim.rule_ids) != 1 or not kb.has_rule(claim.rule_ids[0]):
        return None
    rule = kb.rule(claim.rule_ids[0])
    if rule.table is None or rule.sides:
        return None
    table = kb.table(rule.table)
    own = (table.situation_header, table.columns[table.choice_column])
    asked = set(key_terms(asking_part(question))) - set(key_terms(f"{rule.choice} {own[1]}"))
    scored = sorted(((len(set(key_terms(column)) & asked), column) for column, value in rule.cells.items()
                     if value.strip().lower() not in _EMPTY or column == table.situation_header), reverse=True)
    top = [c for n, c in scored if scored[0][0] and n == scored[0][0]]
    if not top or len(top) > ASKED_COLUMNS or set(top) & set(own):
        return None  # (the row's own situation is what it asks, or too many columns are)
    if (len(top) > 1 or len(scored) > 1 and scored[1][0]) and attribute_cells(rule, own[1]):
        return None  # a row of attributes the question describes by several: the claim says them all
    return rule, top


def own_column_asked(kb: KnowledgeBase, concepts: list[str], question: str, table: str) -> bool:
    """Whether ``question``, whose "which …" noun names a column of ``table``, names a thing that table says nothing
    of (not under its heading, in no row) whose own row has a column of that noun ("Which tools go with a shadow
    deployment?": the Shadow row's "Tool Examples", not the table of IaC tools; "Which Cosmos DB API …?": the APIs)."""
    asked, theirs = set(key_terms(question)), kb.rules_of(table)
    rows = [kb.rule(r) for c in concepts for r in kb.concept(c).choice_of if kb.has_rule(r)]
    if not rows or any(c in r.concepts or normalize(kb.concept(c).label) in normalize(r.section)
                       for c in concepts for r in theirs):
        return False
    return any(set(key_terms(h)) & asked for r in rows if r.table for h in list(r.cells)[1:])


_ASKING_WORDS = frozenset({"what", "whats", "which", "mean", "means", "tell", "explain"})  # (no words of a point)


def asked_point(rules: list[Rule], hits, question: str, name: str) -> Rule:
    """Which of a thing's points answers "what's the throughput limit of X?" (or "and for X?" after it: ``question``
    holds the question before): the one found first whose words hold a word of the question besides the thing's name
    ("Attributes: Unlimited throughput …" of a standard queue, not its first point, "Oldest offer"); the first rule
    when the question names nothing but the thing."""
    asked = set(key_terms(question)) - set(key_terms(name)) - _ASKING_WORDS
    if not asked or len(rules) < 2:
        return rules[0]
    order = {h.rule.id: i for i, h in enumerate(hits) if h.rule is not None}  # (found first, else in its order)
    saying = [(order.get(r.id, len(order) + i), r) for i, r in enumerate(rules) if asked & set(key_terms(r.situation))]
    return min(saying, key=lambda found: found[0])[1] if saying else rules[0]
