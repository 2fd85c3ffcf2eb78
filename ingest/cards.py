"""Question cards: a paragraph of labelled lines that poses an exam question and answers it, as exam notes write
their traps ("**Question**: "Getting HTTP 429 errors"" / "**Wrong Answer**: Immediately retry" / "**Correct
Answer**: Implement exponential backoff retry logic"). Read as a one-row table "Question | Correct answer | Wrong
answer", so the question is the situation, the correct answer the choice and the wrong answer a note beside it; read
as the heading over it defining prose, the card's heading ("Trap 4: Rate Limiting") would be its answer.
"""
from __future__ import annotations

import re

# "**Label**: text", "Label: text", "**Label:** text"
LABELLED = re.compile(r"^\s*+\*{0,2}([A-Za-z][A-Za-z ]{0,30}?)\*{0,2}\s*+:\s*+\*{0,2}\s*+(\S.*)$")
ASKED = re.compile(r"^(?:exam )?(?:question|scenario|situation|q)$", re.I)
RIGHT = re.compile(r"^(?:correct|right|best)(?: answer)?$|^answer$|^a$|^solution$", re.I)
_WRONG = re.compile(r"^(?:wrong|incorrect|tempting|common wrong)(?: answer)?$|^distractor$", re.I)
_WHY = re.compile(r"^(?:why|reason|explanation|because)$", re.I)


def card(lines: list[str]) -> tuple[list[str], list[str]] | None:
    """(header, row) of a paragraph's ``lines`` when each is a labelled line and they include a question and its
    correct answer (each once), else None. Labels keep their wording; text keeps its markdown for the caller."""
    if len(lines) < 2:
        return None
    cells: list[tuple[str, str]] = []
    for line in lines:
        m = LABELLED.match(line)
        if not m:
            return None
        cells.append((m.group(1).strip(), m.group(2).strip()))
    kinds = [next((k for k, p in (("asked", ASKED), ("right", RIGHT), ("wrong", _WRONG), ("why", _WHY))
                   if p.match(label)), None) for label, _ in cells]
    if None in kinds or kinds.count("asked") != 1 or kinds.count("right") != 1 or len(set(kinds)) != len(kinds):
        return None
    order = sorted(range(len(cells)), key=lambda i: ("asked", "right", "wrong", "why").index(kinds[i]))
    return [cells[i][0] for i in order], [cells[i][1] for i in order]


# "Textract (not Rekognition)", "Private Endpoint (NOT Service Endpoint)": an answer naming the tempting wrong one
_NOT_THIS = re.compile(r"^(.*?\S)\s*+\((?:not|instead of|rather than)\s++([^()]{1,80})\)$", re.I)


def set_apart(choice: str) -> tuple[str, str]:
    """A choice cell and what it says the answer is not: ("Textract", "Rekognition") for "Textract (not
    Rekognition)", else (the cell, "")."""
    m = _NOT_THIS.match(choice.strip())
    return (m.group(1), m.group(2).strip()) if m else (choice, "")
