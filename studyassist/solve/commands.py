"""A row of a table of commands (ingest/commands.py) names a command: only an option that runs the same program
("gsutil signurl" for "gsutil signurl -d 1h …") can be it, not "/24", which one of its arguments holds, nor a
service whose name its words share ("az storage blob upload" is no answer "Blob storage" stands for)."""
from __future__ import annotations

import numpy as np

from studyassist.knowledge.model import KnowledgeBase


def _program(text: str) -> str:
    words = text.split()
    return words[0].lower() if words else ""


class CommandRows:
    def __init__(self, kb: KnowledgeBase, facets: list):
        programs = []
        for f in facets:
            rule = kb.rule(f.rule_id)
            listed = rule.table is not None and kb.table(rule.table).lists_commands
            programs.append(_program(rule.choice) if listed else "")
        self._programs = np.array(programs, dtype=object)
        self.listed = self._programs != ""

    def masked(self, sims: np.ndarray, options, fill: float = -1.0) -> np.ndarray:
        """``sims`` (options × facets, or one option's facets) with ``fill`` where a facet is a command of another
        program than the option's."""
        if not self.listed.any():
            return sims
        foreign = np.array([self.listed & (self._programs != _program(o)) for o in options])
        return np.where(foreign.reshape(sims.shape), fill, sims)
