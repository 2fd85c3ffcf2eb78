"""Turn parsed documents into the knowledge base: sections, tables, rules, concepts, flowchart edges."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ingest import orientation as orient
from ingest import parser
from ingest.areas import AreaClassifier, HeadingAreas, pack_areas
from ingest.bank import banked, offered, with_offers  # (a practice question and its keyed option: a row)
from ingest.budget import within_budget
from ingest.cards import set_apart
from ingest.concepts import PACK_REALM, ConceptBuilder, qualified_names
from ingest.faq import headed  # (a collapsible question, a list's naming first item: headings)
from ingest.flowchart import parse_flowchart
from ingest.list_rules import MARKED_WRONG, contents, defines_a_name, finished, list_rules, template_fields
from ingest.paired import paired
from ingest.parser import BulletList, Flowchart, Heading, Paragraph, TableBlock, TrapLine, parse_blocks
from ingest.prose import (
    caption_name,
    facet_headings,
    faceted,
    heading_name,
    passage_rules,
    pointers,
    prose_rules,
    said_of,
    says_something,
    subject,
)
from studyassist.knowledge.model import DEFINED_TERM, FlowEdge, KnowledgeBase, Rule, Section, Side, Table
from studyassist.pack import NO_PACK, ExamPack
from studyassist.text import expansion, normalize, slugify, strip_quotes, without_brackets

# Words in a section that mark practice-bank advertising (kept as text, never rules).
_PROMO_MARKERS = ("question bank", "practice sets", "mock exams", "practice items", "exam dumps",
                  "practice questions", "practice set", "sign up", "subscribe", "free trial")


@dataclass
class Document:
    name: str
    text: str


MAX_WARNINGS_OF_A_KIND = 5  # per document: a hostile file once gave 553 warnings, one per table problem


@dataclass
class BuildReport:
    """What the learner should hear about a build, in ``warnings``; past the first few tables of one kind of
    problem in one document, one line counts the rest."""
    warnings: list[str] = field(default_factory=list)
    _kinds: dict[tuple[str, str], tuple[int, int | None]] = field(default_factory=dict, init=False, repr=False)

    def warn(self, document: str, kind: str, *messages: str) -> None:
        """The messages about one thing (a table) with a problem of ``kind``, e.g. "tables read with low
        confidence": listed for the first few such things in ``document``, then only counted."""
        seen, summary_at = self._kinds.get((document, kind), (0, None))
        seen += 1
        if seen <= MAX_WARNINGS_OF_A_KIND:
            self.warnings.extend(messages)
        else:
            line = (f"{document}: and {seen - MAX_WARNINGS_OF_A_KIND:,} more like these ({kind}); only the first "
                    f"{MAX_WARNINGS_OF_A_KIND} are listed.")
            if summary_at is None:  # the count stays where the list of its kind stopped, and goes up in place
                summary_at = len(self.warnings)
                self.warnings.append(line)
            else:
                self.warnings[summary_at] = line
        self._kinds[(document, kind)] = (seen, summary_at)


def load_overrides(doc_name: str, corpus_dir: Path | None = None, pack: ExamPack = NO_PACK) -> dict:
    """The per-document override file: ``corpus/.overrides/<stem>.json`` (the learner's own), else the pack's."""
    if corpus_dir is not None:
        path = corpus_dir / ".overrides" / f"{Path(doc_name).stem}.json"
        if path.exists():
            return json.loads(path.read_text(encoding="utf-8"))
    return pack.overrides_for(doc_name)


class _Ids:
    """Ids given out so far; a base given before gets the first free ``-2``, ``-3``, … suffix. Where the search for a
    base stopped is kept (every suffix below it stays taken), so 25,000 sections titled alike cost 25,000 steps, not
    300 million."""

    def __init__(self) -> None:
        self._given: set[str] = set()
        self._next: dict[str, int] = {}

    def take(self, base: str) -> str:
        slug, n = base, self._next.get(base, 2)
        while slug in self._given:
            slug, n = f"{base}-{n}", n + 1
        self._next[base] = n
        self._given.add(slug)
        return slug


def _assign_levels(blocks: list, overrides: dict) -> None:
    """Bare headings get levels: title 1; a heading directly followed by another opens a group (2)
    whose later headings are 3, until the override file or another group says otherwise."""
    levels = {normalize(k): v for k, v in overrides.get("heading_levels", {}).items()}
    in_group = False
    first = True
    for i, b in enumerate(blocks):
        if not isinstance(b, Heading) or b.level is not None:
            continue
        if first:
            b.level, first = 1, False
            continue
        is_group = i + 1 < len(blocks) and isinstance(blocks[i + 1], Heading)
        forced = levels.get(normalize(b.title))
        if forced is not None:
            b.level = forced
            if forced <= 2:
                in_group = is_group
        elif is_group:
            b.level, in_group = 2, True
        else:
            b.level = 3 if in_group else 2


# Headings of a document's own navigation, whose list items are links or a generator's placeholder ("1. TOC").
_NAVIGATION = {"table of contents", "contents", "toc", "on this page", "in this document"}


def _is_promotional(title: str, texts: list[str], overrides: dict) -> bool:
    """A section that is no review material: advertising (the override's list, or three marketing phrases) or the
    document's own navigation (a table of contents)."""
    if normalize(title) in {normalize(t) for t in overrides.get("promotional", [])} | _NAVIGATION:
        return True
    body = normalize(" ".join([title, *texts]))
    return sum(body.count(m) for m in _PROMO_MARKERS) >= 3


def _is_overview(title: str, pack: ExamPack) -> bool:
    return pack.overview is not None and normalize(title) == normalize(pack.overview.table)


def _overview_rows(blocks: list, pack: ExamPack) -> list[tuple[str, str]]:
    """(area name, keywords) cells of the pack's overview table, if the document has it."""
    if pack.overview is None:
        return []
    out, heading = [], ""
    for b in blocks:
        if isinstance(b, Heading):
            heading = b.title
        elif isinstance(b, TableBlock) and _is_overview(heading, pack):
            columns = [normalize(c) for c in b.header]
            spec = pack.overview
            if normalize(spec.area_column) not in columns:
                continue
            name_at = columns.index(normalize(spec.area_column))
            words_at = columns.index(normalize(spec.keywords_column)) if spec.keywords_column and \
                normalize(spec.keywords_column) in columns else None
            out += [(row[name_at], row[words_at] if words_at is not None else "") for row in b.rows]
    return out


def build_knowledge(documents: list[Document], corpus_dir: Path | None = None,
                    report: BuildReport | None = None, pack: ExamPack = NO_PACK) -> KnowledgeBase:
    """Parse every document and link rules to areas and concepts, with ``pack``'s areas, concepts and overrides
    (without a pack: areas from each document's top-level headings, concepts from its choice cells)."""
    report = report or BuildReport()
    parsed = []
    overview_rows: list[tuple[str, str]] = []
    for doc in documents:
        overrides = load_overrides(doc.name, corpus_dir, pack)
        cuts = parser.Cuts()
        blocks = paired(parse_blocks(headed(banked(doc.text)), cuts))  # ("**Scenario:** …" / "**Answer:** …": a card)
        report.warnings.extend(_cut_warnings(doc.name, cuts))
        _assign_levels(blocks, overrides)
        parsed.append((doc, blocks, overrides))
        overview_rows += _overview_rows(blocks, pack)
    kb = _Builder(pack, overview_rows, report)
    for doc, blocks, overrides in parsed:
        kb.add_document(doc, blocks, overrides)
    return kb.finish([d.name for d in documents])


def _cut_warnings(name: str, cuts: parser.Cuts) -> list[str]:
    out = []
    if cuts.total_lines:
        out.append(f"{name}: only its first {parser.MAX_LINES:,} lines of {cuts.total_lines:,} are read; split it "
                   "into several files to index the rest.")
    if cuts.long:
        out.append(f"{name}: {len(cuts.long):,} lines, cells or paragraphs longer than {parser.MAX_TEXT_CHARS:,} "
                   f"characters were cut to that length, the first at line {cuts.long[0]}; split the text if all of it "
                   "matters.")
    return out


def _split_sections(blocks: list) -> list[tuple[Heading | None, list]]:
    out: list[tuple[Heading | None, list]] = [(None, [])]
    for b in blocks:
        if isinstance(b, Heading):
            out.append((b, []))
        else:
            out[-1][1].append(b)
    return [s for s in out if s[0] is not None or s[1]]


class _Builder:
    """What the documents add up to: sections, tables, rules and flowchart edges, then concepts linked."""

    def __init__(self, pack: ExamPack, overview_rows: list[tuple[str, str]], report: BuildReport):
        self.pack, self.report = pack, report
        areas = pack_areas(pack, overview_rows)
        # with the pack's areas a rule goes where its words point; without them, to its top-level heading
        self.classifier: AreaClassifier | HeadingAreas = AreaClassifier(areas) if areas else HeadingAreas()
        # a document the pack does not serve (another exam's notes beside this one) keeps its own headings as areas
        self.own_areas = self.classifier if isinstance(self.classifier, HeadingAreas) else HeadingAreas(
            {a.id for a in areas})
        self.areas = areas
        # the pack's concepts are the vocabulary of the documents it serves (of every one, for a pack that names
        # none); without a pack each document names its own
        self.served = lambda name: pack.present and (not pack.documents or pack.serves(name))
        self.concepts = ConceptBuilder(pack.concepts, shares_pack=self.served)
        self.used = _Ids()  # section and list ids
        self.used_tables = _Ids()
        self.sections, self.tables, self.rules = list[Section](), list[Table](), list[Rule]()
        self.own_choice: dict[str, list[str]] = {}
        self.subject_of: dict[str, str] = {}  # a list item's rule id → the concept of what its section is about
        self.flow: list[FlowEdge] = []
        self.prose: dict[str, list[str]] = {}  # a section's paragraphs of prose (not code, not a task list)
        self.offers: dict[tuple[str, str], tuple[tuple[str, ...], int]] = {}  # a bank's questions' options

    def finish(self, documents: list[str]) -> KnowledgeBase:
        rules, concepts = self.concepts.link(self.rules, self.own_choice, self.subject_of)
        # a heading with nothing to ask about (a document's title above its first section, a table of contents) is
        # no area: quizzes, progress and the drill plan would offer an empty one
        areas = list(self.areas) + self.own_areas.areas({r.area for r in rules})
        known = {a.id for a in areas}  # a section under such a heading belongs to no area
        sections = [s if s.area is None or s.area in known else s.model_copy(update={"area": None})
                    for s in self.sections]
        return KnowledgeBase(documents=documents, areas=areas, sections=sections, tables=self.tables, flow=self.flow,
                             rules=with_offers(rules, self.offers), concepts=concepts, pack=self.pack.name)

    def classifier_for(self, doc: Document) -> AreaClassifier | HeadingAreas:
        """The pack's areas for a document it serves (or every document, for a pack that names none); the document's
        own headings otherwise."""
        if isinstance(self.classifier, AreaClassifier) and self.pack.documents and not self.pack.serves(doc.name):
            return self.own_areas
        return self.classifier

    def _section_area(self, doc: Document, shown: list[str], text: str, context: str, last_area: str | None) -> str:
        classifier = self.classifier_for(doc)
        if isinstance(classifier, HeadingAreas):
            return classifier.section_area(doc.name, shown[0])
        return classifier.classify(text, context, fallback=last_area)

    def add_document(self, doc: Document, blocks: list, overrides: dict) -> None:
        before, first_section = len(self.rules), len(self.sections)
        self.offers |= {(doc.name, stem): o for stem, o in offered(doc.text).items()}
        self._add_document(doc, blocks, overrides)
        own = [s for s in self.sections[first_section:] if not s.promotional]
        if len(self.rules) == before:  # prose alone: its paragraphs are what answers cite
            self.rules.extend(passage_rules(doc, own))
        elif not self.served(doc.name):  # prose between the tables and lists ("### Azure Service Bus" over what it is
            # for) is answerable too, and so is prose over a section's own list ("By default, pods accept traffic from
            # any source" over the kinds of network policy); in a document a pack serves, the pack's rows are the
            # rules (its paraphrases, wordings and gold sets name them)
            ruled = {r.section for r in self.rules[before:]}
            said = {s.id: [b for p in self.prose.get(s.id, ()) if (b := said_of(p, s.path_text in ruled))]
                    for s in own}
            self.rules.extend(prose_rules(doc, [(s, said[s.id]) for s in own if said[s.id]
                                                 and not (s.level == 1 and s is own[0])]))
        rules, sections, cut = within_budget(doc.name, self.rules[before:], self.sections[first_section:])
        if cut:
            self.rules[before:], self.sections[first_section:] = rules, sections
            self.report.warnings.append(cut)

    def _add_document(self, doc: Document, blocks: list, overrides: dict) -> None:
        table_overrides = {normalize(k): v for k, v in overrides.get("tables", {}).items()}
        classifier, raw = self.classifier_for(doc), doc.text.splitlines()  # (blocks keep their line numbers)
        has_title = bool(blocks) and isinstance(blocks[0], Heading) and blocks[0].level == 1
        fields = template_fields([b for b in blocks if isinstance(b, BulletList)])  # ("What it is" in every list)
        levels = [(b.level, normalize(heading_name(b.title))) for b in blocks if isinstance(b, Heading)]
        facets, headings = facet_headings([n for _, n in levels]), frozenset(n for _, n in levels)  # ("What You Can
        things = faceted(levels, facets)  # Do" under every service; the services, whose items are their features)
        path: list[tuple[int, str]] = []
        last_area: str | None = None
        for heading, body in _split_sections(blocks):
            title = heading.title if heading else Path(doc.name).stem
            level = heading.level if heading else 1
            while path and path[-1][0] >= level:
                path.pop()
            path.append((level, title))
            sec_id = self.used.take(slugify(title))
            # a study plan ("Phase | Focus | Key Tools") is searchable text, not rules: it answered "Azure OpenAI vs
            # AI Foundry?" with "the review's rule for 'Build generative AI solutions'" (AI-900 trial)
            body = [Paragraph("; ".join(" — ".join(c for c in row if c.strip()) for row in b.rows), b.line, prose=False)
                    if isinstance(b, TableBlock) and orient.schedule(b.header, b.rows) else b for b in body]
            # and so are a table of contents (its items would be rules naming the sections they list) and a list of
            # resources to look at
            body = [Paragraph("; ".join(b.items), b.line, prose=False)
                    if isinstance(b, BulletList) and (contents(b, headings) or pointers(title)) else b for b in body]
            texts = [b.text for b in body if isinstance(b, Paragraph | TrapLine)]
            texts += [i for b in body if isinstance(b, BulletList) for i in b.items]
            promotional = _is_promotional(title, texts, overrides)
            shown = [t for lvl, t in path if not (has_title and lvl == 1)] or [title]  # (not the title)
            about = None if self.served(doc.name) or (has_title and level == 1) else subject(shown, facets)
            context = " > ".join(shown)
            sec_area = self._section_area(doc, shown, title + " " + " ".join(texts)[:2000], context, last_area)
            last_area = sec_area
            kept = [b for b in body if isinstance(b, Paragraph) and says_something(b.text)]  # (each would be a chunk)
            whole = {id(b): finished(b.text, n) for b, n in zip(body, [*body[1:], None]) if isinstance(b, Paragraph)}
            paragraphs = [whole[id(b)] for b in kept]
            self.prose[sec_id] = [whole[id(b)] for b in kept if b.prose]
            intro = paragraphs[0] if paragraphs and body and isinstance(body[0], Paragraph) else ""
            self.sections.append(Section(id=sec_id, title=title, path=tuple(shown), level=level,
                                         source_file=doc.name, intro=intro, area=sec_area, promotional=promotional,
                                         paragraphs=tuple(paragraphs)))
            if promotional:
                continue
            caption: list[str] = []
            trap_n = 0
            for block in body:
                if isinstance(block, Paragraph):
                    caption.append(block.text)  # (and whether it was marked wrong: "❌ **PIM …**")
                    marked = 0 < block.line <= len(raw) and bool(MARKED_WRONG.match(raw[block.line - 1]))
                elif isinstance(block, TableBlock):
                    table = _table(doc, block, title, " ".join(caption), sec_id, context, table_overrides,
                                   classifier, sec_area, self.used_tables, self.report, _is_overview(title, self.pack))
                    self.tables.append(table)
                    self.rules.extend(_table_rules(table, classifier, self.concepts, self.own_choice, context))
                    caption = []
                elif isinstance(block, BulletList):
                    intro_text = caption[-1] if caption else ""
                    owner = about if about and normalize(about) in things else ""
                    named = (caption_name(intro_text) or about) if about is not None else None  # ("🔹 Fuzzing" above)
                    listed = list_rules(doc, block, title, intro_text, sec_id, sec_area, classifier, self.used,
                                        context, named, fields, owner, marked=bool(caption) and marked)
                    for r in listed:  # what its points are about is a concept of the document ("Queue Storage"),
                        if r.list_kind in ("point", "mistake") and (  # (a point that it is outdated, too)
                                about and r.choice == about or r.under and r.choice == r.under
                                and not self.served(doc.name)):  # and one its items mention
                            self.own_choice[r.id] = [self.concepts.add_subject(r.choice, doc.name)]  # (or an item
                        elif r.subject:  # its nested points are about: "Enhanced fan-out consumer - push")
                            self.subject_of[r.id] = self.concepts.add_subject(r.subject, doc.name)
                        if r.id not in self.own_choice and defines_a_name(r) and not self.served(doc.name):
                            self.own_choice[r.id] = [self.concepts.add_choice(  # ("**DirectQuery**: Real-time …", and
                                r.choice, DEFINED_TERM + r.id, doc.name)]  # under a subject too: "**Delivery:** …")
                    self.rules.extend(listed)
                    caption = []
                elif isinstance(block, TrapLine):
                    trap_n += 1
                    self.rules.append(Rule(id=f"{sec_id}-trap#{trap_n}", kind="trap", section=context,
                                           table=None, row=trap_n, cells={}, situation=block.text, choice=block.label,
                                           area=classifier.classify(block.text, context, fallback=sec_area),
                                           anti_pattern=True, list_kind="trap", source_file=doc.name))
                elif isinstance(block, Flowchart):
                    self.flow.extend(parse_flowchart(block.lines))


def _table(doc, block: TableBlock, title, caption, sec_id, context, table_overrides, classifier, sec_area,
           used, report, overview: bool) -> Table:
    if block.problems:
        report.warn(doc.name, "tables whose rows or columns do not fit their header",
                    *(f"{doc.name}: table '{title}' {p}." for p in block.problems))
    spec = table_overrides.get(normalize(title))
    rows, groups = orient.group_rows(block.rows)  # ("| **Inbound** | | |" labels the rows below it)
    try:
        o = orient.from_override(block.header, spec) if spec else orient.detect(block.header, rows)
    except (ValueError, KeyError, IndexError):
        report.warn(doc.name, "table overrides that name an unknown column",
                    f"{doc.name}: the override for table '{title}' names an unknown column; header detection used "
                    "instead.")
        o = orient.detect(block.header, rows)
    rows = [orient.in_group(r, g, o.situation_column) for r, g in zip(rows, groups)]
    if o.confidence != "high":
        choice = block.header[o.choice_column] or f"column {o.choice_column + 1}"  # (a blank header: its place)
        situation = "' + '".join(block.header[i] for i in o.keys) if o.keys else block.header[o.situation_column]
        how = "its headers say little" if o.source == "detected" else "its headers say nothing, so its cells decided"
        report.warn(doc.name, "tables read with less than high confidence",
                    f"{doc.name}: table '{title}' is read as '{choice}' chosen for '{situation}' with "
                    f"{o.confidence} confidence ({how}); add an override if that is wrong.")
    rows_text = " ".join(" ".join(r) for r in rows)
    area = classifier.classify(title + " " + rows_text, context, fallback=sec_area)
    return Table(id=used.take(slugify(title)), title=title, caption=caption, section=sec_id,
                 columns=tuple(block.header), rows=tuple(tuple(r) for r in rows),
                 orientation=o.kind, situation_column=o.situation_column, choice_column=o.choice_column,
                 area=area, source_file=doc.name, orientation_source=o.source, overview=overview,
                 orientation_confidence=o.confidence, key_columns=o.keys)


def _table_rules(table: Table, classifier, builder: ConceptBuilder, own_choice, context) -> list[Rule]:
    out = []
    notes_only = builder.realm(table.source_file) != PACK_REALM  # (a pack names its own exam's choices)
    for n, row in enumerate(table.rows, start=1):
        cells = dict(zip(table.columns, row))
        rid = table.rule_id(n)
        if table.orientation == "comparison":
            sides = tuple(Side(label=table.columns[i], text=row[i]) for i in range(1, len(row)))
            situation = strip_quotes(row[0])
            choice = "; ".join(f"{s.label}: {s.text}" for s in sides)
            own_choice[rid] = [builder.add_choice(s.label, table.id, table.source_file) for s in sides]
            notes = {}
        else:
            sides = ()
            keys = table.key_columns or (table.situation_column,)
            situation = " — ".join(strip_quotes(row[i]) for i in keys if row[i].strip())
            choice, not_this = set_apart(strip_quotes(row[table.choice_column]))  # (the "not" a note of its own)
            notes = {c: v for i, (c, v) in enumerate(cells.items())
                     if i not in (*keys, table.choice_column) and v} | ({"Trap": f"not {not_this}"} if not_this else {})
            if table.orientation == "choice_when" or len(choice.split()) <= 6:
                own_choice[rid] = [builder.add_choice(choice, table.id, table.source_file)]
                for full in {w for w in map(without_brackets, row) if w != choice and expansion(choice, w) == w}:
                    builder.add_alias(own_choice[rid][0], full)  # its spelled-out name ("DES | Disk Encryption Set")
                for name in qualified_names(table.title, table.columns[table.choice_column], choice) * notes_only:
                    builder.add_alias(own_choice[rid][0], name)  # "AWS Shield Advanced", "Rate-based rule"
        text = " ".join(row)
        area = classifier.classify(text, table.title + " " + context, fallback=table.area)
        out.append(Rule(id=rid, kind="table_row", section=context, table=table.id, row=n, cells=cells,
                        situation=situation, choice=choice, notes=notes, sides=sides, area=area,
                        source_file=table.source_file, overview=table.overview))
    return out
