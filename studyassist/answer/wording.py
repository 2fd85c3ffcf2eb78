"""How a rule reads in an answer: a cell as the end of a sentence, what a rule says after its label, a passage's
first sentences."""
from __future__ import annotations

import re

from studyassist.knowledge.model import Rule
from studyassist.text import sentence_part as _lc


def _sentence(text: str) -> str:
    """A cell as the end of a sentence: a question keeps its question mark, anything else gets a period."""
    t = _lc(text)
    return t if t.endswith("?") else f"{t}."


# A passage is quoted up to the sentence that reaches this many words.
PASSAGE_WORDS = 80


def _said(rule: Rule, label: str) -> str:
    """What a rule says after its label: its situation, or for a list item with no separator (labelled by its lead,
    "Serverless, event-driven code (triggered by …)") the rest of its text."""
    if rule.situation:
        return _sentence(rule.situation)
    rest = rule.choice.strip().rstrip(".")
    rest = rest[len(label):].lstrip(" ,;:—-") if rest.lower().startswith(label.lower()) else rest
    return f"{rest}." if rest and rest.lower() != label.lower() else ""


def passage_excerpt(text: str) -> str:
    """A paragraph's first sentences, ending at the one that reaches ``PASSAGE_WORDS`` words."""
    out: list[str] = []
    for sentence in re.split(r"(?<=[.!?])\s+", text.strip()):
        out.append(sentence)
        if len(" ".join(out).split()) >= PASSAGE_WORDS:
            break
    excerpt = " ".join(out)
    return excerpt if excerpt.endswith((".", "!", "?")) else excerpt + "."
