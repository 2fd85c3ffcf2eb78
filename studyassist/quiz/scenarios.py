"""How a generated question's stem is written: a frame for the kind of table its rule comes from, filled with
the exam pack's organisations, workloads and constraints and the rule's situation in the pack's rewording.

The frames, organisations and rewordings are exam knowledge (the pack's ``scenarios.toml``). Without a pack
the frames are neutral ("The requirement is: … Which option fits best?") and add nothing about any exam.
"""
from __future__ import annotations

import re

from studyassist.knowledge.model import Table
from studyassist.pack import Scenarios
from studyassist.text import sentence_part

# Frames that name no organisation, workload or product: what a review without a pack gets.
NEUTRAL = Scenarios(
    organisations=("A team",), models=("the system",), constraints=("",),
    workloads={"default": ("its work",)},
    frames={
        "requirement": ("The requirement is: {situation}. Which option fits best?",
                        "A team must meet this need: {situation}. What should it use?"),
        "symptom": ("Engineers report this: {situation}. Which area should they investigate first?",
                    "You notice the following: {situation}. Where should the investigation start?"),
        "scenario": ("The situation: {situation}. What is the best first step?",
                     "A team faces this: {situation}. What should it do first?"),
        "definition": ("Which {noun} covers this: {situation}?",
                       "A colleague describes a {noun} as: {situation}. Which {noun} is meant?"),
        "capture": ("A team records this: {situation}. Which {noun} does that cover?",),
        "gate": ("A reviewer asks: \"{situation}\" Which {noun} is this?",),
        "comparison": ("Which one owns this ({aspect}): {situation}?",
                       "Where does this belong ({aspect}): {situation}?"),
        "myth": ("A colleague says: \"{situation}\". What is actually true?",
                 "Someone on the team believes this: \"{situation}\". Which statement corrects it?"),
        "fact": ("{situation}: which value is right?", "What is true of this: {situation}?"),
    },
)
# Situation headers of a table of misconceptions and their corrections ("Trap | Reality", "Wrong assumption |
# Correct answer"), and choice headers of a table of facts ("Item | Value").
_MYTH_HEADERS = ("trap", "wrong", "myth", "misconception", "assumption", "claim", "mistake")
_FACT_HEADERS = ("value", "number", "limit")


def frame_kind(table: Table) -> str:
    """Which kind of frame fits a table, from its orientation and its situation column's header."""
    if table.orientation == "comparison":
        return "comparison"
    situation_header = table.columns[table.situation_column].lower()
    choice_header = table.columns[table.choice_column].lower()
    if any(w in situation_header for w in _MYTH_HEADERS):
        return "myth"
    if table.key_columns:  # a lookup keyed by several columns ("Service | Configuration | SLA") holds facts
        return "fact"
    if table.orientation == "clue_choice" and any(w in choice_header for w in _FACT_HEADERS):
        return "fact"
    if table.orientation == "clue_choice":
        if "symptom" in situation_header:
            return "symptom"
        return "scenario" if situation_header.startswith("scenario") and "clue" not in situation_header \
            else "requirement"
    if "question" in situation_header:
        return "gate"
    if "capture" in situation_header or "verify" in situation_header:
        return "capture"
    return "definition"


class StemMaterial:
    """The pack's scenario material (or the neutral frames), ready to fill a frame."""

    def __init__(self, scenarios: Scenarios | None = None):
        s = self.scenarios = scenarios or NEUTRAL
        self.organisations, self.models, self.constraints = s.organisations, s.models, s.constraints
        self._rewordings = [(re.compile(r.pattern, re.I), r.replacement) for r in s.rewording]
        # product names keep their capital when a situation starts a clause
        self._proper = re.compile(r"^(" + "|".join(map(re.escape, s.proper_names)) + r")\b") if s.proper_names \
            else None

    def frames(self, kind: str) -> tuple[str, ...]:
        return self.scenarios.frames.get(kind) or NEUTRAL.frames[kind]

    def workloads(self, area: str) -> tuple[str, ...]:
        w = self.scenarios.workloads
        return w.get(area) or w.get("default") or NEUTRAL.workloads["default"]

    def reword(self, situation: str) -> str:
        """The situation in the pack's words where a rewording exists, lower-cased and without quotes."""
        text = situation.strip().strip('"“”').rstrip(".")
        for pattern, replacement in self._rewordings:
            text = pattern.sub(replacement, text)
        if self._proper and self._proper.match(text):
            return text
        return sentence_part(text)  # lower-cased unless it opens with an acronym or a name ("App Service slots")

    def noun_for(self, header: str) -> str:
        """What to call the choices of a table in a stem, by its choice column header."""
        return self.scenarios.nouns.get(header.strip().lower(), header.strip().lower() or "option")
