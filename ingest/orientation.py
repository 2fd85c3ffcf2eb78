"""Which column of a table states the situation and which the choice: from the header words first, then from the
cells (a column of short names that recur is a choice; a column of longer clauses is a situation; "Why" and
"Notes" columns are notes), with a confidence the ingest report and the Sources page show.

Header words are English, not one exam's: "service", "tool", "solution", "tier" name what to choose in any
cloud exam's review, "if you see", "requirement", "use case" what to choose it for.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from studyassist.text import BRACKETED

Confidence = Literal["high", "medium", "low"]

# Header words of a column that states a scenario, clue or requirement.
SITUATION_WORDS = ("if the scenario", "scenario", "requirement", "symptom", "clue", "situation", "need",
                   "when the", "question", "if you see", "you see", "use case", "workload", "goal", "problem",
                   "condition", "trigger", "data type", "access pattern", "task", "you want")
# Whole headers that say when a row applies ("Service | What | When | Cost": chosen by when, not by cost).
SITUATION_HEADERS = ("when", "use when", "if")
# Header words of a column that names what to choose or do.
CHOICE_WORDS = ("prefer", "better fit", "best fit option", "response", "answer", "likely area", "first thinking",
                "pattern", "action", "choice", "recommend", "use this", "solution", "option to choose", "service",
                "tool", "look for", "best option", "choose", "pick", "tier", "sku", "product", "technology",
                "approach", "value", "reality", "correct", "truth", "strategy", "method", "command", "fix", "debug",
                "remedy", "resolution", "workaround", "mitigation")
# Header words of a troubleshooting table's fix column ("Symptom | Likely Cause | Fix", "Status | Cause | Debug").
FIX_WORDS = ("fix", "debug", "remedy", "resolution", "workaround", "mitigation")
# Header words of what a troubleshooting table's rows are about ("Error", "Status", "Cause"): its situation when
# another column says the fix ("Status | Meaning" alone names statuses for what they mean)
PROBLEM_WORDS = ("error", "status", "cause", "issue", "failure", "message")
# Choice words that also name a kind of situation ("Access pattern", "Usage pattern"): a column headed by one is
# the choice only when no other column has a stronger claim.
WEAK_CHOICE_WORDS = ("pattern", "approach", "action")
# Header words of a column that describes a named thing (so the named thing is the choice).
DESCRIPTION_WORDS = ("meaning", "purpose", "when to use", "best fit", "watch", "trap", "example", "know",
                     "decision point", "what to", "description", "definition", "use case", "capture",
                     "verify", "practical", "what it does", "used for", "good for", "best for", "ideal for",
                     "key point", "core idea", "protects")
# Header words of a column that only comments on the row.
NOTE_WORDS = ("why", "note", "reason", "comment", "remark", "explanation", "details", "tip", "caveat", "gotcha",
              "exam tip", "rationale")
# First-column words of a comparison table whose other columns are the things compared.
ASPECT_WORDS = ("area", "aspect", "dimension", "criterion", "criteria", "feature", "attribute", "capability",
                "characteristic", "property", "factor", "consideration", "metric", "limit", "category")
# A cell of at most this many words, on average over its column, reads as a name rather than a clause.
NAME_WORDS = 4.0
# A column whose cells average at least this many words is a clause (a situation or a note), not a name.
CLAUSE_WORDS = 6.0


@dataclass(frozen=True)
class Orientation:
    kind: str  # clue_choice | choice_when | comparison
    situation_column: int
    choice_column: int
    source: str  # detected | override | default
    confidence: Confidence = "high"
    # a lookup keyed by several columns ("Service | Configuration | SLA"): the columns whose cells together state a
    # row's situation (empty: the situation column alone)
    keys: tuple[int, ...] = ()


def _clean(header: str) -> str:
    return re.sub(r"[…*_`]", " ", header.lower())


def _has(header: str, words: tuple[str, ...]) -> bool:
    """Whether ``header`` uses one of ``words`` at a word's start ("Requirements", "Debugging"), not as the stem of
    an adjective ("Conditional Access" is a name, no condition)."""
    h = _clean(header)
    return any(re.search(rf"(?<![a-z]){re.escape(w)}(?!al(?![a-z]))", h) for w in words)


def _words(cell: str) -> int:
    return len(re.findall(r"[A-Za-z0-9][\w'/.-]*", cell))


def column_lengths(rows: Sequence[Sequence[str]], width: int) -> list[float]:
    """Mean words per non-empty cell of each column (0 for an empty column)."""
    out = []
    for i in range(width):
        cells = [r[i] for r in rows if i < len(r) and r[i].strip()]
        out.append(sum(_words(c) for c in cells) / len(cells) if cells else 0.0)
    return out


def _roles(columns: Sequence[str]) -> list[str]:
    """Each header's role by its words: S(ituation), C(hoice), w(eak choice), D(escription), N(ote) or ? (none).
    The first column is read as a situation before anything else (its header states what the row is about);
    other columns as notes and descriptions first ("Example review question" describes, it asks nothing)."""
    roles = []
    strong = tuple(w for w in CHOICE_WORDS if w not in WEAK_CHOICE_WORDS)
    fixed = any(_has(c, FIX_WORDS) for c in columns[1:])
    for i, c in enumerate(columns):
        if i == 0 and fixed and _has(c, PROBLEM_WORDS) or _clean(c).strip(" ?:") in SITUATION_HEADERS:
            roles.append("S")
        elif i == 0:  # what a row is about: a situation, a thing to choose, or unknown (a "Trap" column states one)
            roles.append("S" if _has(c, SITUATION_WORDS) else ("C" if _has(c, strong) else "w")
                         if _has(c, CHOICE_WORDS) else "?")
        elif _has(c, NOTE_WORDS) and not _has(c, CHOICE_WORDS):
            roles.append("N")
        elif _has(c, DESCRIPTION_WORDS):
            roles.append("D")
        elif _has(c, CHOICE_WORDS):
            roles.append("C" if _has(c, strong) else "w")
        elif _has(c, SITUATION_WORDS):
            roles.append("S")
        else:
            roles.append("?")
    return roles


# A choice column names different things: one whose cells repeat more than this (a share of distinct values below it,
# over at least REPEAT_ROWS rows) is a category ("Blob", "Blob", "Queue"), not what a row chooses.
DISTINCT_SHARE = 0.7
REPEAT_ROWS = 4


def distinct_share(rows: Sequence[Sequence[str]], column: int) -> float:
    cells = [r[column].strip().lower() for r in rows if column < len(r) and r[column].strip()]
    return len(set(cells)) / len(cells) if cells else 1.0


def detect(columns: Sequence[str], rows: Sequence[Sequence[str]] = ()) -> Orientation:
    """Orientation of a table from its header row and, where the headers do not settle it, its cells."""
    roles = _roles(columns)
    return _unnumbered(_telling(_oriented(columns, roles, rows), roles, rows), roles, rows)


# A cell that only numbers its row: "1", "**2**", "Step 3", "Week 4".
_INDEX = re.compile(r"^\W*((step|phase|stage|day|week|month|part|module|lesson|level|round|sprint)\s*)?\d+\W*$", re.I)
_SCHEDULE = re.compile(r"^\W*(phase|week|day|stage|month|module|lesson|sprint|session)s?\W*$", re.I)


def _numbers_rows(rows: Sequence[Sequence[str]], column: int) -> bool:
    """Whether a column's filled cells (at least one) only number their rows."""
    cells = [r[column].strip() for r in rows if column < len(r) and r[column].strip()]
    return bool(cells) and all(_INDEX.match(c) for c in cells)


_STUDY = re.compile(r"\b(?:what to study|to study|study (?:focus|tips|notes|areas?))\b", re.I)


def schedule(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> bool:
    """A study plan: its first column numbers the weeks, days or phases ("Phase | Focus | Key Tools" with 1 … 5), or
    a column says what to study, so its rows say what to study when or of what, not what to choose for what."""
    return bool(columns) and (bool(_SCHEDULE.match(columns[0])) and _numbers_rows(rows, 0) or any(
        _STUDY.search(c) for c in columns))  # ("Category | Services | What to study": what to learn of each)


def _unnumbered(o: Orientation, roles: list[str], rows: Sequence[Sequence[str]]) -> Orientation:
    """A choice column that only numbers the rows is a rank: the first other column of names is the choice. A
    situation column that only numbers the rows ("Phase | Focus | Key Tools" with 1 … 5) says nothing a row is
    chosen for: the longest other column that is not a note takes its place (with medium confidence: a study plan
    is hardly a decision table)."""
    if o.kind == "comparison" or o.keys:
        return o
    lengths = column_lengths(rows, len(roles))
    if _numbers_rows(rows, o.choice_column):  # "Best | Name | Auth": a rank of 1 … 5 is no choice; the name is
        names = [i for i, r in enumerate(roles) if r != "N" and i != o.choice_column
                 and 0 < lengths[i] <= NAME_WORDS and not _numbers_rows(rows, i)]
        # names tell every row apart ("Priority | Name | Source" with 65000 … : the name, though it reads as the
        # situation); otherwise the first column of names beside the situation
        distinct = [i for i in names if distinct_share(rows, i) == 1.0]
        choice = next((i for i in distinct if i != o.situation_column), distinct[0] if distinct else next(
            (i for i in names if i != o.situation_column), None))
        situation = o.situation_column if choice != o.situation_column else max(
            (i for i in names if i != choice), key=lambda i: (lengths[i], -i), default=o.situation_column)
        o = Orientation("choice_when" if choice < situation else "clue_choice", situation, choice, o.source,
                        "medium" if o.confidence == "high" else o.confidence) if choice is not None else o
    if not _numbers_rows(rows, o.situation_column):
        return o
    others = [i for i, r in enumerate(roles) if r != "N" and i not in (o.situation_column, o.choice_column)]
    if not others:
        return Orientation(o.kind, o.situation_column, o.choice_column, o.source, "low")
    situation = max(others, key=lambda i: lengths[i])
    return Orientation("choice_when" if o.choice_column < situation else "clue_choice", situation, o.choice_column,
                       o.source, "medium" if o.confidence == "high" else o.confidence)


def _telling(o: Orientation, roles: list[str], rows: Sequence[Sequence[str]]) -> Orientation:
    """A situation column whose cells repeat ("Service | Purpose | Layer | Use case" with "Load balancing" three
    times) does not tell its rows apart: a later description or situation column that does takes its place."""
    if o.kind == "comparison" or o.keys or len(rows) < REPEAT_ROWS:
        return o
    share = distinct_share(rows, o.situation_column)
    if share >= DISTINCT_SHARE:
        return o
    better = [i for i, r in enumerate(roles) if r in ("D", "S") and i not in (o.situation_column, o.choice_column)
              and distinct_share(rows, i) >= DISTINCT_SHARE]
    if not better:
        return o
    return Orientation("choice_when" if o.choice_column < better[0] else "clue_choice", better[0], o.choice_column,
                       o.source, o.confidence)


def _oriented(columns: Sequence[str], roles: list[str], rows: Sequence[Sequence[str]]) -> Orientation:
    lengths = column_lengths(rows, len(columns))
    o = _detect(columns, roles, lengths)
    if (o.kind == "comparison" or len(rows) < REPEAT_ROWS or distinct_share(rows, o.choice_column) >= DISTINCT_SHARE
            or roles[:1] == ["S"]):  # several situations may share one answer ("Requirement | Better fit")
        return o
    keyed = _keyed_lookup(rows, lengths)
    if keyed is not None:
        return keyed
    if o.choice_column != 0 and distinct_share(rows, 0) == 1.0:
        # "Role | Service | Access": the roles are what is chosen; the service is a category of them
        situation = max((i for i in range(1, len(columns))), key=lambda i: lengths[i])
        return Orientation("choice_when", situation, 0, o.source, "medium")
    return Orientation(o.kind, o.situation_column, o.choice_column, o.source, "low")


# A column of values: at least this share of its cells hold a number ("99.99%", "90 days", "~26 seconds").
NUMERIC_SHARE = 0.8


def _numeric_share(rows: Sequence[Sequence[str]], column: int) -> float:
    cells = [r[column] for r in rows if column < len(r) and r[column].strip()]
    return sum(bool(re.search(r"\d", c)) for c in cells) / len(cells) if cells else 0.0


def _keyed_lookup(rows: Sequence[Sequence[str]], lengths: list[float]) -> Orientation | None:
    """"Service | Configuration | SLA": the first column repeats, so it does not name a row alone; with the short
    second column it does (every pair is distinct), and a later column of short numbers is the value looked up."""
    if len(lengths) < 3 or not (0 < lengths[0] <= NAME_WORDS and 0 < lengths[1] <= NAME_WORDS):
        return None
    pairs = [(r[0].strip().lower(), r[1].strip().lower()) for r in rows if len(r) > 1]
    if len(set(pairs)) < len(pairs):
        return None
    value = next((j for j in range(2, len(lengths)) if 0 < lengths[j] <= NAME_WORDS
                  and _numeric_share(rows, j) >= NUMERIC_SHARE), None)
    if value is None:
        return None
    return Orientation("clue_choice", 1, value, "detected", "medium", keys=(0, 1))


def _detect(columns: Sequence[str], roles: list[str], lengths: list[float]) -> Orientation:
    """Orientation from the headers' ``roles`` (see ``_roles``) and the columns' mean cell ``lengths``."""
    n = len(columns)
    if n < 2:
        return Orientation("choice_when", 0, 0, "default", "low")
    choices = [i for i, r in enumerate(roles) if r == "C"] or [i for i, r in enumerate(roles) if r == "w"]
    if n >= 3 and _has(columns[0], ASPECT_WORDS) and _comparison(columns, roles) and not any(
            _bare_choice(c) for c in columns[1:]):  # "Feature / Use case | EventBridge | SNS (… Service) | SQS"
        return Orientation("comparison", 0, 1, "detected")  # (a use case word first: still things compared)
    if roles[0] == "S":
        choice = next((i for i in choices if i > 0), None)
        if choice is None:
            choice = next((i for i in range(1, n) if roles[i] not in ("N",)), 1)
            return Orientation("clue_choice", 0, choice, "detected", "medium")
        return Orientation("clue_choice", 0, choice, "detected")
    if n >= 3 and _comparison(columns, roles):
        return Orientation("comparison", 0, 1, "detected")
    descriptions = [i for i, r in enumerate(roles) if r == "D"]
    situations = [i for i, r in enumerate(roles) if r == "S" and i > 0]
    strong = [i for i, r in enumerate(roles) if r == "C" and i > 0]
    if roles[0] == "C" and not strong:
        # "Service | Purpose | …", "SKU | Copies | RPO": the named thing is chosen for what another column says
        situation = (descriptions or situations or [max((i for i in range(1, n) if roles[i] != "N"),
                                                        key=lambda i: lengths[i], default=1)])[0]
        return Orientation("choice_when", situation, 0, "detected",
                           "high" if descriptions or situations else "medium")
    if strong and roles[0] in ("?", "w", "S"):
        # "Layer | Service | Purpose": the service is chosen for its purpose; "Data type | Best solution | Why":
        # for the data type
        choice = strong[0]
        if descriptions:
            return Orientation("choice_when", descriptions[0], choice, "detected")
        situation = next((i for i in range(n) if i != choice and roles[i] not in ("N", "D")), 0)
        return Orientation("clue_choice", situation, choice, "detected",
                           "high" if roles[situation] == "S" or situation == 0 else "medium")
    if descriptions:
        return Orientation("choice_when", descriptions[0], 0, "detected")
    if roles[1] in ("C", "w"):
        return Orientation("clue_choice", 0, 1, "detected")
    if situations:  # "Strategy | Savings | Requirements": chosen for the requirement
        return Orientation("choice_when", situations[0], 0, "detected", "medium")
    return _from_cells(roles, lengths)


NAME_WORDS = 4  # a compared thing's name in a header: at most this many words
NAME_WORDS_BLANK = 6  # … beside a blank first header, outside brackets


def _comparison(columns: Sequence[str], roles: list[str]) -> bool:
    """A grid of things compared across rows: an aspect (or blank) first header, and the other headers are names
    (no header says situation, choice, description or note)."""
    first = _clean(columns[0]).strip()
    if not (first == "" or _has(columns[0], ASPECT_WORDS)):
        return False
    # the things compared may have choice words in their names ("Service Endpoint | Private Endpoint"); under a blank
    # first header, longer names too, not counting what brackets add ("AWS KMS (customer managed key)", "FSx for
    # Windows File Server": three of 25 tables of a comparison sheet were read as choices of their second column)
    most = NAME_WORDS_BLANK if first == "" else NAME_WORDS
    return all(r in ("?", "C", "w") for r in roles[1:]) and all(
        0 < _words(BRACKETED.sub(" ", c)) <= most for c in columns[1:])


def _bare_choice(header: str) -> bool:
    """A header that is only choice words ("Service", "Best option"), not the name of a thing compared."""
    return not re.sub(r"\b(best|recommended|the|a|an)\b", " ", "".join(
        " " if _has(w, CHOICE_WORDS) else w for w in re.split(r"(\W+)", _clean(header)))).strip(" /()-:?")


def _from_cells(roles: list[str], lengths: list[float]) -> Orientation:
    """The headers say nothing: the column of short names (the first of them) is the choice, the longest other
    column that is not a note is the situation; two columns of short values are a lookup (key, then value)."""
    candidates = [i for i, r in enumerate(roles) if r != "N"] or list(range(len(roles)))
    names = [i for i in candidates if 0 < lengths[i] <= NAME_WORDS]
    if len(roles) == 2 and names == [0, 1]:
        # two columns of short values ("SLA % | Max downtime"): a lookup, read from the first to the second
        return Orientation("clue_choice", 0, 1, "default", "low")
    choice = names[0] if names else 0
    rest = [i for i in candidates if i != choice]
    situation = max(rest, key=lambda i: lengths[i]) if rest else (1 if choice == 0 else 0)
    clear = bool(names) and lengths[situation] >= CLAUSE_WORDS and lengths[situation] >= 2 * lengths[choice]
    kind = "choice_when" if choice < situation else "clue_choice"
    return Orientation(kind, situation, choice, "default", "medium" if clear else "low")


def from_override(columns: list[str], spec: dict) -> Orientation:
    """Orientation forced by the per-document override file; a list of situation columns keys a lookup by all of
    them ("situation": ["Service", "Configuration"])."""
    def col(name_or_index: str | int) -> int:
        if isinstance(name_or_index, int):
            return name_or_index
        lowered = [c.lower() for c in columns]
        return lowered.index(name_or_index.lower())
    situation = spec.get("situation", 1)
    keys = tuple(col(c) for c in situation) if isinstance(situation, list) else ()
    return Orientation(spec["orientation"], keys[-1] if keys else col(situation), col(spec.get("choice", 0)),
                       "override", keys=keys)


def group_rows(rows: Sequence[Sequence[str]]) -> tuple[list[list[str]], list[str]]:
    """A table's rows without the ones that only label a group of the rows below ("| **Inbound** | | | |"), and per
    row kept, the label of its group ("" before any)."""
    kept, groups, group = [], [], ""
    for row in rows:
        if len(row) >= 3 and row[0].strip() and not any(c.strip() for c in row[1:]):
            group = row[0].strip().strip("*_ ")
            continue
        kept.append(list(row))
        groups.append(group)
    return (kept, groups) if kept else ([list(r) for r in rows], [""] * len(rows))


def in_group(row: list[str], group: str, column: int) -> list[str]:
    """``row`` with its group's label after the cell in ``column`` ("AllowVNetInBound (Inbound)")."""
    return row if not group or column >= len(row) else [*row[:column], f"{row[column]} ({group})", *row[column + 1:]]
