"""What kind of thing a rule's choice is, so that a quiz offers options of one kind: its table's choice column
("Best fit"), the concept family most of its table's rows choose ("Data quality" is a gate among gates), its cell
in the document's own category column ("Type: Object"), and the category noun its name ends with ("… tier")."""
from __future__ import annotations

from studyassist.knowledge.model import KnowledgeBase, Rule
from studyassist.quiz.options import category_column, kind_word, mixed_kinds, table_kind
from studyassist.text import normalize


class Kinds:
    """Kind lookups over one knowledge base (computed once per table)."""

    def __init__(self, kb: KnowledgeBase):
        self.kb = kb
        self._families = {t: table_kind([{kb.concept(c).family for c in r.choice_concepts} for r in kb.rules_of(t)])
                          for t in {r.table for r in kb.table_rules}}
        self._categories: dict[str, str] = {}  # table → its category column
        # tables whose choices end in several category nouns (SQL: "… tier", "… pool", "… group", "… benefit")
        self._named_kinds = {t for t in {r.table for r in kb.table_rules}
                             if len({kind_word(r.choice) for r in kb.rules_of(t)} - {""}) >= 2}

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
