"""How a generated question's stem is written: a frame for the kind of table its rule comes from, filled with
one of the exam pack's settings (an organisation, a workload of the rule's area and a model, drawn together) and
the rule's situation in the pack's rewording.

The frames, organisations and rewordings are exam knowledge (the pack's ``scenarios.toml``). Without a pack
the frames are neutral ("The requirement is: … Which option fits best?") and add nothing about any exam.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from studyassist.knowledge.model import Rule, Table
from studyassist.knowledge.propernames import NameCounts
from studyassist.pack import Scenarios
from studyassist.quiz.definitions import spelled_out
from studyassist.quiz.options import sample_record, word_stems
from studyassist.text import bare_title, key_terms, sentence_part, singular, strip_quotes

# Frames that name no organisation, workload or product: what a review without a pack gets. A situation is shown
# under its own column's heading ("Purpose: key management. Which service is it?"), so a cell that is a bare
# value or a verb's object ("Protects: devices") still reads as a question, and the row's other cells follow
# ("; Key features: encryption keys"), so that a short description fits one option only. No frame for myths: a
# table of traps and their corrections has no distractors of the key's kind (the other rows correct other claims,
# so the one option about the claim gives itself away; a blind review rejected 6 of 6): no frame, no item. Nor for a
# review's list of topics ("Topic | Key point": Sentinel beside FIDO2 and the Service Trust Portal; 4 of 5 items
# of one such table rejected by two reviewers for options of other kinds).
NEUTRAL = Scenarios(
    organisations=("A team",), models=("the system",), constraints=("",),
    workloads={"default": ("its work",)},
    frames={
        "requirement": ("{heading}: {situation}{details}. Which {noun} fits best?",
                        "{heading}: {situation}{details}. Which {noun} should the team choose?"),
        "symptom": ("Engineers report this: {situation}. Which area should they investigate first?",
                    "You notice the following: {situation}. Where should the investigation start?"),
        "scenario": ("The situation: {situation}. What is the best first step?",
                     "A team faces this: {situation}. What should it do first?"),
        "definition": ("{heading}: {situation}{details}. Which {noun} is it?",
                       "{heading}: {situation}{details}. Which {noun} does this describe?"),
        "capture": ("A team records this: {situation}. Which {noun} does that cover?",),
        "gate": ("A reviewer asks: \"{situation}\" Which {noun} is this?",),
        "comparison": ("Which one owns this ({aspect}): {situation}?",
                       "Where does this belong ({aspect}): {situation}?"),
        "fact": ("{situation}: which value is right?",),
    },
)
# Choice headers that say how a choice is chosen rather than what it is: "Which better fit fits best?" reads badly
_NOT_A_NOUN = re.compile(r"\b(fit|prefer\w*|best|better|answers?|choices?|recommend\w*|look for|pick|response|"
                         r"correct|use this|debug)\b|[?…:]")
# A table titled as the exam's scenarios or topics ("Common Exam Scenarios": algorithms beside services, permission
# settings and a metric; 6 of its 8 items rejected by a blind reviewer for options of other kinds)
_CATCH_ALL = re.compile(r"\bexam (?:scenarios|topics|questions)\b|\bcommon scenarios\b", re.I)
# Choice headers that name something to do rather than something to choose.
_ACTION_HEADER = re.compile(r"\b(step|action|do|first|fix|response|remed\w*|next)\b")
# Choice headers of a table of facts ("Item | Value").
_FACT_HEADERS = ("value", "number", "limit")


# A table title naming a collection of things rather than one thing whose parts its rows are
_COLLECTION = re.compile(r"\b(decisions?|tables?|notes|reference|cheat ?sheet|summary|overview|comparisons?|guide|"
                         r"checklist|matrix|definitions|numbers|limits|cards?|quick|key|common|exam|traps?|tips?)\b|"
                         r"[—:|]", re.I)
DETAIL_CELLS, DETAIL_WORDS = 2, 12  # at most this many other cells of a row in a stem, each at most this long
SITUATION_TERMS = 3  # content words a row's situation needs for a stem in notes no pack serves


def row_details(table_rows: list[dict[str, str]], cells: dict[str, str], shown: set[str], key: str) -> str:
    """The cells of a row not ``shown`` already (the situation and choice columns), as "; Header: value": only
    a cell whose value no other row of its table (``table_rows``, each row's cells) has ("Type: object" beside
    every storage class tells nothing), not an empty or a long one, and none that shares a word with the key or
    spells it out ("Full Name: Privileged Identity Management" for PIM): it would give it away."""
    named = word_stems(key)
    out = []
    for header, value in cells.items():
        v = value.strip()
        if header in shown or not v.strip(" —–-") or len(v.split()) > DETAIL_WORDS \
                or word_stems(v) & named or word_stems(header) & named or spelled_out(v, key):
            continue
        if sum(1 for row in table_rows if row.get(header, "").strip() == v) == 1:
            out.append(f"; {header.strip()}: {sentence_part(v)}")
    return "".join(out[:DETAIL_CELLS])


def too_short(situation: str) -> bool:
    """Whether a row's situation says too little to ask for one choice by: fewer than three content words ("restrict
    access", "trust providers", "SAST scanning"; a blind reviewer rejected 7 of 9 such items on AWS notes)."""
    return len(key_terms(situation)) < SITUATION_TERMS


# A situation column naming what a row is used for or the state it is in: its cells name needs, not properties.
_USES = re.compile(r"\b(?:use|uses|used|best for|ideal for|good for|status|state|symptoms?|errors?)\b", re.I)


def told_apart(header: str, rule: Rule, rows: list[Rule]) -> bool:
    """Whether a short situation under a column of uses or states ("Use Case", "Status") shares no word with any other
    row's ("Trends", "Correlation" among a chart table's uses; "Pending", "CrashLoopBackOff"), so the table itself
    tells its row from the rest. Not "Restrict access" beside "Secure S3 access", nor a "Purpose" or "Description" of
    two words ("trust providers"): a blind review of such items kept 2 of 6."""
    mine = word_stems(rule.situation)
    return bool(_USES.search(header)) and bool(mine) and not any(mine & word_stems(r.situation)
                                                                 for r in rows if r.id != rule.id)


def frame_kind(table: Table) -> str:
    """Which kind of frame fits a table, from its orientation and its situation column's header ("sample", which has
    no frame, for the fields of an example record)."""
    if table.orientation == "comparison":
        return "comparison"
    if sample_record(table.columns, table.rows, table.choice_column):
        return "sample"
    situation_header = table.columns[table.situation_column].lower()
    choice_header = table.columns[table.choice_column].lower()
    if table.states_myths:
        return "myth"
    if re.search(r"\btopics?\b", choice_header) or _CATCH_ALL.search(table.title):
        return "topic"  # a review's list of topics, or of its exam's scenarios, mixes kinds (no neutral frame)
    if table.key_columns:  # a lookup keyed by several columns ("Service | Configuration | SLA") holds facts
        return "fact"
    if table.orientation == "clue_choice" and any(w in choice_header for w in _FACT_HEADERS):
        return "fact"
    if table.orientation == "clue_choice":
        if "symptom" in situation_header:
            return "symptom"
        # a scenario's first step ("Scenario | Best first thinking step"); a scenario's service or solution
        # ("Scenario | Solution") is chosen as a requirement's is: "What should it do first?" fits no product
        return "scenario" if situation_header.startswith("scenario") and "clue" not in situation_header \
            and _ACTION_HEADER.search(choice_header) else "requirement"
    if "question" in situation_header:
        return "gate"
    if "capture" in situation_header or "verify" in situation_header:
        return "capture"
    return "definition"


# In a frame, who asks and about which model come from the drawn workload's setting, so the three always belong
# together whatever the caller draws for {org} and {model} on its own.
_SETTING_FIELDS = {"{org}": "{workload:org}", "{org_lc}": "{workload:org_lc}", "{model}": "{workload:model}"}


class Setting:
    """An organisation, one of its workloads and one of its models. In a frame ``{workload}`` gives the workload,
    ``{workload:org}``, ``{workload:org_lc}`` and ``{workload:model}`` the organisation and the model."""

    __slots__ = ("org", "workload", "model")

    def __init__(self, org: str, workload: str, model: str):
        self.org, self.model = org, model
        self.workload = workload.replace("{model}", model)

    def __format__(self, spec: str) -> str:
        parts = {"": self.workload, "org": self.org, "org_lc": self.org[:1].lower() + self.org[1:], "model": self.model}
        if spec not in parts:
            raise ValueError(f"a setting has no part '{spec}' (it has org, org_lc and model)")
        return parts[spec]

    def __str__(self) -> str:
        return self.workload

    def __repr__(self) -> str:
        return f"Setting({self.org!r}, {self.workload!r}, {self.model!r})"


def models_by_organisation(scenarios: Scenarios) -> dict[str, tuple[str, ...]]:
    """Each organisation's models: a line "Organisation: model; model" names its own, a line without a known
    organisation before its colon is a model for every organisation that names none."""
    own: dict[str, list[str]] = {}
    anyone: list[str] = []
    for line in scenarios.models:
        org, sep, rest = line.partition(":")
        if sep and org.strip() in scenarios.organisations:
            own.setdefault(org.strip(), []).extend(m.strip() for m in rest.split(";") if m.strip())
        else:
            anyone.append(line.strip())
    return {org: tuple(own.get(org) or anyone or ("its model",)) for org in scenarios.organisations}


class StemMaterial:
    """The pack's scenario material (or the neutral frames), ready to fill a frame."""

    def __init__(self, scenarios: Scenarios | None = None, texts: Iterable[str] = ()):
        s = self.scenarios = scenarios or NEUTRAL
        # a word the documents' ``texts`` (cells, not headers) write as a name keeps its capital in a stem's noun
        self._is_name = NameCounts(texts).is_name
        self.organisations, self.constraints = s.organisations, s.constraints
        self.models_of = models_by_organisation(s)
        self.models = tuple(dict.fromkeys(m for ms in self.models_of.values() for m in ms))
        self._settings: dict[str, tuple[Setting, ...]] = {}
        self._rewordings = [(re.compile(r.pattern, re.I), r.replacement) for r in s.rewording]
        # product names keep their capital when a situation starts a clause
        self._proper = re.compile(r"^(" + "|".join(map(re.escape, s.proper_names)) + r")\b") if s.proper_names \
            else None

    def frames(self, kind: str) -> tuple[str, ...]:
        """The frames for a kind of table, with {org}, {org_lc} and {model} taken from the drawn setting (none: the
        kind is not asked about without a scenario of the pack)."""
        texts = self.scenarios.frames.get(kind) or NEUTRAL.frames.get(kind, ())
        return tuple(re.sub(r"\{(?:org|org_lc|model)\}", lambda m: _SETTING_FIELDS[m.group(0)], t) for t in texts)

    def workloads(self, area: str) -> tuple[Setting, ...]:
        """Every setting for a rule of ``area``: each organisation with each workload of the area and each of its
        models (a frame may name the model even when the workload does not)."""
        if area not in self._settings:
            w = self.scenarios.workloads
            texts = w.get(area) or w.get("default") or NEUTRAL.workloads["default"]
            self._settings[area] = tuple(Setting(org, text, model) for org in self.organisations
                                         for text in texts for model in self.models_of[org])
        return self._settings[area]

    def reword(self, situation: str) -> str:
        """The situation in the pack's words where a rewording exists, lower-cased and without quotes."""
        text = strip_quotes(situation).rstrip(".")
        for pattern, replacement in self._rewordings:
            text = pattern.sub(replacement, text)
        if text.endswith("?") or (self._proper and self._proper.match(text)):
            return text  # a question is quoted whole; a product name keeps its capital
        return sentence_part(text)  # lower-cased unless it opens with an acronym or a name ("App Service slots")

    def heading(self, table: Table, served: bool) -> str:
        """What a frame's stem opens with: the situation column's header, after the table's subject in notes no pack
        serves ("EC2 Image Builder — Purpose: …"; a blind reviewer: a bare "Purpose" cell does not say whose feature
        is asked for), unless its title names a collection ("Core Definitions", "Compute Decision")."""
        header = table.columns[table.situation_column].strip()
        title = bare_title(table.title)
        words = title.split()
        if served or not 1 <= len(words) <= 4 or singular(words[-1].lower()) != words[-1].lower() \
                or _COLLECTION.search(title) or any(len(w) >= 4 and not w[0].isupper() for w in words):
            return header  # (nor by a phrase: "Pick a store")
        return f"{title} — {header}"

    def noun_for(self, header: str) -> str:
        """What to call the choices of a table in a stem, by its choice column header: the pack's noun for it,
        else the header, singular, when it names a thing ("Services", "Azure Tools"), else "option" ("Better fit",
        "Prefer…")."""
        name = header.strip().lower()
        if (noun := self.scenarios.nouns.get(name)) or not name or _NOT_A_NOUN.search(name):
            return noun or "option"
        words = [w if self._is_name(w.lower()) else w.lower() for w in header.split()]
        last = words[-1]  # one of them: "Which Azure tool is it?", not "Which azure tools is it?"
        return " ".join(words[:-1] + [last if re.search(r"(?:ss|us|is)$", last) else singular(last)])
