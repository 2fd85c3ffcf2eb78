"""Answer types shared by the grounded composer, the LLM path, the verifier, the CLI and the app."""
from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field

from studyassist.knowledge.model import KnowledgeBase
from studyassist.pack import Level

# The one sentence said when the review material does not cover a question (code and tests share it).
NOT_COVERED = "The review material does not cover this question, so I won't guess."

# opens a limit the review states of what the question proposes (answer/verdicts.py): an answer about what the
# question names, never shown side by side with another row
LIMIT_LEAD = "The review's limit on"


def says_not_covered(markdown: str) -> bool:
    """Whether an answer is the not-covered sentence (a note of the exam pack may follow it, beyond the review)."""
    return markdown.strip().startswith(NOT_COVERED)


class Citation(BaseModel):
    """A pointer to one row of the review: rule id, section, table title, row number and row text."""

    model_config = ConfigDict(frozen=True)

    id: str
    section: str
    table: str | None
    row: int
    text: str

    @classmethod
    def of(cls, kb: KnowledgeBase, rule_id: str) -> Citation:
        r = kb.rule(rule_id)
        table = kb.table(r.table).title if r.table else None
        return cls(id=r.id, section=r.section, table=table, row=r.row, text=r.text)


class Claim(BaseModel):
    """One sentence of an answer; ``label`` is the choice it states (if it states one)."""

    text: str
    rule_ids: list[str] = Field(default_factory=list)
    label: str | None = None
    # a sentence that contrasts two rows states one choice per cited row: ``labels[i]`` is ``rule_ids[i]``'s
    labels: list[str] | None = None
    heading: str | None = None  # markdown shown before the sentence (e.g. "Why:")
    block: str | None = None  # extra markdown rendered after it (a comparison table)
    bullet: bool = False  # shown as a list item (one row of a listed table)
    note: bool = False  # a line about the answer itself ("not sure which fits"): it states nothing of the review


@dataclass
class Composed:
    """What the grounded composer returns: the claims, the decision and the choices it weighed."""

    claims: list[Claim]
    decision: str | None
    decision_concepts: list[str]
    alternatives: list[str]
    covered: bool


class Answer(BaseModel):
    """What `ask` returns (the JSON contract is in docs/contracts.md)."""

    question: str
    answer: str
    decision: str | None
    citations: list[Citation]
    mode: str
    warnings: list[str] = Field(default_factory=list)
    latency_ms: float = 0.0
    # how sure the answer is (see answer/confidence.py): "unsure" answers show the two closest rules, no verdict
    confidence: Level = "unsure"
    probability: float | None = None  # calibrated on dev data; None without a fitted model
    claims: list[Claim] = Field(default_factory=list, exclude=True)
    concepts: list[str] = Field(default_factory=list, exclude=True)
    intent: str = Field(default="which", exclude=True)
    signals: dict[str, float] = Field(default_factory=dict, exclude=True)

    def contract(self) -> dict:
        return self.model_dump(mode="json")


def citation_order(claims: list[Claim]) -> list[str]:
    """Rule ids in the order their markers are numbered."""
    order: list[str] = []
    for c in claims:
        for rid in c.rule_ids:
            if rid not in order:
                order.append(rid)
    return order


def render(claims: list[Claim], kb: KnowledgeBase, order: list[str] | None = None) -> tuple[str, list[Citation]]:
    """Markdown with numbered citation markers, and the citations in marker order.

    Pass ``order`` (from ``citation_order`` over a larger answer) to number part of it consistently."""
    order = list(order) if order is not None else []
    for c in claims:
        for rid in c.rule_ids:
            if rid not in order:
                order.append(rid)
    lines = []
    for c in claims:
        marks = "".join(f"[{order.index(r) + 1}]" for r in c.rule_ids)
        text = f"{c.text} {marks}".rstrip()
        lines.append(f"- {c.heading} {text}" if c.heading else f"- {text}" if c.bullet else text)
        if c.block:
            lines.append(c.block)
    md = "\n".join(_paragraphs(lines))
    return md, [Citation.of(kb, r) for r in order]


def _paragraphs(lines: list[str]) -> list[str]:
    out: list[str] = []
    for line in lines:
        if out and not (line.startswith("- ") and out[-1].startswith("- ")):
            out.append("")
        out.append(line)
    return out
