"""Headings and questions that notes write in other ways: a collapsible question ("<details><summary>🎯Q. what is
load balancing</summary>") and a list whose first item only names what the rest of it describes ("- ⭐`Application
Load Balancer (ALB)`⭐" over "- Layer 7 …", "- Best when you need: …") become markdown headings; a question alone in
bold or italic ("**Can we store the Access Key in these variables?**") opens the paragraph that answers it. Read as
plain text, the collapsed questions ran together into one paragraph, the name was a rule with nothing to say, its
points under "Best when you need" with no load balancer, and a bold question was a rule saying only the question, its
answer apart (learner trials on AWS notes, stops 65 and 69). Lines change in place (one line for one, so the lines
after keep their numbers)."""
from __future__ import annotations

import re

_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s")
# (each run of spaces matched once, so that a line of thousands of them takes no longer than reading it: parser.py)
_SUMMARY = re.compile(r"^\s*+(?:<details>\s*+)?<summary>(.*)</summary>\s*+$", re.I)
# what a summary says when it hides an answer or more text, not a question or topic
_NOT_A_TITLE = re.compile(r"^(answers?|solutions?|show|hide|click|expand|details|more|hints?|spoiler)\b", re.I)
_QUESTION_MARK = re.compile(r"^(?:Q(?:uestion)?\s*+\d*+\s*+[.:)]\s*+)", re.I)
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_CLOSED = re.compile(r"^\s*</details>\s*$", re.I)
_BULLET = re.compile(r"^[-*+]\s++(.*\S)\s*$")
# a paragraph that is one bold or italic question alone ("**Can we store the Access Key in these variables?**",
# "_Do you need to run a build after every merge?_"), the answer in the paragraph after it: notes written as questions
# and answers; a question over a list is the list's lead-in already
_STRESSED_QUESTION = re.compile(r"^\s{0,3}(\*\*|__|\*|_)([^*_]{3,200}\?)\1\s*+$")
_NOT_PROSE = re.compile(r"^\s*+(?:[-*+]\s|\d+[.)]\s|[|#>`~<]|\*\*[^*]*\*\*:?\s*+$)")  # (a list, a table, …, a label)
_DECORATION = re.compile(r"[^\w\s()/&+,'.-]")  # emoji, stars, backticks, arrows: a name's decoration
NAME_WORDS = 6  # a name, not a point: at most this many words
DESCRIBED_BY = 2  # the points after a name item that make it a heading


def headed(text: str) -> str:
    """``text`` with collapsible questions and naming list items as markdown headings, and questions alone in bold
    or italic moved to the start of their answers (``text`` itself if none).
    What follows a collapsed answer (``</details>``) is under the heading above the question again, so that heading
    is said again there."""
    lines, out = text.split("\n"), text.split("\n")
    level, title, inner = 1, "", None  # the last markdown heading's level and title; a summary heading's level
    fenced = False
    for n, line in enumerate(lines):
        if _FENCE.match(line) or fenced:  # (code: "│  INBOUND TRAFFIC  │" is a drawing's label)
            fenced ^= bool(_FENCE.match(line))
        elif m := _HEADING.match(line):
            level, title, inner = len(m.group(1)), line.strip(), None
        elif (m := _SUMMARY.match(line)) and (said := _title(m.group(1))):
            inner = min(6, level + 1)
            out[n] = f"{'#' * inner} {said}"
        elif (m := _STRESSED_QUESTION.match(line)) and (said := _title(m.group(2))) and (
                answer := _answer_line(lines, n)) is not None:
            out[n], out[answer] = "", f"{said} {lines[answer].strip()}"
        elif inner and _CLOSED.match(line):
            out[n], inner = out[n] if _opens(lines[n + 1:]) or not title else title, None
        elif (name := _naming(lines, n)) is not None:
            out[n] = f"{'#' * min(6, (inner or level) + 1)} {name}"
    return "\n".join(out) if out != lines else text


def _answer_line(lines: list[str], n: int) -> int | None:
    """The line that opens the answer to a bold or italic question at line ``n``: the next line with text, when the
    question stands alone (a blank line or a heading before it) and that line opens a paragraph (not a list, a table,
    code, a heading or another question)."""
    if n and lines[n - 1].strip() and not _HEADING.match(lines[n - 1]):
        return None
    k = next((i for i in range(n + 1, min(len(lines), n + 3)) if lines[i].strip()), None)
    return None if k is None or _NOT_PROSE.match(lines[k]) or _STRESSED_QUESTION.match(lines[k]) else k


def _opens(rest: list[str]) -> bool:
    """Whether the next line with text opens a section of its own (another question, a heading)."""
    line = next((x for x in rest if x.strip()), "")
    return bool(_HEADING.match(line) or _SUMMARY.match(line) or line.strip().lower().startswith("<details"))


def _title(summary: str) -> str:
    title = _QUESTION_MARK.sub("", re.sub(r"[^\w\s()/&+,'.?-]", " ", re.sub(r"<[^>]+>", " ", summary)).strip())
    title = " ".join(title.split()).replace(" ?", "?")
    return title if title and not _NOT_A_TITLE.match(title) and re.match(r"\w", title) else ""


def _name_of(said: str) -> str | None:
    """The name an item says when it is a decorated name alone: "🔹 Scalability", "⭐`NLB`⭐", "**PBX**"."""
    if said[0] in "[!<\"'“*`-" and not re.fullmatch(r"(\*\*|`)[^*`]+(\*\*|`)", said) or said[0].isalnum():
        return None
    name = " ".join(_DECORATION.sub(" ", said).split()).strip(" .,")
    if not name or not name[0].isalpha() or len(name.split()) > NAME_WORDS or re.search(r"[:?=→–]| - ", said) \
            or said.rstrip("*` ").endswith("."):
        return None
    return name


def _naming(lines: list[str], n: int) -> str | None:
    """The name a list's first item gives, when it is a decorated name alone and at least ``DESCRIBED_BY`` points
    follow it at its level in the same list, none of them a name like it ("**PBX**", "**POTS**": a list of names)."""
    if not (m := _BULLET.match(lines[n])) or n and lines[n - 1].strip() and not _SUMMARY.match(lines[n - 1]):
        return None
    if (name := _name_of(m.group(1))) is None or n + 1 >= len(lines) or not _BULLET.match(lines[n + 1]):
        return None
    points = 0
    for line in lines[n + 1:]:
        if not line.strip() or _HEADING.match(line):
            break
        if p := _BULLET.match(line):
            if _name_of(p.group(1)) is not None:
                return None
            points += 1
    return name if points >= DESCRIBED_BY else None
