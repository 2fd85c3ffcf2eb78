"""Structure-aware parsing of a review document into headings, paragraphs, tables, lists and flowcharts.

Handles markdown (``#`` headings, paragraphs separated by blank lines) and plain text whose headings are bare short
lines (as in the quick review in corpus/)."""
from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass, field

from ingest.cards import card
from ingest.commands import HEADER as COMMAND_HEADER
from ingest.commands import command_rows, comment_notes, is_step
from ingest.lines import BULLET, FENCE, item_line, opens_code, resumed
from ingest.lists import drawn, fence_list, fence_tree, nested_items, stressed_spans, unlinked, unnumbered

log = logging.getLogger(__name__)

# Patterns that run on every line of a document never let two unbounded quantifiers over the same characters meet
# ("\s*\|?\s*", "\s+(.*\S)"): a line of thousands of spaces would make them backtrack for minutes. Their runs are
# possessive (``*+``, ``++``), which gives the same matches here because what follows a run cannot start inside it.
_TABLE_LINE = re.compile(r"^\s*\|")  # (a delimiter cell below is any run of hyphens: "| -- | -- |" is one too)
_TABLE_SEPARATOR = re.compile(r"^\s*+\|?+\s*+:?+-++:?+\s*+(?:\|\s*+:?+-++:?+\s*+)*+\|?+\s*+$")
_MERMAID_START = re.compile(r"^\s*(?:flowchart|graph)\s+(?:LR|RL|TD|TB|BT)\b", re.I)
_MERMAID_LINE = re.compile(r"(-->|---|==>|-\.->|^\s*(subgraph|end|classDef|style)\b)")
# the text after the colon needs two characters, the last not a space; its leading spaces are stripped by the caller
_TRAP = re.compile(r"^\s*+((?:common\s++)?(?:trap|mistake|pitfall))\s*+:(.+\S)\s*$", re.I)
_SENTENCE_END = (".", ":", "?", "!", ";", ",")
_FRONT_MATTER = {"---": "---", "+++": "+++"}  # YAML / TOML front matter opens the file and closes with its marker
FRONT_MATTER_LINES = 80  # a front matter longer than this is not one
_ATTRIBUTE_LINE = re.compile(r"^\s*\{:[^}]*\}\s*$")  # kramdown's "{: .no_toc }"
_INLINE_ATTRIBUTES = re.compile(r"\{:[^}\n]{0,200}\}")  # … and its "{: .btn }" after a link
_ADMONITION = re.compile(r"^\s*:::+\s*([A-Za-z][\w-]*)?")
_ALERT = re.compile(r"^\s*>\s*\[!([A-Za-z]+)\]")
_QUOTE = re.compile(r"^\s*>\s?")
# Admonition kinds that warn: their lines are traps.
WARNING_KINDS = frozenset("warning caution danger trap traps pitfall pitfalls important mistake mistakes".split())
# Markdown inside a cell or an item: kept as its text (emphasis, code, links, html's own tags, not "<address>" in
# "terraform import <address> <id>"; inside code nothing is a tag); images dropped. (Possessive: what follows each run
# cannot start inside it, so giving characters back never helps and is not tried.)
_IMAGE = re.compile(r"!\[([^\]\n]{0,200}+)\]\([^)\n]{0,500}+\)")
_LINK = re.compile(r"\[([^\]\n]{1,200}+)\]\([^)\n]{0,500}+\)")
_ONLY_LINK = re.compile(r"[*_]{0,2}\[[^\]\n]{1,200}+\]\([^)\n]{0,500}+\)[*_]{0,2}")
# bold, strike-through, then italics; an underscore inside a word (snake_case) is not emphasis
_EMPHASIS = (re.compile(r"\*\*(?=\S)([^*\n]{1,300}?)\*\*"), re.compile(r"~~(?=\S)([^~\n]{1,300}?)~~"),
             re.compile(r"(?<![\w*])\*(?=\S)([^*\n]{1,300}?)\*(?![\w*])"),
             re.compile(r"(?<!\w)__?(?=\S)([^_\n]{1,300}?)__?(?!\w)"))
_CODE = re.compile(r"`([^`\n]{1,200})`")
_KEPT = re.compile("\ue000(\\d+)\ue001")  # where a code span was set aside
_TAG = re.compile(r"</?(?:a|abbr|b|big|blockquote|br|center|cite|code|dd|del|details|div|dl|dt|em|font|h[1-6]|hr|i|"
                  r"img|ins|kbd|li|mark|ol|p|pre|q|s|small|span|strike|strong|sub|summary|sup|table|tbody|td|tfoot|"
                  r"th|thead|tr|tt|u|ul|wbr)(?![\w.-])(?:\s[^<>\n]{0,200})?/?>", re.I)
_MARKUP = re.compile(r"[\[`<*_~]")  # each pattern above needs one of these characters
_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+.!~|<>-])")  # a character markdown escapes ("\~500 ms" is "~500 ms")
# A paragraph that opens with a bolded name and goes on to say what it is ("**Conditional Access** evaluates …"),
# unless the bold is an aside's label ("**Note:** …"), a sentence ("**Not for secrets.** Use …") or "**A** and …"
_BOLD_TERM = re.compile(r"\*\*([^*\n]{2,60}?)(?<![.!])\*\*\s++(?:[:–—-]\s++)?(?!(?:and|or|&)\s)(\S.{10,})$")
_ASIDES = {"note", "tip", "important", "warning", "caution", "example", "exam tip", "remember", "key point", "hint",
           "rule", "reference", "references", "docs", "source", "see also", "summary", "exam trap", "common exam trap"}
_CHECKBOX = re.compile(r"^\[[ xX]\]\s+")  # a task-list item's "[ ]"
_CELL_BORDER = re.compile(r"(?<!\\)\|")  # a "|" that is not escaped
# Size limits, so that a hostile or broken file costs seconds and megabytes, not hours and gigabytes: a document keeps
# its first MAX_LINES lines (the review has 309; each can become a rule of a few kilobytes); a line, a table cell, and a
# paragraph or code block, its first MAX_TEXT_CHARS characters (the review's longest line has 327; more only slows
# matching and embedding); a table its first MAX_COLUMNS columns (a million "|" would pad every row to a million cells).
MAX_LINES, MAX_TEXT_CHARS, MAX_COLUMNS = 20_000, 20_000, 50
MAX_ROW_PROBLEMS = 5  # a table reports this many rows of the wrong width, then how many more there are


@dataclass
class Cuts:
    """Where a document was cut to the size limits."""
    long: list[int] = field(default_factory=list)  # lines where a line, cell or paragraph was cut
    total_lines: int = 0  # the document's length in lines, when only its first MAX_LINES were read


@dataclass
class Heading:
    title: str
    level: int | None  # None for a bare-line heading; levels are assigned afterwards
    line: int


@dataclass
class Paragraph:
    text: str
    line: int
    prose: bool = True  # False for a code block or a task list: searchable text, never a definition


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
    under: list[str] = field(default_factory=list)  # per item, the name of the item it is nested under ("" at the top)
    stressed: dict[str, list[str]] = field(default_factory=dict)  # a line's text → its bold or code ("**P2**")
    card: bool = False  # a fence of "Key: value" lines: properties of what its section names


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


def plain(text: str) -> str:
    """Markdown inline formatting reduced to its text: emphasis, code and html tags dropped, a link to its text, an
    image dropped (a cell cannot show it, its address is something a browser would fetch), leading emoji removed."""
    if _MARKUP.search(t := text):  # most cells have no markup: a row of a million "|" is a million empty cells
        t = _LINK.sub(lambda m: m.group(1), _IMAGE.sub(" ", t)) if "](" in t else t  # (no "](": no costly scans)
        code = _CODE.findall(t := t.replace("\ue000", ""))  # code is literal: set aside while emphasis goes
        t = "".join(f"\ue000{i // 2}\ue001" if i % 2 else _TAG.sub(" ", p) for i, p in enumerate(_CODE.split(t)))
        for pattern in _EMPHASIS * 2:  # "***x***" and "**_x_**" nest once; "**Splat (`*`)**" is "Splat (*)"
            t = pattern.sub(lambda m: m.group(1), t)
        t = _KEPT.sub(lambda m: code[int(m.group(1))], t) if code else t
    return " ".join(_without_leading_symbols(_ESCAPED.sub(r"\1", t) if "\\" in t else t).split())


def _without_trailing_marks(text: str) -> str:
    """``text`` without the symbols after its last word or sentence mark ("Good luck on the exam! 🎯" ends in "!"),
    in one pass from the end (a pattern like "[^\\w.!?]+$" is quadratic on a long run of symbols)."""
    end = len(text)
    while end and not (text[end - 1].isalnum() or text[end - 1] in "_.!?"):
        end -= 1
    return text[:end]


def md_heading(line: str) -> tuple[int, str] | None:
    r"""(level, title) of a `` ## Title ##`` line (up to three spaces in), or None; one pass (a regex is quadratic)."""
    line = line.lstrip(" ") if len(line) - len(line.lstrip(" ")) <= 3 else line
    level = len(line) - len(line.lstrip("#"))
    rest = line[level:]
    body = rest.lstrip()
    if not 1 <= level <= 6 or len(body) == len(rest):
        return None
    if not body:  # only spaces after the marks: the regex gives its last space as the title
        return (level, "") if len(rest) >= 2 else None
    # the shortest title that leaves only spaces and closing marks behind, and at least one character
    end = max(len(body.rstrip().rstrip("#").rstrip()), 1)
    return level, body[:end].strip()


def _without_leading_symbols(text: str) -> str:
    """``text`` without the emoji or symbol marks it opens with ("✅ Correct answer"); quotes and brackets stay."""
    t = text.strip()
    i = 0
    while i < len(t) and (unicodedata.category(t[i]) == "So" or t[i] in "\ufe0f\u200d" or t[i].isspace()):
        i += 1
    return t[i:] if i < len(t) else t


def split_cells(line: str) -> list[str]:
    """Cells of a markdown table line, as plain text; a "|" escaped or in code ("`||`", as meant; GFM splits) stays."""
    body = line.strip()
    body = _CODE.sub(lambda m: _CELL_BORDER.sub(r"\\|", m.group(0)), body) if "`" in body else body
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    return [plain(c.replace("\\|", "|").strip()) for c in _CELL_BORDER.split(body)]


def front_matter_end(lines: list[str]) -> int:
    """How many lines of YAML (``---``) or TOML (``+++``) front matter open the document (0 without)."""
    if not lines or lines[0].strip() not in _FRONT_MATTER:
        return 0
    marker = _FRONT_MATTER[lines[0].strip()]
    for j in range(1, min(len(lines), FRONT_MATTER_LINES)):
        if lines[j].strip() == marker:
            return j + 1
    return 0


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
    block = TableBlock(header=header[:MAX_COLUMNS], rows=[], line=lines[0][0])
    if len(header) > MAX_COLUMNS:
        block.problems.append(f"has {len(header)} columns; only the first {MAX_COLUMNS} are kept")
    width, wrong = len(block.header), 0
    for n, row in enumerate(body, start=1):
        if len(row) != width:
            wrong += 1
        if len(row) < width:
            if wrong <= MAX_ROW_PROBLEMS:
                block.problems.append(f"row {n} has {len(row)} cells, expected {width}; padded with blanks")
            row = row + [""] * (width - len(row))
        elif len(row) > width:
            if wrong <= MAX_ROW_PROBLEMS:
                block.problems.append(f"row {n} has {len(row)} cells, expected {width}; extra cells joined into "
                                      "the last")
            row = row[: width - 1] + [" | ".join(c for c in row[width - 1:] if c)]
        if any(row):
            block.rows.append(row)
    if wrong > MAX_ROW_PROBLEMS:
        block.problems.append(f"{wrong - MAX_ROW_PROBLEMS} more rows have the wrong number of cells")
    return block


def _cut_long_lines(lines: list[str], cuts: Cuts) -> None:
    """``lines`` within MAX_LINES lines of MAX_TEXT_CHARS characters (for a table row, cells of that many and at most
    MAX_COLUMNS of them, the rest in one more), cut in place; what was cut noted in ``cuts``."""
    if len(lines) > MAX_LINES:
        cuts.total_lines = len(lines)
        del lines[MAX_LINES:]
    for n, line in enumerate(lines):
        if len(line) > MAX_TEXT_CHARS:
            if _TABLE_LINE.match(line):
                pieces = _CELL_BORDER.split(line, maxsplit=MAX_COLUMNS + 1)  # what is before the first "|" too
                lines[n] = "|".join(piece[:MAX_TEXT_CHARS] for piece in pieces)
            else:
                lines[n] = line[:MAX_TEXT_CHARS]
            if len(lines[n]) < len(line):
                cuts.long.append(n + 1)


def _capped(text: str, line: int, cuts: Cuts) -> str:
    """``text`` within MAX_TEXT_CHARS; where it was cut is noted in ``cuts``."""
    if len(text) <= MAX_TEXT_CHARS:
        return text
    cuts.long.append(line)
    return text[:MAX_TEXT_CHARS]


def parse_blocks(text: str, cuts: Cuts | None = None) -> list[Block]:
    """Split a document into blocks in reading order. Text past the size limits is cut off (and noted in ``cuts``);
    a table's extra columns are among its ``problems``."""
    cuts = cuts if cuts is not None else Cuts()
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    _cut_long_lines(lines, cuts)
    markdown = any(md_heading(l) for l in lines)
    last_content = next((n for n in range(len(lines) - 1, -1, -1) if lines[n].strip()), -1)
    blocks: list[Block] = []
    i, para, para_line = front_matter_end(lines), [], 0

    def flush_para() -> None:
        nonlocal para
        if para and (qa := card(para)):  # "**Question**: … / **Correct Answer**: …" lines: a one-row table
            blocks.append(TableBlock(qa[0], [[plain(c) for c in qa[1]]], para_line))
            para = []
        if para:
            text = _capped(" ".join(para), para_line, cuts)
            term = _BOLD_TERM.match(_without_leading_symbols(text))
            if term and term.group(1).strip(" :").lower() not in _ASIDES:  # "**Conditional Access** evaluates …"
                blocks.append(BulletList([f"{plain(term.group(1)).rstrip(':')}: {plain(term.group(2))}"], para_line))
            else:
                bare = _INLINE_ATTRIBUTES.sub(" ", text)
                # a line of links ("← Previous | Back to Index") or a sign-off ("Good luck on the exam!") is no prose
                said = _without_trailing_marks(plain(_LINK.sub(" ", bare)))
                prose = len(said.split()) >= 4 and not said.endswith("!")
                blocks.append(Paragraph(plain(bare), para_line, prose=prose))
            para = []

    first_content = True
    while i < len(lines):
        raw = lines[i]
        line = raw.rstrip()
        lineno = i + 1
        if not line.strip() or _ATTRIBUTE_LINE.match(line):
            flush_para()
            i += 1
            continue
        if (m := _ADMONITION.match(line)) or (m := _ALERT.match(line)):
            flush_para()
            i = _note_block(lines, i, m.group(1) or "", blocks, cuts)
            continue
        if _QUOTE.match(line):  # a plain quote ("> 💡 When to use crictl: …", "> - item") is read as if unquoted
            j = i  # (each of its lines, every level at once)
            while j < len(lines) and _QUOTE.match(lines[j]):
                lines[j], j = re.sub(r"^\s*+(?:>\s?)++", "", lines[j]), j + 1
            continue
        if f := opens_code(line):
            flush_para()
            opener, fence_lang = f.group(1), f.group(2).strip().lower()
            j, body = i + 1, []  # ("```shell" inside does not close it: Linux+ notes had lost every rule after it)
            while j < len(lines) and not ((c := FENCE.match(lines[j])) and len(c.group(1)) >= len(opener)
                                          and not c.group(2).strip()):
                body.append(lines[j].rstrip())
                j += 1
            if fence_lang == "mermaid" or (body and _MERMAID_START.match(body[0])):
                blocks.append(Flowchart(body, lineno))
            elif listed := fence_list(fence_lang, [plain(line) for line in body]):  # a card or an outline
                blocks.append(BulletList(listed[0], lineno, listed[1], card=listed[2]))
            elif items := fence_tree(fence_lang, [(at, text) for at, rest in drawn(body) if (text := plain(rest))]):
                blocks.append(BulletList(items, lineno))
            elif rows := command_rows(body):
                blocks.append(TableBlock(header=list(COMMAND_HEADER), rows=rows, line=lineno))
            elif notes := comment_notes(body):  # ("# Persistent storage" / "# $HOME is persistent (5GB)")
                blocks.append(BulletList(notes, lineno))
            elif body:
                code = _capped("\n".join(body), lineno, cuts)  # an image or link in it is no address to fetch
                blocks.append(Paragraph("\n".join(plain(t) for t in code.split("\n")), lineno, prose=False))
            i = j + 1
            continue
        if heading := md_heading(line):
            flush_para()
            blocks.append(Heading(plain(heading[1]) or heading[1], heading[0], lineno))  # ("### ✅ **Key Benefits**")
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
            body, i = [line.strip()], i + 1
            while i < len(lines) and lines[i].strip() and _MERMAID_LINE.search(lines[i]):
                body.append(lines[i].strip())
                i += 1
            blocks.append(Flowchart(body, lineno))
            continue
        if m := BULLET.match(line):
            flush_para()
            entries, boxes, links, stressed = [], 0, [], {}
            while i < len(lines):
                i = resumed(lines, i, entries[0][0], entries[-1][0]) if entries and not lines[i].strip() else i
                if not (bm := item_line(lines[i])):  # (the list goes on past blank lines to points nested deeper)
                    break
                raw = unnumbered(bm.group(1))  # (an exam objective's number in front: "4b `terraform taint` - …")
                item, stressed = plain(raw), stressed | {plain(raw): stressed_spans(raw)}
                boxes, links = boxes + bool(_CHECKBOX.match(item)), links + [bool(_ONLY_LINK.fullmatch(raw.strip()))]
                entries.append((len(lines[i]) - len(lines[i].lstrip()), _CHECKBOX.sub("", item)))
                i += 1
            items, unders = map(list, zip(*nested_items(entries if all(links) else unlinked(entries, links))))
            # a task list ("- [ ] Functions plans — Consumption vs Premium") is a study checklist: topics to revise,
            # not rules (each would name its topics' choices alike), so it is searchable text only, unless its items
            # are steps ("- [ ] Check quotas" under "VM Won't Start"); a list of links ("References") names pages
            topics = boxes == len(items) and not all(is_step(t) for t in items) or all(links)
            blocks.append(Paragraph(_capped("; ".join(items), lineno, cuts), lineno, prose=False) if topics
                          else BulletList(items, lineno, unders, stressed))
            first_content = False
            continue
        if m := _TRAP.match(plain(line)):
            flush_para()
            blocks.append(TrapLine(m.group(1).strip(), m.group(2).strip(), lineno))
            i += 1
            continue
        # a bare heading must be followed by something (not the end of the file)
        if not markdown and looks_like_bare_heading(line) and (first_content or i < last_content):
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
            blocks.append(Paragraph(plain(line.strip()), lineno))
        first_content = False
        i += 1
    flush_para()
    return blocks


def _note_block(lines: list[str], i: int, kind: str, blocks: list[Block], cuts: Cuts) -> int:
    """A ``:::kind … :::`` admonition or a ``> [!KIND]`` alert from line ``i``: a warning's lines become traps, any
    other's one paragraph. Returns the line after it."""
    lineno, fenced = i + 1, not _ALERT.match(lines[i])
    first = lines[i].strip()
    title = (_ADMONITION if fenced else _ALERT).sub("", first, count=1).strip()
    body, i = ([title] if title else []), i + 1
    while i < len(lines):
        line = lines[i]
        if fenced and _ADMONITION.match(line) and not _ADMONITION.match(line).group(1):
            i += 1
            break
        if not fenced and not _QUOTE.match(line):
            break
        body.append(_QUOTE.sub("", line, count=1) if not fenced else line)
        i += 1
    texts = [plain(b.group(1)) if (b := BULLET.match(t)) else plain(t) for t in body]
    texts = [t for t in texts if t]
    if kind.lower() in WARNING_KINDS or any(w in (title or "").lower() for w in ("trap", "mistake", "pitfall")):
        items = texts[1:] if title and len(texts) > 1 else texts
        blocks.extend(TrapLine("Trap", t, lineno) for t in items)
    elif texts:
        blocks.append(Paragraph(_capped(" ".join(texts), lineno, cuts), lineno))
    return i
