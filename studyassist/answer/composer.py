"""The grounded answerer: composes a short cited answer from the rules, no LLM involved."""
from __future__ import annotations

import re
from dataclasses import replace

import numpy as np

from studyassist.answer.cells import asked_cell, asked_of_named, asked_point, asked_value
from studyassist.answer.coverage import covered, never_mentioned, past_the_scene, said_first, unknown_subject
from studyassist.answer.intents import challenges
from studyassist.answer.labels import decision_label, stressed_answer
from studyassist.answer.resolve import Resolved, generic_concepts
from studyassist.answer.retrieval import Hit, HybridRetriever, diagnoses
from studyassist.answer.steps import asked_steps
from studyassist.answer.types import NOT_COVERED, Claim, Composed
from studyassist.answer.verdicts import VerdictAnswers
from studyassist.answer.versus import VersusAnswers, asked_side, rivals
from studyassist.answer.wording import _said, _sentence, note_claims, passage_excerpt, reason_first, when_texts
from studyassist.knowledge.attributes import AttributeTables
from studyassist.knowledge.bounds import within_bounds
from studyassist.knowledge.clues import Clues
from studyassist.knowledge.facets import Facet, FacetVectors
from studyassist.knowledge.model import KnowledgeBase, Rule
from studyassist.knowledge.negation import declined_concepts, head_nouns, replaced_concepts, without_normal
from studyassist.text import ConceptMatcher
from studyassist.text import sentence_part as _lc

_SCENARIO_HEADERS = ("symptom", "scenario")
MORE_POINTS = 4  # a definition told in a list of points says this many more after the first
_DEMOTE = 0.01  # demotes a row below any other candidate (RRF scores of neighbouring ranks differ by ~0.0003)
_CAPTURE_HEADERS = ("capture", "verify")
# With a trap or common mistake retrieved first, a row gains this × its cosine to that warning. Among 0.005-1.0 on
# the dev sets (ask, learner_dev, ask_rewordings) decisions rose up to 0.05, level to 0.1, lower at 1.0.
_WARNED_ROW = 0.05
# Lifts a row of a troubleshooting table (symptom → where to look) for a question that describes a symptom: worth
# about a dozen RRF ranks, less than a table the question names (0.01).
_SYMPTOM_BOOST = 0.004
# A row choosing a concept the question names gains this; a comparison row choosing none loses it (its cells hold
# both sides' tasks, so its words fit many questions): stop 43, learner locked +1 question, nothing lower.
_NAMED = 0.004
# A question that asks for a command (or names a command-line tool) may be answered by a row of a command table.
_ASKS_COMMAND = re.compile(r"\b(commands?|cli|syntax|cmdlets?|flags?|command[- ]line|shell|terminal|script|"
                           r"gcloud|gsutil|az|aws|kubectl|terraform|powershell|bash)\b", re.I)


class Composer(VersusAnswers, VerdictAnswers):
    """Turns a resolved question into claims with rule citations."""

    def __init__(self, kb: KnowledgeBase, retriever: HybridRetriever, matcher: ConceptMatcher,
                 facets: list[Facet], vectors: FacetVectors | None, clues: Clues | None = None):
        self.kb, self.retriever, self.matcher = kb, retriever, matcher
        self.clues = clues or Clues()
        self.facets, self.vectors = facets, vectors
        self.generic = generic_concepts(kb)
        self.heads = head_nouns((c.id, c.label) for c in kb.concepts if c.id not in self.generic)
        self.attributes = AttributeTables(kb)
        unders = {r.under for r in kb.rules if r.under}  # an item that only names what the points under it are about
        self.heading_items = {r.id for r in kb.rules if not (r.situation or r.sides) and r.choice in unders}
        self.facets_of_rule: dict[str, list[Facet]] = {}
        for f in facets:
            self.facets_of_rule.setdefault(f.rule_id, []).append(f)

    def _names_rows(self, rule: Rule) -> str:  # ---- lookups
        """The header of the column that names a table's rows: its choice column (none for a comparison)."""
        return "" if (t := self.kb.table(rule.table)).orientation == "comparison" else t.columns[t.choice_column]

    def label(self, concept_id: str) -> str:
        return self.kb.concept(concept_id).label

    def choice_rules(self, concept_id: str) -> list[Rule]:
        rules = [self.kb.rule(r) for r in self.kb.concept(concept_id).choice_of if self.kb.has_rule(r)]
        rules = sorted(rules, key=lambda r: not (r.situation or r.sides))  # (a name over its points says nothing)
        return [r for r in rules if r.kind == "table_row" and not r.overview] or rules

    note_claims = staticmethod(note_claims)  # (the row's Why / Watch for / Trap cells)

    def trap_claims(self, concepts: list[str], used: set[str]) -> list[Claim]:
        """The first common mistake or trap that mentions one of ``concepts`` (not one of ``used``), as a claim."""
        if (trap := next((r for cid in concepts for rid in self.kb.concept(cid).mentioned_in
                          if (r := self.kb.rule(rid)).anti_pattern and rid not in used), None)) is None:
            return []
        heading = "Common mistake:" if trap.list_kind == "mistake" else "Trap:"
        text = f"{trap.choice}: {trap.situation}" if trap.situation and trap.kind != "trap" else (
            trap.situation or trap.choice)
        return [Claim(text=text.rstrip(".") + ".", rule_ids=[trap.id], heading=heading)]

    def decision_claim(self, rule: Rule, label: str, side: int | None = None) -> Claim:
        table = self.kb.table(rule.table) if rule.table else None
        if side is None and (fix := rule.fix_side):  # the fix first, then the trap it avoids
            traps = "; ".join(_lc(t.text.rstrip(".")) for t in rule.sides if rule.trap_side(t))
            return Claim(text=f"**{label}** ({fix.label}) — {_lc(rule.situation)}: {traps}.", rule_ids=[rule.id],
                         label=label)
        if side is not None and rule.sides:
            s = rule.sides[side]
            text = f"**{s.label}** — {rule.situation}: {s.text.rstrip('.')}."
            return Claim(text=text, rule_ids=[rule.id], label=s.label)
        if table is not None and table.orientation == "clue_choice":
            choice = rule.choice.rstrip(".")
            said = "." if choice == label else f" is: {choice}."  # a short choice is its own label: say it once
            text = f"**{label}** — the review's rule for \"{_lc(rule.situation)}\"{said}"
        else:
            text = f"**{label}** — {said}" if (said := _said(rule, label)) else f"**{label}**."
        return Claim(text=text, rule_ids=[rule.id], label=label)

    def side_by_side(self, rules: list[Rule], question: str = "") -> list[Claim]:
        """The closest rules as alternatives, no verdict (an answer not sure), each by the cell ``question`` names."""
        claims = [Claim(text="Not sure which of these fits your question; the closest rules of the review:", note=True)]
        for r in rules:
            i = asked_side(r, question)  # (a comparison row: the side the question names)
            label = r.sides[i].label if i is not None else decision_label(r, self.kb, self.generic)
            text = f"**{label}** — {said}" if (said := _said(r, label)) else f"**{label}**."
            claims.append(Claim(text=text, rule_ids=[r.id], label=label, bullet=True))
        return asked_cell(self.kb, claims, question)

    def _rule_hits(self, query: str, vector: np.ndarray, k: int = 10) -> list[Hit]:  # (past a row's bound: lower;
        hits = self.retriever.search(without_normal(query), k=k, vector=vector)  # "CPU fine": not what it asks about)
        return within_bounds([h for h in hits if h.rule is not None], query)

    def diagnosis(self, rule: Rule) -> bool:
        """Whether the row comes from a table that diagnoses a problem (symptom → where to look)."""
        return bool(rule.table) and diagnoses(self.kb.table(rule.table))

    def _primary(self, hits: list[Hit], concepts: list[str], prefer=None, symptom: bool | None = None) -> Hit | None:
        """Best rule hit: table rows first, rows that choose a named concept and preferred tables boosted; when the
        question describes no ``symptom`` (False), rows of diagnosis tables only if nothing else fits; after a trap
        found first ("Assuming retraining always fixes drift"), the rows nearest it, unless one chooses a named one."""
        top, named = hits[0].rule if hits else None, set(concepts) - self.generic
        fact = top is not None and top.states_fact  # ("Security Groups are stateful, NACLs are stateless")
        warning = self.retriever.row_vector(top.id) if top is not None and top.anti_pattern and not fact and not any(
            set(h.rule.choice_concepts) & named for h in hits) else None
        def score(h: Hit) -> float:
            r, s = h.rule, h.score
            if warning is not None and (v := self.retriever.row_vector(r.id)) is not None:
                s += _WARNED_ROW * float(v @ warning)
            if r.kind == "table_row":
                s += 0.002
            if set(r.choice_concepts) & named:
                s += _NAMED
            elif r.sides:  # a comparison row's words span both sides' tasks: it decides a question about a side
                s -= _NAMED
            if prefer and r.table and prefer(self.kb.table(r.table)):
                s += 0.01
            if r.overview and h is not hits[0] or r.choice.rstrip().endswith("?"):  # (a review-map row found first
                s -= _DEMOTE  # is what the question is about; a self-test question of the review answers nothing)
            if symptom is False and self.diagnosis(r):  # a how-to question is not answered by where to look
                s -= _DEMOTE
            elif symptom and self.diagnosis(r):  # a symptom is answered by where to look first
                s += _SYMPTOM_BOOST
            return s
        # a trap or common mistake says what not to do: it supports an answer but is no decision, unless it is a fact
        candidates = [h for h in hits if not h.rule.anti_pattern or fact and h is hits[0]] or hits
        return max(candidates, key=score) if candidates else None

    def found_table(self, resolved: Resolved, vector: np.ndarray) -> Resolved:
        """``resolved`` without the table it names by a choice column ("which service …?") when the search finds none
        of that table's rows, or finds best a row of another document: another document's "Service" column (a list
        of ports) answers no question about feature flags."""
        if not resolved.table or resolved.focus:
            return resolved
        hits = self._rule_hits(self.clues.expand(resolved.query), vector)
        table = self.kb.table(resolved.table)
        if hits and hits[0].rule.source_file == table.source_file and any(h.rule.table == table.id for h in hits):
            return resolved
        return replace(resolved, table=None, whole_table=False)

    # ---- intents -------------------------------------------------------------------------------
    def compose(self, resolved: Resolved, vector: np.ndarray, previous_decision: list[str] | None = None) -> Composed:
        query = self.clues.expand(resolved.query)
        hits = said_first(self._rule_hits(query, vector), resolved.query, resolved.concepts)
        hits = [h for h in hits if h.rule.id not in self.heading_items] or hits  # (its points say it)
        unknown = None if resolved.follow_up else unknown_subject(resolved.query, self.retriever.knows)  # (a name)
        if unknown or not (covered(hits, resolved.concepts, resolved.query, self.retriever) or resolved.table or
                           resolved.intent == "versus" and len(self.specific(resolved.concepts)) >= 2 or
                           resolved.follow_up and resolved.intent == "which" and self.specific(resolved.concepts)) \
                and query == resolved.query:  # (X vs Y; a follow-up asking which of what the last answer named)
            return Composed([Claim(text=NOT_COVERED), *never_mentioned(unknown)], None, [], [], False)
        if resolved.intent != "why":  # "don't want to babysit any VMs or clusters": no cluster row (unless asked why)
            ruled_out = declined_concepts(resolved.query, self.matcher.find, self.heads, contrasts=False)[0] | \
                replaced_concepts(resolved.query, self.matcher.find)  # ("X rather than Y" compares; a list's term
            ruled_out = ruled_out - self.generic - self.kb.defined_terms  # named in passing declines no need: "IAM")
            hits = [h for h in hits if not set(h.rule.choice_concepts) & ruled_out] or hits
        if not _ASKS_COMMAND.search(resolved.query):  # "which service …?" is not answered by a line of a CLI's code
            hits = [h for h in hits if not (h.rule.table and self.kb.table(h.rule.table).lists_commands)] or hits
        handler = self._from_table if resolved.table and resolved.intent in ("which", "capture") else getattr(
            self, f"_{resolved.intent}", self._which)  # (below: "which format is binary and row-oriented?": the
        # row of an attribute table whose cells the question names; "which port does BGP use?": that row's cell)
        described = (self.attributes.described(resolved.query, self._names_rows) or asked_of_named(
            self.kb, self.attributes, resolved.query)) if resolved.intent == "which" else None
        out = (asked_steps(self.kb, hits, resolved.query) or (described and self._from_rule(described, hits))
               or handler(resolved, hits, vector, previous_decision or [])
               or self._which(resolved, hits, vector, previous_decision or []))
        if out is None:  # nothing retrieved and nothing the question names has a rule
            return Composed([Claim(text=NOT_COVERED)], None, [], [], False)
        out.claims = asked_cell(self.kb, out.claims, resolved.query)  # ("how long to rehydrate …": that cell)
        out.decision = asked_value(self.kb, out.claims, q := resolved.query) or stressed_answer(self.kb, out.claims,
                                                                                                 out.decision, q)
        # concepts the question names are "the other one" first, unless they are generic ("which deployment target")
        out.alternatives = list(dict.fromkeys([c for c in self.specific(resolved.concepts)
                                               if c not in out.decision_concepts] + out.alternatives))
        return out

    def _from_passage(self, rule: Rule) -> Composed:
        """A paragraph of a review of prose alone: what it says, cited; it names no decision."""
        return Composed([Claim(text=f"The review says: {passage_excerpt(rule.choice)}", rule_ids=[rule.id])],
                        None, [], [], True)

    def _from_rule(self, rule: Rule, hits: list[Hit], side: int | None = None, label: str = "") -> Composed:
        if rule.kind == "passage":
            return self._from_passage(rule)
        label = label or (decision_label(rule, self.kb, self.generic) if side is None else rule.sides[side].label)
        claims = [self.decision_claim(rule, label, side)]
        claims += self.note_claims(rule)
        used, concepts = {rule.id}, [c for c in rule.choice_concepts if side is None or c in self.matcher.find(label)]
        for h in hits:
            r = h.rule
            if r.id in used or r.kind != "table_row" or not set(r.choice_concepts) & set(concepts):
                continue
            claims.insert(1, Claim(text=f"Also: {_lc(r.situation)} → {r.choice.rstrip('.')}.", rule_ids=[r.id],
                                   heading="Same rule elsewhere:"))
            used.add(r.id)
            break
        claims += self.trap_claims(concepts, used)
        # the other choices of the same table first: "why not the other one?" means the row's rival
        siblings = [c for r in rivals(self.kb, rule) for c in r.choice_concepts[:1]]
        alternatives = [c for c in siblings + [c for h in hits for c in h.rule.choice_concepts] if c not in concepts]
        return Composed(claims, label, concepts, list(dict.fromkeys(alternatives)), True)

    def _which(self, resolved, hits, vector, previous) -> Composed | None:
        if side := self._side_for(resolved):  # "X or Y for <task>?" over the review's X-versus-Y table
            return side
        primary = self._primary(hits, resolved.concepts, symptom=resolved.symptom)
        named = self.specific(resolved.concepts)  # (a follow-up naming one asks about it: "and inputs?")
        if primary and not resolved.follow_up and (others := past_the_scene(hits, primary.rule, named, resolved.query,
                                                                            self.matcher.find)):
            primary = self._primary(others, [], symptom=resolved.symptom) or primary
            if set(primary.rule.choice_concepts) == set(named):  # a point about the name
                return self._from_rule(primary.rule, hits, label=primary.rule.situation.rstrip("."))
        return self._from_rule(primary.rule, hits, asked_side(primary.rule, resolved.query)) if primary else None

    def _from_table(self, resolved, hits, vector, previous) -> Composed | None:
        """A question naming a table's choice column ("what compute …"): its best row, or all ("what gates …")."""
        table = self.kb.table(resolved.table)
        ids = [table.rule_id(i) for i in range(1, len(table.rows) + 1)]
        rules = [self.kb.rule(rid) for rid in ids if self.kb.has_rule(rid)]
        if not rules:
            return None
        if not resolved.whole_table:
            focus = self.kb.rule(resolved.focus) if resolved.focus else None
            return self._from_rule(focus or self._closest(rules, hits, vector), hits)
        if resolved.focus:  # the row the question's words name comes first
            rules.sort(key=lambda r: r.id != resolved.focus)
        claims = [Claim(text=f"**{decision_label(r, self.kb)}** — {_sentence(r.situation)}", rule_ids=[r.id],
                        label=decision_label(r, self.kb), bullet=True) for r in rules]
        concepts = [c for r in rules for c in r.choice_concepts[:1]]
        return Composed(claims, table.title, concepts, [], True)

    def _closest(self, rules: list[Rule], hits: list[Hit], vector: np.ndarray) -> Rule:
        """The row of ``rules`` retrieval ranked best, else the one whose situation is closest to the question."""
        retrieved = [h.rule for h in hits if h.rule in rules]
        return retrieved[0] if retrieved else max(rules, key=lambda r: self._best_situation_similarity([r], vector))

    def specific(self, concepts: list[str]) -> list[str]:  # without the generic ones, which name no particular row
        return [c for c in concepts if c not in self.generic]

    def _why(self, resolved, hits, vector, previous) -> Composed | None:
        """A "why" question: the review's reason (Why cell or warning), a listed mistake it is about, the rule."""
        concepts, out = self.specific(resolved.concepts), None
        if concepts:
            cid, rules = concepts[0], self.choice_rules(concepts[0])
            found = [h.rule for h in hits if h.rule in rules] or rules
            prose = [r for r in (h.rule for h in hits) if r and r.kind == "passage" and cid in r.choice_concepts]
            if found:  # (a paragraph that stresses the concept gives the reason a row without a Why cell lacks)
                out = self._from_rule(prose[0] if prose and not found[0].notes else found[0], hits)
        out = reason_first(out, {h.rule.id for h in hits}) if (out := out or self._which(
            resolved, hits, vector, previous)) else None
        if out and (said := self._verdict(resolved, hits, vector, previous)) and (  # (a listed mistake: after the
                m := said.claims[0]).rule_ids != out.claims[0].rule_ids:  # reason, before the rest, once)
            belief = challenges(resolved.query)  # ("why isn't Contributor enough?": the mistake is the answer; an
            if belief and self.kb.rule(m.rule_ids[0]).kind != "trap":  # unnamed warning leads the row that says what
                said.claims += [c for c in out.claims if c.rule_ids != m.rule_ids]  # to do instead)
                return said
            lead = [] if belief else out.claims[:1]
            out.claims = lead + [m] + [c for c in out.claims[len(lead):] if c.rule_ids != m.rule_ids]
        return out

    def _how(self, resolved, hits, vector, previous) -> Composed | None:
        """A "how do I" question gets the action first: the row's choice as what to do."""
        if (primary := self._primary(hits, resolved.concepts, symptom=resolved.symptom)) is None:
            return None
        out = self._from_rule(primary.rule, hits)
        if primary.rule.kind != "passage" and not out.claims[0].note:  # (a list of steps says them as they are)
            out.claims[0] = self.action_claim(primary.rule, out.decision)
        return out

    def action_claim(self, rule: Rule, label: str) -> Claim:
        """The row as an instruction: "Use **X**: <when>" for a row that names a choice and when it fits,
        "**X** …: <situation>" with the whole choice cell for a row whose choice is itself the action."""
        table = self.kb.table(rule.table) if rule.table else None
        if rule.sides or table is None or not rule.situation:
            return self.decision_claim(rule, label)
        choice = rule.choice.rstrip(".")
        if table.orientation == "clue_choice" or len(choice.split()) > len(label.split()):
            lead = f"**{label}**{choice[len(label):]}" if choice.startswith(label) else f"**{label}**: {choice}"
            where = "look at" if self.diagnosis(rule) else "the review's answer to"
            return Claim(text=f"{lead} ({where} \"{_lc(rule.situation)}\").", rule_ids=[rule.id], label=label)
        return Claim(text=f"Use **{label}**: {_lc(rule.situation)}.", rule_ids=[rule.id], label=label)

    def _define(self, resolved, hits, vector, previous) -> Composed | None:
        if not resolved.concepts:
            return None
        cid = resolved.concepts[0]
        rules = self.choice_rules(cid)
        defining = [r for r in rules if r.table and self.kb.table(r.table).orientation == "choice_when"] or rules
        if not defining:
            return None
        asked = f"{resolved.scenario} {resolved.query}" if resolved.follow_up else resolved.query  # ("… of X?")
        out = self._from_rule(point := asked_point(defining, hits, asked, self.label(cid)), hits)
        out.decision = self.label(cid) if len(out.decision.split()) > 4 else out.decision
        if point is defining[0] and all(r.list_kind == "point" and r.situation for r in defining):  # a thing of
            out.claims[1:1] = [Claim(text=f"{r.situation.rstrip('.')}.", rule_ids=[r.id], label=point.choice,  # notes
                                     bullet=True) for r in defining[1:1 + MORE_POINTS]]  # told in points: the next
        return out  # few of them too ("What are batch tokens?": lightweight, not persisted, no accessor …)

    def _check_first(self, resolved, hits, vector, previous) -> Composed | None:
        prefer = lambda t: any(w in t.columns[t.situation_column].lower() for w in _SCENARIO_HEADERS)  # noqa: E731
        primary = self._primary(hits, resolved.concepts, prefer)
        return self._from_rule(primary.rule, hits) if primary else None

    def _capture(self, resolved, hits, vector, previous) -> Composed | None:
        prefer = lambda t: any(w in " ".join(t.columns).lower() for w in _CAPTURE_HEADERS)  # noqa: E731
        primary = self._primary(hits, resolved.concepts, prefer, symptom=resolved.symptom)
        return self._from_rule(primary.rule, hits) if primary else None

    def _when(self, resolved, hits, vector, previous) -> Composed | None:
        if not (concepts := self.specific(resolved.concepts)):
            return None
        cid = concepts[0]  # (a grid row's aspect, "type", is no "when": what it says of the side, after the rows
        if not (rules := sorted(self.choice_rules(cid), key=lambda r: bool(r.sides))):  # that say when)
            return None
        if resolved.negative:
            return self._when_not(cid, rules, hits)
        label = self.label(cid)
        plain, sided = [r for r in rules[:3] if not r.sides], [r for r in rules[:3] if r.sides]
        claims = [Claim(text=t, rule_ids=ids, label=label) for t, ids in when_texts(label, plain, self.kb)] + [
            self.decision_claim(r, label, self.side_of(r, cid) or 0) for r in sided]  # (a paragraph that names it
        prose = [r for r in (h.rule for h in hits[:3]) if r and r.kind == "passage" and cid in self.matcher.find(
            r.choice)]  # may say when too: "I'd use it in …")
        claims += [self._from_passage(r).claims[0] for r in prose[:1]]
        for r in rules[:2]:
            claims += self.note_claims(r)
        claims += self.trap_claims([cid], {r.id for r in rules})
        siblings = self._siblings(cid, rules)
        return Composed(claims, label, [cid], [c for c, _ in siblings], True)

    def _siblings(self, cid: str, rules: list[Rule]) -> list[tuple[str, Rule]]:
        """Other choices in the tables where ``cid`` is chosen: (concept, rule)."""
        out: list[tuple[str, Rule]] = []
        tables = list(dict.fromkeys(r.table for r in rules if r.table))
        for t in tables:
            for r in self.kb.rules_of(t):
                if r.choice_concepts and cid not in r.choice_concepts:
                    out.append((r.choice_concepts[0], r))
        return out

    def _when_not(self, cid: str, rules: list[Rule], hits) -> Composed:
        label = self.label(cid)
        claims: list[Claim] = []
        for r in rules[:2]:
            for c in self.note_claims(r):
                if c.heading in ("Watch for:", "Trap:"):
                    claims.append(c.model_copy(update={"heading": f"{label} is the wrong fit:"}))
        siblings = self._siblings(cid, rules)
        alt = siblings[0][0] if siblings else None
        for other, r in siblings[:3]:
            claims.append(Claim(text=f"Prefer **{self.label(other)}** when {_lc(r.situation)}.", rule_ids=[r.id],
                                label=self.label(other)))
        claims += self.trap_claims([cid], {r.id for r in rules})
        decision = self.label(alt) if alt else None  # (nothing to say against it: answered as asked which)
        return Composed(claims, decision, [alt] if alt else [], [cid], True) if claims else None

    def _why_not(self, resolved, hits, vector, previous) -> Composed | None:
        if not resolved.concepts:  # after an answer, "why not just keep the key in the job's YAML?" puts the
            return self._verdict(resolved, hits, vector, previous) if resolved.follow_up else None  # learner's idea up
        rejected = resolved.concepts[0]
        if not previous and rejected not in self.matcher.find(resolved.query):
            # found by meaning, not named: it is what the question is about ("why shouldn't production use
            # the latest version" → pinning versions), so the answer is that rule's reason
            return self._why(resolved, hits, vector, previous)
        rejected_rules = self.choice_rules(rejected)
        chosen = [c for c in previous if c != rejected]
        if not chosen:
            primary = self._primary([h for h in hits if rejected not in h.rule.choice_concepts], [])
            if primary is None:
                return None
            chosen_rule = primary.rule
        else:
            rules = self.choice_rules(chosen[0])
            ranked = [h.rule for h in hits if h.rule in rules]
            chosen_rule = (ranked or rules or [None])[0]
            if chosen_rule is None:
                return None
        if chosen_rule in rejected_rules:  # "why isn't X enough?" rejects nothing for another choice: X's reasons
            return self._why(resolved, hits, vector, previous)
        label = self.label(rejected)
        claims = []
        if rejected_rules:
            claims.append(Claim(text=f"**{label}** fits a different situation: {_lc(rejected_rules[0].situation)}.",
                                rule_ids=[rejected_rules[0].id], label=label))
        decision = decision_label(chosen_rule, self.kb, self.generic)
        where = f": {_lc(chosen_rule.situation)}." if chosen_rule.situation else "."
        claims.append(Claim(text=f"Here the clue points to **{decision}**{where}", rule_ids=[chosen_rule.id],
                            label=decision))
        claims += self.trap_claims([rejected], {r.id for r in rejected_rules})
        return Composed(claims, decision, list(chosen_rule.choice_concepts), [rejected], True)
