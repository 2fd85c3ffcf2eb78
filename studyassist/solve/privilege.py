"""Least privilege: a stem that only needs to read ("download existing objects", "fetch a connection string",
"inspect who holds which permissions") and rules writing out ("must not upload, delete, or alter", "should never
create, update, or delete") is answered by the role whose row grants reading, not by one that manages, edits or has
full control — the usual reason the stronger role is the wrong answer. Words of access in any cloud's notes, not one
exam's: the engine's, like the general wording lexicon."""
from __future__ import annotations

import re

from studyassist.knowledge import negation

READ = re.compile(r"\b(?:read\w*|view\w*|get|list\w*|fetch\w*|download\w*|inspect\w*|retriev\w*|audit\w*|"
                  r"review\w*|look up|see)\b", re.I)
WRITE = re.compile(r"\b(?:writ\w*|creat\w*|updat\w*|delet\w*|manag\w*|modif\w*|chang\w*|edit\w*|alter\w*|upload\w*|"
                   r"full control|admin\w*|owner|contributor|officer)\b", re.I)
PENALTY = 0.5  # of its score an option loses when its row writes where the stem only reads (as a denied clue does)


def reads_only(stem: str) -> bool:
    """Whether ``stem`` asks to read and rules writing out under a negation."""
    ruled_out = " ".join(stem[s:e] for s, e in negation.negated_spans(stem))
    return bool(WRITE.search(ruled_out)) and bool(READ.search(negation.affirmed(stem))) \
        and not WRITE.search(negation.affirmed(stem))


def writes(option: str, row: str) -> bool:
    """Whether the option, or the row it names ("roles/editor": "Viewer + edit resources"), grants writing."""
    return bool(WRITE.search(option) or WRITE.search(row))
