"""Answers to "X versus Y" questions: each concept's own definition rows, a comparison table when the review
has one, and the mistake of confusing the two."""
from __future__ import annotations

import re
from difflib import SequenceMatcher

import numpy as np

from studyassist.answer.coverage import asked_names
from studyassist.answer.types import Claim, Composed
from studyassist.answer.wording import attribute_cells
from studyassist.knowledge.model import KnowledgeBase, Rule
from studyassist.text import bracket_names, key_terms, normalize, phrase_spans, phrase_words, positive_part
from studyassist.text import sentence_part as _lc

# Words that say "compare these" rather than describe a scenario to decide for.
_VERSUS_WORDS = frozenset(key_terms("difference different differs versus vs v compare compared comparison "
                                    "distinguish tell apart sets"))

# A heading that sets things side by side ("Trap 2 — Customer vs User vs Sponsor").
_CONTRASTS = re.compile(r"\b(unlike|whereas|while|versus|vs\.?|instead of|rather than|compared (with|to))\b", re.I)
_SET_APART = re.compile(r"\b(vs\.?|versus)(?=\s)", re.I)

SAME_WORDS = 0.9  # two rows' words this alike (difflib's ratio) say one thing: it is said once
SIDE_WORDS = 2  # a side's cell saying this many of a question's words (more than any other) answers it, named or not
# Words that ask to pick one of the two for a scenario.
# (not "use" alone: "People use them like they're the same" asks for no choice; "do we use …" does)
_CHOOSING = re.compile(r"\b(which|should|better|best|pick|choose|prefer|go with|recommend\w*|fits?|"
                       r"(?:do|does|can|could|would|to) (?:i |we |you |they )?use)\b")


def asked_side(rule: Rule, question: str) -> int | None:
    """The side of a comparison row whose cell says more of ``question``'s words than any other side's, by at least
    ``SIDE_WORDS`` ("what does an ML pipeline produce: lineage, artifacts?" of the "Output" row), else the one side
    the question names ("Is SQS a push or a pull service?" of the "Push vs Pull" row comparing EventBridge, SNS and
    SQS), else the side saying most of its words; None when no side says more."""
    if not rule.sides or rule.fix_side is not None:
        return None
    overlaps, q = side_overlaps(rule, set(key_terms(question))), normalize(question)
    best = overlaps.index(top) if (top := max(overlaps)) and overlaps.count(top) == 1 else None
    named = [i for i, s in enumerate(rule.sides) if any(words and phrase_spans(q, words) for words in (
        phrase_words(n) for n in bracket_names(s.label) if n))]
    return best if best is not None and top >= SIDE_WORDS or len(named) != 1 else named[0]


def side_overlaps(rule: Rule, words: set[str]) -> list[int]:
    """How many of ``words`` each side's cell of a comparison row says."""
    return [len(words & set(key_terms(s.text))) for s in rule.sides]


class VersusAnswers:
    """The comparison part of the grounded composer (mixed into ``Composer``, whose lookups it uses)."""

    def definition_rules(self, cid: str) -> list[Rule]:
        """The rows that say what a concept is: rows choosing it whose choice cell starts with its name
        ("Cache", "Read replica"), not rows that name it further down or diagnose a problem."""
        rules = [r for r in self.choice_rules(cid) if not self.diagnosis(r)]
        aliases = [phrase_words(a) for a in self.kb.concept(cid).aliases]
        leading = [r for r in rules if any(start == 0 for words in aliases if words
                                           for start, _ in phrase_spans(normalize(positive_part(r.choice)), words))]
        return leading or rules[:1]

    def _first_defined(self, cid: str) -> tuple[int, int]:
        """Where the review first defines a concept (else first mentions it): the position of that row, then of
        the concept's name in its text ("Datastore plus versioned data assets" names the datastore first)."""
        ids = {r.id for r in self.definition_rules(cid)} or set(self.kb.concept(cid).mentioned_in)
        at = next((i for i, r in enumerate(self.kb.rules) if r.id in ids), None)
        return (len(self.kb.rules), 0) if at is None else self._named_at(cid, at)

    def _named_at(self, cid: str, at: int) -> tuple[int, int]:
        """(``at``, where in the text of the review's ``at``-th rule the concept's name first comes)."""
        text = normalize(self.kb.rules[at].text)
        spans = [start for alias in self.kb.concept(cid).aliases if (words := phrase_words(alias))
                 for start, _ in phrase_spans(text, words)]
        return at, min(spans, default=len(text))

    def _mistake_definition(self, cid: str, concepts: list[str]) -> tuple[Rule, str] | None:
        """For a concept no row defines: the clause of a common mistake about it ("registration stores the
        asset" in "Confusing model registration with deployment: …")."""
        head = self.label(cid).split()[-1].lower()
        for rid in self.kb.concept(cid).mentioned_in:
            r = self.kb.rule(rid)
            if not r.anti_pattern or not r.situation:
                continue
            for clause in r.situation.split(";"):
                if head in normalize(clause) and not set(self.matcher.find(clause)) & (set(concepts) - {cid}):
                    return r, clause.strip().rstrip(".")
        return None

    def _versus(self, resolved, hits, vector, previous) -> Composed | None:
        concepts = resolved.concepts[:2]
        if len(concepts) < 2:  # the two are not both things of the review: one of its sentences may set them apart
            return self._quoted_apart(names) if len(names := asked_names(resolved.query)) == 2 else None
        # the two in the review's order, whichever the question names first: "deployment versus endpoint" and
        # "endpoint versus deployment" are one question, with one answer (the order of the rows that define them;
        # for one no row defines, of the first row that names both: "Confusing model registration with deployment")
        both = set(self.kb.concept(concepts[0]).mentioned_in) & set(self.kb.concept(concepts[1]).mentioned_in)
        together = next((i for i, r in enumerate(self.kb.rules) if r.id in both), None)
        if together is not None and not all(self.definition_rules(c) for c in concepts):
            concepts.sort(key=lambda c: self._named_at(c, together))
        else:
            concepts.sort(key=self._first_defined)
        claims: list[Claim] = []
        comparison = self._comparison_table(concepts, resolved.concepts)
        if comparison is not None:
            claims.append(comparison)
        best_side, best_sim = concepts[0], -1.0
        defined = {cid: self.definition_rules(cid)[:3] for cid in concepts}
        shared = set.intersection(*({r.id for r in rules} for rules in defined.values()))
        same_rows = len({tuple(r.id for r in rules) for rules in defined.values()}) == 1 and bool(defined[concepts[0]])
        if comparison is None and same_rows:  # one row defines both: say it once, naming both
            r = defined[concepts[0]][0]
            names = " and ".join(f"**{self.label(c)}**" for c in concepts)
            claims.append(Claim(text=f"{_lc(r.situation)} → {r.choice.rstrip('.')}.", rule_ids=[r.id],
                                heading=f"{names}:"))
        for cid in concepts:
            rules = defined[cid]
            label = self.label(cid)
            if rules and comparison is None and not same_rows:
                said = _once([(self._attributes(r) or _lc(r.situation) if not r.sides else
                               f"{r.situation}: {self._side_text(r, cid)}", r.id) for r in rules])
                claims.append(Claim(text="; ".join(text for text, _ in said) + ".", rule_ids=[rid for _, rid in said],
                                    label=label, heading=f"**{label}**:"))
            elif not rules and (found := self._mistake_definition(cid, concepts)):
                rule, clause = found
                claims.append(Claim(text=f"{clause}.", rule_ids=[rule.id], label=label, heading=f"**{label}**:"))
            sim = self._best_situation_similarity(rules, vector)
            if sim > best_sim:
                best_side, best_sim = cid, sim
        for rid in sorted(shared):  # one row defines both: its note says how they differ
            claims += self.note_claims(self.kb.rule(rid))
        scenario_terms = set(key_terms(resolved.scenario)) - set(key_terms(" ".join(
            a for c in concepts for a in self.kb.concept(c).aliases))) - _VERSUS_WORDS
        # a verdict only for a scenario that asks to choose; "what's actually different for users" asks for the contrast
        # (a follow-up's scenario is the previous question, already answered: only a follow-up that asks to choose
        # again gets a verdict; "how is that different from a read replica?" asks for the contrast)
        asked = resolved.query.replace(resolved.scenario, " ") if resolved.follow_up else resolved.scenario
        verdict = len(scenario_terms) >= 3 and bool(_CHOOSING.search(normalize(asked)))
        decision = best_side if verdict else concepts[0]
        if verdict:
            claims.insert(0, Claim(text=f"For this scenario, **{self.label(decision)}** fits better.",
                                   rule_ids=[r.id for r in self.choice_rules(decision)[:1]],
                                   label=self.label(decision)))
        claims += self._contrasted(concepts)
        claims += self._versus_trap(concepts, {rid for c in claims for rid in c.rule_ids})
        if not claims:  # the review defines neither and names no mistake about them: the nearest row answers instead
            return None
        return Composed(claims, self.label(decision), [decision], [c for c in concepts if c != decision], True)

    def _attributes(self, rule: Rule) -> str | None:
        """A row of short cells said whole, each under its column ("Storage Cost: Medium; Access Cost: Medium; Min
        Duration: 30 days" for the Cool tier), so a difference shows every way two rows differ; None for a row with
        one other cell or a sentence in one (a Why or a note, which the answer shows on its own)."""
        table = self.kb.table(rule.table) if rule.table else None
        if table is None:
            return None
        return attribute_cells(rule, table.columns[table.choice_column] if table.choice_column < len(table.columns)
                               else None)

    def _side_for(self, resolved) -> Composed | None:
        """"X or Y for <task>?" when the review compares X and Y side by side: the side whose cell says the task
        (the words of the question other than the two names), from the row that says it most."""
        named = self.specific(resolved.concepts)[:2]
        if len(named) < 2:
            return None
        aliases = " ".join(a for c in named for a in self.kb.concept(c).aliases)
        task = set(key_terms(resolved.query)) - set(key_terms(aliases))
        best, best_overlap = None, 0
        for rule in {rid: self.kb.rule(rid) for c in named for rid in self.kb.concept(c).choice_of}.values():
            sides = [(sd, set(self.matcher.find(sd.label))) for sd in rule.sides]
            if len(sides) < 2 or not all(any(c in found for _, found in sides) for c in named):
                continue
            overlaps = sorted(((n, i) for i, n in enumerate(side_overlaps(rule, task))), reverse=True)
            (top, i), (runner_up, _) = overlaps[0], overlaps[1]
            if top > max(best_overlap, runner_up):
                best, best_overlap = (rule, i), top
        if best is None:
            return None
        rule, i = best
        side, others = rule.sides[i], [sd for j, sd in enumerate(rule.sides) if j != i]
        claims = [Claim(text=f"**{side.label}** — the review's comparison of {_lc(rule.situation)}: "
                             f"\"{side.text.rstrip('.')}\".", rule_ids=[rule.id], label=side.label)]
        claims += [Claim(text=f"{o.label}: {_lc(o.text).rstrip('.')}.", rule_ids=[rule.id], label=o.label,
                         heading="The other side:") for o in others]
        decision = [c for c in self.matcher.find(side.label) if c in named]
        return Composed(claims, side.label, decision, [c for c in named if c not in decision], True)

    def _contrasted(self, concepts: list[str]) -> list[Claim]:
        """What a section headed by the two names set side by side says of them ("Trap 3 — Output vs Outcome": "Output
        = what is produced …", "Outcome = what is achieved …", "The exam will give you an output and call it an
        outcome"), under its heading."""
        names = [[phrase_words(a) for a in self.kb.concept(c).aliases] for c in concepts]
        heading = next((h for r in self.kb.rules if r.kind in ("list_item", "passage") and r.section
                        and _SET_APART.search(h := r.section.split(" > ")[-1])
                        and all(any(w and phrase_spans(normalize(h), w) for w in aliases) for aliases in names)), None)
        if heading is None:
            return []
        said = [r for r in self.kb.rules if r.kind in ("list_item", "passage") and r.section.endswith(heading)]
        return [Claim(text=(r.situation.rstrip(".") + "." if normalize(r.choice) == normalize(heading) else  # (the
                            f"{r.choice}: {_lc(r.situation).rstrip('.')}.") if r.situation else r.choice,  # heading's
                      rule_ids=[r.id], heading=f"{heading}:" if i == 0 else None, bullet=True)  # own paragraph)
                for i, r in enumerate(said)]

    def _quoted_apart(self, names: list[str]) -> Composed | None:
        """A line of the review that names both ``names`` and sets them apart ("Unlike IAM (which says WHO can do
        something), Org Policies check WHAT is being done"), quoted; None when no line does."""
        wanted = [set(key_terms(n)) for n in names]
        for r in self.kb.rules:
            text = f"{r.choice}: {r.situation}" if r.situation else r.choice
            if _CONTRASTS.search(text) and not text.rstrip().endswith("?") and all(  # (not a self-test question)
                    w <= set(key_terms(f"{r.section} {text}")) for w in wanted):
                return Composed([Claim(text=f"The review sets them apart: {text.rstrip('.')}.", rule_ids=[r.id])],
                                None, [], [], True)
        return None

    def _versus_trap(self, concepts: list[str], used: set[str]) -> list[Claim]:
        """The mistake of confusing the two when the review names one; else a trap about a specific concept
        (a trap that merely mentions "endpoint" says nothing about endpoint versus deployment)."""
        both = [rid for rid in self.kb.concept(concepts[0]).mentioned_in
                if self.kb.rule(rid).anti_pattern and all(rid in self.kb.concept(c).mentioned_in for c in concepts[1:])]
        if both:
            trap = self.kb.rule(both[0])
            text = f"{trap.choice}: {trap.situation}" if trap.situation and trap.kind != "trap" else (
                trap.situation or trap.choice)
            heading = "Common mistake:" if trap.list_kind == "mistake" else "Trap:"
            return [Claim(text=text.rstrip(".") + ".", rule_ids=[trap.id], heading=heading)]
        return self.trap_claims(self.specific(concepts), used)

    def side_of(self, rule: Rule, cid: str) -> int | None:
        """The side of a comparison row whose label names concept ``cid``, if any."""
        return next((i for i, s in enumerate(rule.sides) if cid in self.matcher.find(s.label)), None)

    def _side_text(self, rule: Rule, cid: str) -> str:
        return rule.choice if (i := self.side_of(rule, cid)) is None else rule.sides[i].text

    def _comparison_table(self, concepts: list[str], shown: list[str]) -> Claim | None:
        """The comparison table whose columns are ``concepts``, with only the columns of those ``shown``."""
        for table in self.kb.tables:
            if table.orientation != "comparison":
                continue
            sides = [set(self.matcher.find(c)) for c in table.columns[1:]]
            if all(any(cid in s for s in sides) for cid in concepts):  # (only the columns of the things compared)
                keep = [0] + [i + 1 for i, s in enumerate(sides) if s & set(shown)]
                header = "| " + " | ".join(table.columns[i] for i in keep) + " |\n|" + "---|" * len(keep)
                rows = "\n".join("| " + " | ".join(r[i] if i < len(r) else "" for i in keep) + " |" for r in table.rows)
                ids = [table.rule_id(i) for i in range(1, len(table.rows) + 1)]
                return Claim(text=f"The review compares them row by row ({table.title}):",
                             rule_ids=ids, label=None, block=f"{header}\n{rows}")
        return None

    def _best_situation_similarity(self, rules: list[Rule], vector: np.ndarray) -> float:
        if self.vectors is None:
            return 0.0
        best = -1.0
        for r in rules:
            for f in self.facets_of_rule.get(r.id, []):
                i = self.vectors.row.get(f.key)
                if i is not None:
                    best = max(best, float(self.vectors.situation[i] @ vector))
        return best


def _once(said: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """``said`` (a row's words, its id) without a row that says an earlier one's words again, up to case, punctuation
    or a slip of a letter or two (a definition repeated under "Key Points", once with "continuous devivery")."""
    kept: list[tuple[str, str]] = []
    for text, rid in said:
        if not any(SequenceMatcher(None, normalize(text), normalize(k)).ratio() >= SAME_WORDS for k, _ in kept):
            kept.append((text, rid))
    return kept


def rivals(kb: KnowledgeBase, rule: Rule) -> list[Rule]:
    """The rows of ``rule``'s table, first those whose choice shares a word with its choice and differs in another
    ("ELB (ALB)" for "ELB (NLB)", "Cold tier" for "Hot tier", not "Hot tier storage": the other one a follow-up
    means), then the rest in the table's order."""
    own = set(key_terms(rule.choice))

    def kin(r: Rule) -> bool:
        other = set(key_terms(r.choice))
        return bool(other & own) and not (other <= own or own <= other)
    return sorted(kb.rules_of(rule.table) if rule.table else [], key=lambda r: not kin(r))
