"""How a rule reads in an answer: a cell as the end of a sentence, what a rule says after its label, a passage's
first sentences."""
from __future__ import annotations

import re

from studyassist.answer.types import Claim, Composed
from studyassist.knowledge.model import Rule
from studyassist.text import key_terms, normalize, sentences
from studyassist.text import sentence_part as _lc


def _sentence(text: str) -> str:
    """A cell as the end of a sentence: a question keeps its question mark, anything else gets a period."""
    t = _lc(text)
    return t if t.endswith("?") else f"{t}."


# A passage is quoted up to the sentence that reaches this many words.
PASSAGE_WORDS = 80


# The most words in every cell of a row said whole, each under its column (a row of attributes, not of sentences).
ATTRIBUTE_WORDS = 4


def attribute_cells(rule: Rule, chosen: str | None) -> str | None:
    """A row of short cells said whole, each under its column but the ``chosen`` one ("Binary: Yes; Orientation:
    Row; Schema defined: Yes" for AVRO); None for a row with one other cell or a sentence in one."""
    cells = [(k.strip().rstrip("?:."), v.strip().rstrip(".")) for k, v in rule.cells.items()
             if k != chosen and v.strip(" —-")]
    if len(cells) < 2 or any(len(v.split()) > ATTRIBUTE_WORDS for _, v in cells):
        return None
    return "; ".join(f"{k}: {v}" for k, v in cells)


def _said(rule: Rule, label: str) -> str:
    """What a rule says after its label: its situation (every other cell, under its column, for a row of short
    attributes, whose situation alone is one bare value: "AVRO — yes."), or for a list item with no separator
    (labelled by its lead, "Serverless, event-driven code (triggered by …)") the rest of its text; for a row comparing
    sides, what it says of the side ``label`` names, then of the others ("output: validated code, … (Azure ML
    pipeline: metrics, model artifacts, lineage, outputs)."), not its situation alone ("output.")."""
    if rule.sides and rule.situation and not rule.fix_side:
        named = [s for s in rule.sides if s.label.lower() == label.lower()] or list(rule.sides[:1])
        others = "; ".join(f"{s.label}: {_lc(s.text.rstrip('.'))}" for s in rule.sides if s is not named[0])
        return f"{_lc(rule.situation)}: {_lc(named[0].text.rstrip('.'))}" + (f" ({others})." if others else ".")
    chosen = next((k for k, v in rule.cells.items() if v.strip() == rule.choice.strip()), None)
    if rule.situation and chosen and (attributes := attribute_cells(rule, chosen)):
        return f"{attributes}."
    if rule.situation and _restates(rule.situation, label) and normalize(rule.choice) != normalize(label):
        return stressed(_sentence(rule.choice), rule.stressed)  # ("**Rollback** — need rollback." said nothing)
    if rule.situation:
        return stressed(_sentence(rule.situation), rule.stressed)
    rest = rule.choice.strip().rstrip(".")
    rest = rest[len(label):].lstrip(" ,;:—-") if rest.lower().startswith(label.lower()) else rest
    return f"{rest}." if rest and rest.lower() not in label.lower() else ""  # (named with its subject: said already)


_WANTING = frozenset({"need", "needs", "want", "wants", "require", "requires", "required"})


def _restates(situation: str, label: str) -> bool:
    """Whether a situation says no more than the label it leads to ("Need rollback" → "Rollback")."""
    said = set(key_terms(situation)) - _WANTING
    return bool(said) and said <= set(key_terms(label))


def passage_excerpt(text: str) -> str:
    """A paragraph's first sentences, ending at the one that reaches ``PASSAGE_WORDS`` words."""
    out: list[str] = []
    for sentence in sentences(text):
        out.append(sentence)
        if len(" ".join(out).split()) >= PASSAGE_WORDS:
            break
    excerpt = " ".join(out)
    return excerpt if excerpt.endswith((".", "!", "?")) else excerpt + "."


def stressed(text: str, spans: tuple[str, ...]) -> str:
    """``text`` with what its document set in bold set in bold again ("minimum **/26** prefix"), longest first."""
    if not spans:
        return text
    return re.sub("|".join(re.escape(s) for s in sorted(spans, key=len, reverse=True)), lambda m: f"**{m[0]}**", text)


# A situation column that says what a thing is, not when to use it ("Type | Description | Tool Examples"): "Use
# **Ring Rollout** when release to one group of users after another" would read its description as a condition.
_DESCRIBES = re.compile(r"\b(description|definition|meaning|what it is|what it does|summary|overview)\b", re.I)


def when_text(label: str, situation: str, header: str | None) -> str:
    """A row as the answer to "when do I use X?": "Use **X** when <situation>.", or, where the situation column only
    describes X, "**X** — <description>."."""
    if header and _DESCRIBES.search(header):
        return f"**{label}** — {_lc(situation)}."
    return f"Use **{label}** when {_lc(situation)}."


def when_texts(label: str, rules, kb) -> list[tuple[str, list[str]]]:
    """The rows of ``rules`` (of ``kb``) as answers to "when do I use X?" (``when_text``), each with its rule id; the
    items of lists, which say what X is or does rather than when ("Best when you need: Static IP support"), in one
    sentence: "**X** — layer 4 load balancing; best when you need: …" (stop 65's FAQ trial had "Use **ALB** when best
    when you need: …" three times)."""
    out = [(when_text(label, r.situation, r.table and kb.table(r.table).situation_header), [r.id])
           for r in rules if r.kind != "list_item"]
    if points := [r for r in rules if r.kind == "list_item"]:
        parts: list[str] = []
        for r in points:  # (points under one lead-in once: "best when you need: HTTP traffic, WebSockets")
            said, lead = _lc(r.situation).rstrip(". "), f"{_lc(r.under)}: " if r.under else ""
            if lead and said.startswith(lead) and parts and parts[-1].startswith(lead):
                parts[-1] += f", {said[len(lead):]}"
            else:
                parts.append(said)
        out.append((f"**{label}** — {'; '.join(parts)}.", [r.id for r in points]))
    return out


_NOTE_HEADINGS = (("why", "Why:"), ("reason", "Why:"), ("watch", "Watch for:"), ("trap", "Trap:"), ("wrong", "Trap:"))


def note_claims(rule: Rule) -> list[Claim]:
    """The row's Why / Watch for / Trap cells, each as a claim citing the row."""
    out = []
    for key, value in rule.notes.items():
        heading = next((h for w, h in _NOTE_HEADINGS if w in key.lower()), None)
        if heading and value:
            out.append(Claim(text=value.rstrip(".") + ".", rule_ids=[rule.id], heading=heading))
    return out


# The notes a "why" answer leads with, and how it introduces each.
_REASONS = (("Why:", "The review says why: "), ("Trap:", "The review's warning: "),
            ("Watch for:", "The review's warning: "), ("Common mistake:", "The review lists it as a common mistake: "))


def reason_first(out: Composed, found: set[str]) -> Composed:
    """``out`` with its first reason-like note moved to the front as a plain sentence: a cell of its row or a
    warning the search ``found``, not one that only names the same concept ("Putting secrets in code" is no
    reason why Contributor cannot read blobs)."""
    near = found | set(out.claims[0].rule_ids if out.claims else ())
    for heading, intro in _REASONS:
        if (i := next((i for i, c in enumerate(out.claims) if c.heading == heading and set(c.rule_ids) & near),
                      None)) is not None:
            note = out.claims.pop(i)
            out.claims.insert(0, note.model_copy(update={"heading": None, "text": intro + note.text}))
            break
    return out
