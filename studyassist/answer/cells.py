"""The cell a question asks for: "how long does it take to rehydrate a blob from the archive tier?" is answered by
the Archive row, but by its "Rehydrate From Archive" cell (1–15 hrs), not by the column the row was read for (its
minimum duration, 180 days), which a learner took for the rehydration time (learner trial, stop 47)."""
from __future__ import annotations

from studyassist.answer.types import Claim
from studyassist.answer.wording import attribute_cells
from studyassist.knowledge.model import KnowledgeBase
from studyassist.text import key_terms

_EMPTY = {"", "—", "-", "–", "n/a"}


def asked_cell(kb: KnowledgeBase, claims: list[Claim], question: str) -> list[Claim]:
    """``claims`` with each one that states a table row's choice saying the cell whose column the question names
    instead of the row's situation ("**Archive** — Rehydrate From Archive: 1–15 hrs (standard)"); a claim stays as
    it is when the question names no column of its row more than the others, or names the row's own situation's."""
    return [_said(kb, c, question) for c in claims]


def _said(kb: KnowledgeBase, claim: Claim, question: str) -> Claim:
    if claim.label is None or len(claim.rule_ids) != 1 or not kb.has_rule(claim.rule_ids[0]):
        return claim
    rule = kb.rule(claim.rule_ids[0])
    if rule.table is None or rule.sides:
        return claim
    table = kb.table(rule.table)
    asked = set(key_terms(question)) - set(key_terms(f"{rule.choice} {table.columns[table.choice_column]}"))
    scored = sorted(((len(set(key_terms(column)) & asked), column) for column, value in rule.cells.items()
                     if value.strip().lower() not in _EMPTY or column == table.situation_header), reverse=True)
    if not scored or not scored[0][0] or len(scored) > 1 and scored[1][0] == scored[0][0] \
            or scored[0][1] in (table.situation_header, table.columns[table.choice_column]):
        return claim  # (the row's own situation is what it asks, or two columns are)
    if len(scored) > 1 and scored[1][0] and attribute_cells(rule, table.columns[table.choice_column]):
        return claim  # a row of attributes the question describes by several: the claim says them all
    column = scored[0][1]
    return claim.model_copy(update={"text": f"**{claim.label}** — {column}: {rule.cells[column].strip().rstrip('.')}."})
