"""Structure-aware parsing of a review document into headings, paragraphs, tables, lists and flowcharts.

Handles markdown (``#`` headings, paragraphs separated by blank lines) and plain text whose
headings are bare short lines (as in the quick review in corpus/).
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

log = logging.getLogger(__name__)

_MD_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_TABLE_LINE = re.compile(r"^\s*\|")
_TABLE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_BULLET = re.compile(r"^\s*(?:[-*•+]|\d{1,2}[.)])\s+(.*\S)\s*$")
_MERMAID_START = re.compile(r"^\s*(?:flowchart|graph)\s+(?:LR|RL|TD|TB|BT)\b", re.I)
_MERMAID_LINE = re.compile(r"(-->|---|==>|-\.->|^\s*(subgraph|end|classDef|style)\b)")
_TRAP = re.compile(r"^\s*((?:common\s+)?(?:trap|mistake|pitfall))\s*:\s*(.+\S)\s*$", re.I)
_FENCE = re.compile(r"^\s*```")
_SENTENCE_END = (".", ":", "?", "!", ";", ",")


@dataclass
class Heading:
    title: str
    level: int | None  # None for a bare-line heading; levels are assigned afterwards
    line: int


@dataclass
class Paragraph:
    text: str
    line: int


@dataclass
class TableBlock:
    header: list[str]
    rows: list[list[str]]
    line: int
    problems: list[str] = field(default_factory=list)


@dataclass
class BulletList:
    items: list[str]
    line: int


@dataclass
class Flowchart:
    lines: list[str]
    line: int


@dataclass
class TrapLine:
    label: str
    text: str
    line: int


Block = Heading | Paragraph | TableBlock | BulletList | Flowchart | TrapLine


def split_cells(line: str) -> list[str]:
    """Cells of a markdown table line, honouring ``\\|`` escapes."""
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    cells = re.split(r"(?<!\\)\|", body)
    return [c.replace("\\|", "|").strip() for c in cells]


def looks_like_bare_heading(line: str) -> bool:
    """A short line with no sentence punctuation at its end, which is how plain-text headings read."""
    text = line.strip()
    if not text or text.endswith(_SENTENCE_END) or text.startswith(("|", "-", "*", "#", ">", "`")):
        return False
    words = text.split()
    return len(words) <= 14 and len(text) <= 100 and text[0].isalnum()


def _table(lines: list[tuple[int, str]]) -> TableBlock:
    rows = [split_cells(text) for _, text in lines if not _TABLE_SEPARATOR.match(text)]
    header, body = rows[0], rows[1:]
    block = TableBlock(header=header, rows=[], line=lines[0][0])
    width = len(header)
    for n, row in enumerate(body, start=1):
        if len(row) < width:
            block.problems.append(f"row {n} has {len(row)} cells, expected {width}; padded with blanks")
            row = row + [""] * (width - len(row))
        elif len(row) > width:
            block.problems.append(f"row {n} has {len(row)} cells, expected {width}; extra cells joined into the last")
            row = row[: width - 1] + [" | ".join(c for c in row[width - 1:] if c)]
        if any(row):
            block.rows.append(row)
    return block


def parse_blocks(text: str) -> list[Block]:
    """Split a document into blocks in reading order."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    markdown = any(_MD_HEADING.match(l) for l in lines)
    blocks: list[Block] = []
    i = 0
    para: list[str] = []
    para_line = 0

    def flush_para() -> None:
        nonlocal para
        if para:
            blocks.append(Paragraph(" ".join(para), para_line))
            para = []

    first_content = True
    while i < len(lines):
        raw = lines[i]
        line = raw.rstrip()
        lineno = i + 1
        if not line.strip():
            flush_para()
            i += 1
            continue
        if _FENCE.match(line):
            flush_para()
            fence_lang = line.strip()[3:].strip().lower()
            j = i + 1
            body = []
            while j < len(lines) and not _FENCE.match(lines[j]):
                body.append(lines[j].rstrip())
                j += 1
            if fence_lang == "mermaid" or (body and _MERMAID_START.match(body[0])):
                blocks.append(Flowchart(body, lineno))
            elif body:
                blocks.append(Paragraph("\n".join(body), lineno))
            i = j + 1
            continue
        if m := _MD_HEADING.match(line):
            flush_para()
            blocks.append(Heading(m.group(2).strip(), len(m.group(1)), lineno))
            first_content = False
            i += 1
            continue
        if _TABLE_LINE.match(line):
            flush_para()
            chunk = []
            while i < len(lines) and _TABLE_LINE.match(lines[i]):
                chunk.append((i + 1, lines[i].rstrip()))
                i += 1
            if any(not _TABLE_SEPARATOR.match(text) for _, text in chunk):  # a lone |---| is a rule, not a table
                blocks.append(_table(chunk))
            first_content = False
            continue
        if _MERMAID_START.match(line):
            flush_para()
            body = [line.strip()]
            i += 1
            while i < len(lines) and lines[i].strip() and _MERMAID_LINE.search(lines[i]):
                body.append(lines[i].strip())
                i += 1
            blocks.append(Flowchart(body, lineno))
            continue
        if m := _BULLET.match(line):
            flush_para()
            items = []
            while i < len(lines) and (bm := _BULLET.match(lines[i])):
                items.append(bm.group(1).strip())
                i += 1
            blocks.append(BulletList(items, lineno))
            first_content = False
            continue
        if m := _TRAP.match(line):
            flush_para()
            blocks.append(TrapLine(m.group(1).strip(), m.group(2).strip(), lineno))
            i += 1
            continue
        if not markdown and looks_like_bare_heading(line) and (first_content or _next_is_content(lines, i)):
            flush_para()
            blocks.append(Heading(line.strip(), None, lineno))
            first_content = False
            i += 1
            continue
        if markdown:
            if not para:
                para_line = lineno
            para.append(line.strip())
        else:
            blocks.append(Paragraph(line.strip(), lineno))
        first_content = False
        i += 1
    flush_para()
    return blocks


def _next_is_content(lines: list[str], i: int) -> bool:
    """A bare heading must be followed by something (not the end of the file)."""
    return any(l.strip() for l in lines[i + 1:])
