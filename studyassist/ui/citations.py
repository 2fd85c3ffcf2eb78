"""Citations shown as the review's own table (or list) with the cited row highlighted."""
from __future__ import annotations

import streamlit as st

from studyassist.answer.types import Citation
from studyassist.knowledge.model import KnowledgeBase, Rule, Table
from studyassist.ui.markup import md_escape

MARK = "➤"


def table_markdown(table: Table, highlight: int | None = None, rows: list[int] | None = None) -> str:
    """A markdown table of ``table``; row number ``highlight`` (1-based) is marked and bold."""
    head = "| # | " + " | ".join(md_escape(c) for c in table.columns) + " |"
    lines = [head, "|" + "---|" * (len(table.columns) + 1)]
    for n, row in enumerate(table.rows, start=1):
        if rows is not None and n not in rows:
            continue
        cells = [md_escape(c) for c in row]
        if n == highlight:
            lines.append(f"| **{MARK}\u00a0{n}** | " + " | ".join(f":orange-background[**{c}**]" if c else ""
                                                             for c in cells) + " |")
        else:
            lines.append(f"| {n} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def list_rules(kb: KnowledgeBase, section: str) -> list[Rule]:
    """The bullet items and trap lines of one section, in document order."""
    return sorted((r for r in kb.rules if r.table is None and r.section == section),
                  key=lambda r: (r.kind == "trap", r.row))


def list_markdown(rules: list[Rule], highlight: str | None = None) -> str:
    lines = []
    for r in rules:
        text = f"{md_escape(r.choice)}: {md_escape(r.situation)}" if r.situation else md_escape(r.choice)
        if r.kind == "trap":
            text = f"*Trap* — {md_escape(r.situation or r.choice)}"
        lines.append(f"- **{MARK} :orange-background[{text}]**" if r.id == highlight else f"- {text}")
    return "\n".join(lines)


def cited_markdown(kb: KnowledgeBase, rule_id: str) -> str:
    """The cited row within its table, or the cited item within its list."""
    rule = kb.rule(rule_id)
    if rule.table:
        return table_markdown(kb.table(rule.table), highlight=rule.row)
    return list_markdown(list_rules(kb, rule.section), highlight=rule.id)


def label(n: int, c: Citation) -> str:
    where = c.table or c.section.split(" > ")[-1]
    return f"[{n}] {md_escape(where)} — {'row' if c.table else 'item'} {c.row}"  # an expander label is markdown


def show(kb: KnowledgeBase, citations: list[Citation]) -> None:
    """One expander per citation, numbered like the answer's [n] markers."""
    for n, c in enumerate(citations, start=1):
        with st.expander(label(n, c)):
            st.caption(f"{md_escape(c.section)} · {md_escape(c.id)}")
            if kb.has_rule(c.id):
                st.markdown(cited_markdown(kb, c.id))
            else:  # the index changed since the answer was given
                st.markdown(md_escape(c.text))
