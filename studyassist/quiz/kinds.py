"""What kind of thing a rule's choice is, so that a quiz offers options of one kind: its table's choice column
("Best fit"), the concept family most of its table's rows choose ("Data quality" is a gate among gates), its cell
in the document's own category column ("Type: Object"), and the category noun its name ends with ("… tier"). In notes
no pack serves, only the table a choice stands in and the other tables choosing it tell its kind, and what the notes
name side by side ("Customer vs User vs Sponsor") is what a learner must tell apart."""
from __future__ import annotations

import re
from collections.abc import Container

from studyassist.knowledge.model import KnowledgeBase, Rule
from studyassist.quiz.options import category_column, is_someone, kind_word, mixed_kinds, table_kind, tool_of
from studyassist.text import normalize, strip_quotes, without_brackets


class Kinds:
    """Kind lookups over one knowledge base (computed once per table)."""

    def __init__(self, kb: KnowledgeBase, served: Container[str] = frozenset()):
        self.kb, self._served = kb, served  # (the documents a pack serves)
        self._texts: dict[str, list[tuple[str | None, str]]] = {}  # document → its points and headings, lower case
        self._families = {t: table_kind([{kb.concept(c).family for c in r.choice_concepts} for r in kb.rules_of(t)])
                          for t in {r.table for r in kb.table_rules}}
        self._categories: dict[str, str] = {}  # table → its category column
        # tables whose choices end in several category nouns (SQL: "… tier", "… pool", "… group", "… benefit")
        self._named_kinds = {t for t in {r.table for r in kb.table_rules}
                             if len({kind_word(r.choice) for r in kb.rules_of(t)} - {""}) >= 2}
        self._tables_choosing: dict[str, set[str]] = {}  # concept → the tables with a row choosing it
        for r in kb.table_rules:
            for c in r.choice_concepts:
                self._tables_choosing.setdefault(c, set()).add(r.table)

    def together(self, rule: Rule, names: list[str]) -> list[int]:
        """In how many headings and points outside the rule's table its notes name each of ``names`` beside the rule's
        choice ("Trap 2 — Customer vs User vs Sponsor"): the things a learner is asked to tell apart."""
        if rule.source_file not in self._texts:
            self._texts[rule.source_file] = [(r.table, r.text.lower()) for r in self.kb.rules
                                             if r.source_file == rule.source_file] + [
                (None, s.title.lower()) for s in self.kb.sections if s.source_file == rule.source_file]
        texts = [t for table, t in self._texts[rule.source_file] if table != rule.table]
        key = _said(rule.choice)
        with_key = [t for t in texts if key.search(t)] if key else []
        return [sum(1 for t in with_key if (said := _said(n)) and said.search(t)) for n in names]

    def own_concepts(self, rule_id: str | None, text: str) -> frozenset[str]:
        """The concepts a row chooses, when ``text`` is its choice: a one-word name ("User" beside "Sponsor") is found
        in no text, yet it names its row's concept."""
        rule = self.kb.rule(rule_id) if rule_id is not None and self.kb.has_rule(rule_id) else None
        named = rule is not None and normalize(text) == normalize(strip_quotes(rule.choice).rstrip("."))
        return frozenset(rule.choice_concepts) if named else frozenset()

    def unserved(self, rule: Rule) -> bool:
        """Whether the rule's document is one no pack serves (notes whose kinds only their layout tells)."""
        return rule.source_file not in self._served

    def elsewhere(self, rule_id: str | None, table: str) -> frozenset[str]:
        """The tables other than ``table`` in which the document chooses what a rule chooses."""
        if rule_id is None or not self.kb.has_rule(rule_id):
            return frozenset()
        return frozenset(t for c in self.kb.rule(rule_id).choice_concepts
                         for t in self._tables_choosing.get(c, ())) - {table}

    def sorted_apart(self, rule: Rule, other_id: str | None) -> bool:
        """Whether notes sort another rule's choice apart from this rule's: it is another table's, or one of two in
        one table of which one is chosen in other tables as well and the other in none of those (routing protocols
        in every table of CCNA notes, DNS only beside them in the ports table). Where no pack says what is of one
        kind, only the table a choice stands in does."""
        if not self.unserved(rule):
            return False
        if other_id is None or not self.kb.has_rule(other_id) or self.kb.rule(other_id).table != rule.table:
            return True
        other = self.kb.rule(other_id)  # a glossary of roles and things: one of each is of another kind
        if is_someone(rule.choice, rule.situation) != is_someone(other.choice, other.situation):
            return True
        if (tool := tool_of(rule.choice)) and tool == tool_of(other.choice):
            return False  # commands of one tool ("terraform plan", "terraform destroy"), whatever else chooses one
        rows = self.kb.rules_of(rule.table)
        if tool and 2 * sum(tool_of(r.choice) == tool for r in rows) > len(rows):
            return True  # a flag beside a table of the tool's commands ('-var="…" or -var-file=…': a blind review)
        mine, theirs = self.elsewhere(rule.id, rule.table), self.elsewhere(other_id, rule.table)
        return bool(mine or theirs) and not mine & theirs

    def mixed(self, rule: Rule, choices: list[str]) -> bool:
        """Whether ``choices`` for an item on ``rule`` are of two kinds by their names (options.mixed_kinds): strictly,
        a plain name beside a named kind too, where the rule's table names several kinds."""
        return mixed_kinds(choices, strict=rule.table in self._named_kinds)

    def column(self, rule_id: str | None) -> str | None:
        """What a rule's choice is: its table's choice column ("Better fit", "Best first thinking step", …)."""
        if rule_id is None or not self.kb.has_rule(rule_id) or not self.kb.rule(rule_id).table:
            return None
        table = self.kb.table(self.kb.rule(rule_id).table)
        return normalize(table.columns[table.choice_column])

    def family(self, table_id: str | None) -> str | None:
        """The concept family most of a table's rows choose (options.table_kind); None for a table of mixed kinds."""
        return self._families.get(table_id) if table_id else None

    def category(self, rule_id: str | None) -> str:
        """A row's cell in its table's first category column, short names that several rows share and others do
        not ("Service | Type | Use case": Object, File, Block), by which the document sorts its choices into kinds."""
        rule = self.kb.rule(rule_id) if rule_id is not None and self.kb.has_rule(rule_id) else None
        if rule is None or not rule.table:
            return ""
        if rule.table not in self._categories:
            table = self.kb.table(rule.table)
            others = [h for i, h in enumerate(table.columns)
                      if i not in {table.situation_column, table.choice_column, *table.key_columns}]
            self._categories[rule.table] = category_column(others, [r.cells for r in self.kb.rules_of(rule.table)])
        return rule.cells.get(self._categories[rule.table], "").strip().lower()


def _said(name: str) -> re.Pattern | None:
    """A name as a whole phrase in lower-case text, without its bracketed part; None for a name of under 3 letters."""
    bare = without_brackets(name).strip().lower()
    return re.compile(rf"(?<!\w){re.escape(bare)}(?!\w)") if len(bare) >= 3 else None
