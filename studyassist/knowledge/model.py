"""The knowledge model ingest produces: sections, tables, rules, concepts, flowchart edges."""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, PrivateAttr

from studyassist.errors import IndexCorruptError, IndexMissingError

# A concept named in more rows than this ("Deployment", "Endpoint") says little about which row is meant.
GENERIC_MENTIONS = 12
KB_SCHEMA_VERSION = 2  # 2: the exam pack's name, overview tables and rows, curated concepts
# The family of a concept that is a term a list of notes no pack serves defines ("**DirectQuery**: Real-time source"):
# a name a follow-up may turn down or set beside another ("and why not DirectQuery?"), not what a first question is
# taken to ask about (tried as any concept: "SNMP" named in passing answered a question about traps).
DEFINED_TERM = "defined-term::"

Orientation = Literal["clue_choice", "choice_when", "comparison"]
RuleKind = Literal["table_row", "list_item", "trap", "passage"]  # passage: a paragraph of a review of prose alone


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class Section(Frozen):
    """A heading with its place in the document."""

    id: str
    title: str
    path: tuple[str, ...]
    level: int
    source_file: str
    intro: str = ""
    area: str | None = None
    promotional: bool = False
    paragraphs: tuple[str, ...] = ()

    @property
    def path_text(self) -> str:
        return " > ".join(self.path)


class Side(Frozen):
    """One side of a comparison row (e.g. ``CI/CD pipeline`` → ``Unit tests, build, …``)."""

    label: str
    text: str


class Rule(Frozen):
    """One decision rule: a table row, a bullet item or a ``Trap:`` line."""

    id: str
    kind: RuleKind
    section: str
    table: str | None
    row: int
    cells: dict[str, str]
    situation: str
    choice: str
    notes: dict[str, str] = {}
    sides: tuple[Side, ...] = ()
    area: str
    concepts: tuple[str, ...] = ()
    choice_concepts: tuple[str, ...] = ()
    anti_pattern: bool = False
    list_kind: str | None = None
    source_file: str
    # a row of the pack's overview table (one row per exam area): a summary of many rules, not a decision rule
    overview: bool = False
    under: str = ""  # a list item nested under another: that item's name ("Accuracy" under "Binary Classification")
    # a list item that names a thing of its own under a section about something else: what the section is about
    # ("Elastic pools for multi-tenant SaaS" under "Azure SQL Database"); answers name both, options may name either
    subject: str = ""
    # what the document set in bold or as code inside a list item's text, not its name ("PIM requires **Entra ID
    # P2** (NOT P1)"): what the item is there to say, in order
    stressed: tuple[str, ...] = ()
    # a practice bank's question (ingest/bank.py): the options its author offered, in order, and which one is keyed;
    # kept for the quiz to ask the question as written, never searched, cited or offered as a rule's words
    offered: tuple[str, ...] = ()
    offered_key: int = -1

    @property
    def text(self) -> str:
        """The row as one readable line (used in citations)."""
        if self.cells:
            return " | ".join(f"{k}: {v}" for k, v in self.cells.items())
        return f"{self.choice}: {self.situation}" if self.situation else self.choice

    def trap_side(self, side: Side) -> bool:
        """On a comparison row about a trap ("Common trap | CI/CD: Using CI/CD as the experiment tracker | Azure ML
        pipeline: Use ML tracking …"), whether ``side`` states the trap rather than the "Use …" fix."""
        return "trap" in self.situation.lower() and not side.text.lower().startswith("use ")

    @property
    def states_fact(self) -> bool:
        """An item of a trap list that states a fact naming no concept ("Security Groups are stateful, NACLs are
        stateless"), not a mistake to avoid ("Granting broad contributor access …"): it is an answer itself."""
        return (self.kind, self.list_kind) == ("list_item", "trap") and not self.concepts and not self.situation \
            and bool(re.search(r"\b(is|are|has|have|stops?|needs?|must|cannot|can't)\b", self.choice)) \
            and not re.match(r"\w+ing\b", self.choice)

    @property
    def fix_side(self) -> Side | None:
        """The side that says what to do instead, on a comparison row about a trap whose other side is the trap."""
        fixes = [s for s in self.sides if not self.trap_side(s)]
        return fixes[0] if fixes and len(fixes) < len(self.sides) else None


# Situation headers of a table of misconceptions and their corrections.
COMMAND_COLUMNS = ("Task", "Command")  # the table ingest makes of a code fence of commands
MYTH_HEADERS = ("trap", "wrong", "myth", "misconception", "assumption", "claim", "mistake")


class Table(Frozen):
    """A parsed table: its heading is its title; an intro sentence is its caption."""

    id: str
    title: str
    caption: str
    section: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    orientation: Orientation
    situation_column: int
    choice_column: int
    area: str
    source_file: str
    orientation_source: Literal["detected", "override", "default"] = "detected"
    overview: bool = False  # the pack's overview table (a review map: one row per exam area)
    # how sure ingest is of which column is the choice (ingest/orientation.py); quizzes skip "low" tables
    orientation_confidence: Literal["high", "medium", "low"] = "high"
    # a lookup keyed by several columns ("Service | Configuration | SLA"): a row's situation is their cells together
    key_columns: tuple[int, ...] = ()

    @property
    def states_myths(self) -> bool:
        """A table of misconceptions and their corrections ("Trap | Reality", "Wrong assumption | Correct
        answer"): what its situation column states is false, and its choice column corrects it."""
        header = self.columns[self.situation_column].lower()
        return self.orientation != "comparison" and any(w in header for w in MYTH_HEADERS)

    @property
    def lists_commands(self) -> bool:
        """A table of the commands a code fence gives, each for its task (ingest/commands.py)."""
        return self.columns == COMMAND_COLUMNS

    @property
    def situation_header(self) -> str:
        """The header of what a row's choice is chosen for ("Service + Configuration" for a keyed lookup)."""
        return " + ".join(self.columns[i] for i in self.key_columns) if self.key_columns else \
            self.columns[self.situation_column]

    def rule_id(self, row: int) -> str:
        return f"{self.id}#{row}"


class Concept(Frozen):
    """A canonical choice with aliases and where it appears."""

    id: str
    label: str
    aliases: tuple[str, ...]
    family: str
    choice_of: tuple[str, ...] = ()
    mentioned_in: tuple[str, ...] = ()
    curated: bool = False  # from the exam pack's concept list (so a one-word label is still a name to look for)
    setting: tuple[str, ...] = ()  # aliases that set a question's scene (also in ``aliases``): not what it asks about


class FlowEdge(Frozen):
    """A lifecycle transition from the mermaid flowchart."""

    source: str
    target: str
    label: str = ""


class Area(Frozen):
    """An exam area (from the exam pack) or, without a pack, a top-level heading of the document."""

    id: str
    name: str
    keywords: tuple[str, ...]
    weight: float = 1.0  # its share of the exam, from the pack (equal without one)


class KnowledgeBase(BaseModel):
    """Everything ingest knows about the corpus, saved as JSON beside the index."""

    schema_version: int = KB_SCHEMA_VERSION
    corpus_hash: str = ""
    documents: list[str] = []
    pack: str | None = None  # the exam pack the index was built with (None: without one)
    areas: list[Area] = []
    sections: list[Section] = []
    tables: list[Table] = []
    rules: list[Rule] = []
    concepts: list[Concept] = []
    flow: list[FlowEdge] = []

    _rules: dict[str, Rule] = PrivateAttr(default_factory=dict)
    _tables: dict[str, Table] = PrivateAttr(default_factory=dict)
    _sections: dict[str, Section] = PrivateAttr(default_factory=dict)
    _concepts: dict[str, Concept] = PrivateAttr(default_factory=dict)
    _defined_terms: frozenset[str] = PrivateAttr(default_factory=frozenset)

    def model_post_init(self, __context: object) -> None:
        self._rules = {r.id: r for r in self.rules}
        self._tables = {t.id: t for t in self.tables}
        self._sections = {s.id: s for s in self.sections}
        self._concepts = {c.id: c for c in self.concepts}
        self._defined_terms = frozenset(c.id for c in self.concepts if c.family.startswith(DEFINED_TERM))

    @property
    def defined_terms(self) -> frozenset[str]:
        """The concepts that are terms a list defines (``DEFINED_TERM``): never what a question is taken to ask about
        or to rule out in passing."""
        return self._defined_terms

    def rule(self, rule_id: str) -> Rule:
        return self._rules[rule_id]

    def has_rule(self, rule_id: str) -> bool:
        return rule_id in self._rules

    def rules_of(self, table_id: str) -> list[Rule]:
        """A table's row rules in row order, by id (no scan of every rule: corpora may hold thousands)."""
        table = self.table(table_id)
        ids = (table.rule_id(n) for n in range(1, len(table.rows) + 1))
        return [self._rules[rid] for rid in ids if rid in self._rules]

    def where(self, rule_id: str) -> str:
        """A rule as a reader finds it: "<table title>, row N" or "<section>, item N" (the id if it is gone)."""
        if rule_id not in self._rules:
            return rule_id
        r = self._rules[rule_id]
        return f"{self.table(r.table).title}, row {r.row}" if r.table else f"{r.section.split(' > ')[-1]}, item {r.row}"

    def table(self, table_id: str) -> Table:
        return self._tables[table_id]

    def section(self, section_id: str) -> Section:
        return self._sections[section_id]

    def concept(self, concept_id: str) -> Concept:
        return self._concepts[concept_id]

    def area_name(self, area_id: str) -> str:
        return next((a.name for a in self.areas if a.id == area_id), area_id)

    @property
    def table_rules(self) -> list[Rule]:
        return [r for r in self.rules if r.kind == "table_row"]

    def only(self, documents: set[str]) -> KnowledgeBase:
        """The part of the knowledge base that ``documents`` (file names) hold: their sections, tables and rules;
        the concepts they name, each with only these documents' rules (a name two documents share stays two
        separate meanings); the areas their rules and sections use. The flowchart edges stay whole: they carry no
        document, and no answer reads them."""
        rules = [r for r in self.rules if r.source_file in documents]
        kept = {r.id for r in rules}
        concepts = []
        for c in self.concepts:
            choice_of = tuple(r for r in c.choice_of if r in kept)
            mentioned_in = tuple(r for r in c.mentioned_in if r in kept)
            if choice_of or mentioned_in:
                concepts.append(c.model_copy(update={"choice_of": choice_of, "mentioned_in": mentioned_in}))
        sections = [s for s in self.sections if s.source_file in documents]
        used = {r.area for r in rules} | {s.area for s in sections if s.area}
        return KnowledgeBase(corpus_hash=self.corpus_hash, documents=[d for d in self.documents if d in documents],
                             pack=self.pack, areas=[a for a in self.areas if a.id in used], sections=sections,
                             tables=[t for t in self.tables if t.source_file in documents], rules=rules,
                             concepts=concepts, flow=self.flow)

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(self.model_dump_json(indent=1), encoding="utf-8")
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path) -> KnowledgeBase:
        if not path.exists():
            raise IndexMissingError(f"No knowledge base at {path}; run `studyassist ingest` to build it.")
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            kb = cls.model_validate(data)
        except (ValueError, OSError) as exc:
            raise IndexCorruptError(
                f"The knowledge base {path} is unreadable ({type(exc).__name__}); "
                "run `studyassist ingest --rebuild` to recreate it.") from exc
        if kb.schema_version != KB_SCHEMA_VERSION:
            raise IndexCorruptError(
                f"The knowledge base {path} has schema {kb.schema_version}, expected {KB_SCHEMA_VERSION}; "
                "run `studyassist ingest --rebuild`.")
        return kb
