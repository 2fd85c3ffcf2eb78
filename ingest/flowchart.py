"""Mermaid flowchart edges ("A[Need GPUs?] -- yes --> B[Compute cluster]") with their node labels resolved.

An edge line is split by a one-pass scanner rather than the regex it replaces,
``^(.+?)\\s*(?:--\\s*([^-][^>]*?)\\s*-->|-->\\|([^|]*)\\||-->|==>|-\\.->)\\s*(.+)$``, which gives the same edges but
backtracks for minutes on "A" + 1,500 spaces + "--" + 1,500 spaces + "x".
"""
from __future__ import annotations

import re

from studyassist.knowledge.model import FlowEdge

_NODE = re.compile(r"([A-Za-z0-9_]+)\s*(?:\[([^\]]*)\]|\{([^}]*)\}|\(([^)]*)\))?")
_ARROW_START = re.compile(r"[-=]")


class _NextIndex:
    """Where ``char`` next occurs in ``text`` at or after a position; asked with rising positions (as the scanner
    does), the whole line is searched once."""

    def __init__(self, text: str, char: str) -> None:
        self.text, self.char = text, char
        self.since, self.at = 0, text.find(char)

    def __call__(self, pos: int) -> int:
        if pos < self.since or -1 < self.at < pos:
            self.since, self.at = pos, self.text.find(self.char, pos)
        return self.at


def _arrow_at(line: str, p: int, next_gt: _NextIndex, next_bar: _NextIndex) -> tuple[str, int] | None:
    """(label, where the target starts) of the arrow at ``p`` that leaves a target after it, in the regex's order:
    ``-- label -->``, ``-->|label|``, ``-->``, ``==>``, ``-.->``."""
    n = len(line)
    if line.startswith("--", p):
        r = p + 2
        while r < n and line[r].isspace():
            r += 1
        # the label opens with any character but "-", a space given back by the run before it included
        start = r if r < n and line[r] != "-" else r - 1 if r > p + 2 else -1
        if start >= 0:
            g = next_gt(start + 1)  # the label holds no ">", so its closing "-->" ends at the first one
            if g >= start + 3 and line.startswith("--", g - 2) and g + 1 < n:
                return line[start:g - 2], g + 1
    if line.startswith("-->|", p):
        close = next_bar(p + 4)
        if close >= 0 and close + 1 < n:
            return line[p + 4:close], close + 1
    for arrow in ("-->", "==>", "-.->"):
        if line.startswith(arrow, p) and p + len(arrow) < n:
            return "", p + len(arrow)
    return None


def split_edge(line: str) -> tuple[str, str, str] | None:
    """(source, label, target) of an edge line, stripped, or None when the line has no arrow with a node on each
    side. The source is everything before the first arrow that leaves a target."""
    line = line.strip()
    next_gt, next_bar = _NextIndex(line, ">"), _NextIndex(line, "|")
    for m in _ARROW_START.finditer(line, 1):
        found = _arrow_at(line, m.start(), next_gt, next_bar)
        if found:
            label, end = found
            return line[:m.start()].strip(), label.strip(), line[end:].lstrip()
    return None


def parse_flowchart(lines: list[str]) -> list[FlowEdge]:
    """Edges of a mermaid flowchart with node labels resolved."""
    labels: dict[str, str] = {}
    raw: list[tuple[str, str, str]] = []

    def node(text: str) -> str:
        m = _NODE.match(text.strip())
        if not m:
            return text.strip()
        nid = m.group(1)
        label = next((g for g in m.groups()[1:] if g), None)
        if label:
            labels[nid] = label.strip()
        return nid

    for line in lines[1:]:
        edge = split_edge(line)
        if edge is None:
            continue
        source, label, target = edge
        raw.append((node(source), node(target), label))
    return [FlowEdge(source=labels.get(s, s), target=labels.get(t, t), label=lab) for s, t, lab in raw]
