"""Fresh exam-style questions from the rules, with answer keys checked before they are shown.

A question takes a decision-table row: the row's situation becomes the stem (through a frame from the exam pack, or a
neutral one), its choice is the key, and three choices of the same kind (same column, same concept family, or for
"hard" the nearest neighbours and the matching common mistake) are the distractors; or, in a document no pack serves,
a term its list defines or a name an item stresses (cloze.py). An LLM may reword a verified item's stem (rewrite.py)."""
from __future__ import annotations

import logging
import random
import re
from collections import deque
from collections.abc import Container, Iterable, Iterator

from ingest.bank import QUESTION_HEADER
from studyassist.answer.composer import Composer
from studyassist.answer.types import render
from studyassist.errors import InputError
from studyassist.knowledge.model import Rule
from studyassist.pack import NO_PACK, PRACTICE_VOICE, ExamPack
from studyassist.quiz.cloze import ListItems
from studyassist.quiz.definitions import gives_away, says_name, spelled_out
from studyassist.quiz.explanations import explanation_claims
from studyassist.quiz.kinds import Kinds
from studyassist.quiz.options import (
    another_act,
    askable_side,
    asked_kind,
    asks_for_a_cause,
    asks_for_a_choice,
    asks_for_a_thing,
    asks_for_an_action,
    choose_distractors,
    compares,
    is_action,
    last_sentence,
    listed_together,
    magnitude_gap,
    no_giveaway,
    same_need,
    same_shape,
    says_much_of,
    spread_positions,
    unnamed,
    value_form,
    word_stems,
)
from studyassist.quiz.replay import replayable, replayed
from studyassist.quiz.rewrite import StemRewriter
from studyassist.quiz.scenarios import StemMaterial, frame_kind, row_details, told_apart, too_short
from studyassist.quiz.types import Candidate, Draft, QuizItem, base_id, check_request
from studyassist.quiz.verify import KeyVerifier
from studyassist.quiz.wrong import WrongOptions
from studyassist.solve.solver import Solver
from studyassist.text import content_hash, key_terms, normalize, strip_quotes

log = logging.getLogger(__name__)

NAME_WORDS = 4  # a key of at most this many words that names one concept is that concept's name


class QuizGenerator:
    """Builds and verifies quiz items from the rules of the index the composer answers from.

    ``chat_model`` (a callable returning the configured chat model) and ``llm_configured`` enable the optional
    LLM rewording of stems; without them every stem is the grounded one."""

    def __init__(self, composer: Composer, solver: Solver, pack: ExamPack = NO_PACK, *, settings=None,
                 chat_model=None, llm_configured=None):
        self.composer, self.kb, self.matcher = composer, composer.kb, composer.matcher
        self.solver, self.verifier = solver, KeyVerifier(composer, solver)
        self.rewriter = StemRewriter(self.kb, self.verifier, settings, chat_model, llm_configured)
        self.stems = StemMaterial(pack.scenarios, (" | ".join(r.cells.values()) or r.text for r in self.kb.rules))
        # comparison rows also draw distractors from these concept families (the pack's [quiz] section)
        self._comparison_families = pack.quiz.comparison_families
        self._overlapping = [tuple(normalize(c) for c in group) for group in pack.quiz.overlapping]
        self._wording = {normalize(w.choice): w.text for w in pack.wordings}  # how the exam words a choice
        self._scenarios: dict[tuple[str, int | None], list[str]] = {}  # (rule, side) → the pack's scenarios (stems)
        for p in pack.paraphrases:
            key = self.kb.rule(p.rule).choice if self.kb.has_rule(p.rule) else ""
            key = self._wording.get(normalize(key), key)
            if p.quiz_stem and asks_for_a_choice(p.quiz_stem) and not asks_for_an_action(p.quiz_stem, key) \
                    and not asks_for_a_thing(p.quiz_stem, key):
                self._scenarios.setdefault((p.rule, p.side), []).append(p.quiz_stem)
        self._scenario_set = frozenset(t for texts in self._scenarios.values() for t in texts)
        self._practice = {p.quiz_stem for p in pack.paraphrases if p.voice == PRACTICE_VOICE}
        self.wrong = WrongOptions(pack, self.kb, composer.retriever.embeddings)  # options the pack writes as wrong
        self._worded_docs = self.verifier.served = set(pack.documents)
        self.definitions = ListItems(self.kb, self._worded_docs, composer.retriever.embeddings)
        self.kinds = Kinds(self.kb, self._worded_docs)
        self.pool = [r for r in self.kb.table_rules if self._askable(r) or replayable(r)] + self.definitions.pool
        self._choice_vec = {f.key: composer.vectors.choice[composer.vectors.row[f.key]] for f in composer.facets}
        self._situation_vec = {f.key: composer.vectors.situation[composer.vectors.row[f.key]] for f in composer.facets}
        self._family: dict[str, list] = {}  # concept family → its concepts, in knowledge-base order
        self._order = {c.id: i for i, c in enumerate(self.kb.concepts)}
        for c in self.kb.concepts:
            self._family.setdefault(c.family, []).append(c)
        self.dropped: list[tuple[str, str]] = []

    def _key(self, rule: Rule, side: int | None) -> str:
        return rule.sides[side].label if side is not None else strip_quotes(rule.choice).rstrip(".")

    def _candidates(self, rule: Rule, key: str, hard: bool, rng: random.Random) -> list[Candidate]:
        """Distractor texts (each with its rule and the concepts it names), best first for the difficulty; no two of
        them, or one and the key, say the same thing ("Blue/green", "Blue/green deployment"; or a concept in common)."""
        table = self.kb.table(rule.table)
        key_sig, key_form = self.verifier.signature(key), value_form(key)
        # a comparison row's choice concepts are both sides'; the key is one side
        key_concepts = set(key_sig.concepts) if rule.sides else set(rule.choice_concepts)
        taken = [key_sig._replace(concepts=key_sig.concepts | key_concepts)]
        out: list[Candidate] = []

        def add(text: str, rid: str | None, worded: bool = False) -> None:
            t = strip_quotes(text).rstrip(".")
            if not t or (rid is not None and self.kb.rule(rid).overview) or value_form(t) != key_form:
                return  # a count among durations is ruled out by its form alone
            if rid is not None and self.kb.rule(rid).source_file != rule.source_file:
                return  # another document's choices belong to another exam
            if rid is not None and not rule.sides and same_need(rule.situation, self.kb.rule(rid).situation):
                return  # its row asks for the same thing: a second defensible key
            if says_much_of(t, key) and not (worded and rid is None):  # (a wrong answer written for the need is not)
                return  # it lists much of what the key lists ("scoring script, environment, …"): also defensible
            if listed_together(t, key, self._overlapping):
                return  # the pack says one situation can call for both ("Compute cluster", "Batch endpoint compute")
            if compares(t) and not compares(key):
                return
            if not (worded or same_shape(t, key)) or not same_shape(*self._shown(rule, [t, key])):
                return  # an action beside names, or a long clause beside short ones, gives the key away
            sig = self.verifier.signature(t)
            if worded and rid is None:  # written for this need: its concepts are the need's, its words its own
                sig = sig._replace(concepts=frozenset())
            if any(sig.alike(other) for other in taken):
                return
            taken.append(sig)
            out.append(Candidate(t, rid, sig.concepts or self.kinds.own_concepts(rid, t)))

        if table.orientation == "comparison":
            for r in self.kb.rules_of(table.id):
                for s in r.sides:
                    add(s.label, r.id)
            for c in (c for f in self._comparison_families for c in self._family.get(f, [])):
                add(c.label, self._choice_in(c, rule.source_file) if c.choice_of else None)
            return out
        same_table = [r for r in self.kb.rules_of(table.id) if r.id != rule.id
                      and not set(r.choice_concepts) & key_concepts]
        key_vec = self._choice_vec.get(rule.id)
        if hard and key_vec is not None:
            same_table.sort(key=lambda r: -float(self._choice_vec[r.id] @ key_vec) if r.id in self._choice_vec else 0)
            for cid in key_concepts:  # the matching common mistake names the tempting wrong choice
                for rid in self.kb.concept(cid).mentioned_in:
                    trap = self.kb.rule(rid)
                    if trap.anti_pattern:
                        for other in self.matcher.find(trap.choice + " " + trap.situation):
                            if other not in key_concepts and self.kb.concept(other).choice_of:
                                add(self.kb.concept(other).label,
                                    self._choice_in(self.kb.concept(other), rule.source_file))
        else:
            rng.shuffle(same_table)
        if key_form != "text":  # values of the key's size first (1,000 beside 3, 4 and 5 stands out)
            same_table.sort(key=lambda r: magnitude_gap(r.choice, key))
        families = {self.kb.concept(c).family for c in key_concepts} | {self.kinds.family(table.id)} - {None}
        # a table of mixed kinds (endpoints beside actions): rows of the key's kind first, its kin concepts, the rest
        same_kind = [r for r in same_table if {self.kb.concept(c).family for c in r.choice_concepts} & families]
        for r in same_kind:
            add(r.choice, r.id)
        kin = sorted((c for f in families for c in self._family.get(f, [])), key=lambda c: self._order[c.id])
        for c in (c for c in kin if c.id not in key_concepts and c.choice_of):
            add(c.label, self._choice_in(c, rule.source_file))
        for r in (r for r in same_table if r not in same_kind):
            add(r.choice, r.id)
        written = self.wrong.for_rule.get(rule.id, []) if not rule.sides else []  # wrong actions for its need
        for text in written:
            add(text, None, worded=True)
        if is_action(self._shown(rule, [key])[0]) and not (hard or written or self.composer.diagnosis(rule)):
            # an easy action key (not a long name) with no wrong actions of its own: the review's known mistakes
            for rid, text in self.wrong.mistakes.items():
                add(text, rid, worded=True)
        return out

    def _askable(self, r: Rule) -> bool:
        """Only rows of tables read with high confidence (or confirmed by an override): others would ask the wrong way
        round ("which day covers this"). Not a comparison row about a trap, nor one of fewer than four sides in notes
        no pack serves (its options are its sides), a row whose kind of table has no frame and no scenario (myths,
        without a pack), a choice of two things ("AuthN vs AuthZ"), a row whose need is a bare value ("99.9% (VM)"), a
        command ("lock create" for "az lock create …": 12 of 30), a field of an example ("Field | Value"), nor a bank's
        question (ingest/bank.py: its answers are of every kind, so other rows give no options)."""
        if not (r.table and not r.overview and r.situation and r.choice and r.fix_side is None):
            return False
        kind = frame_kind(table := self.kb.table(r.table))
        return (table.orientation_confidence == "high" and not compares(r.choice) and not table.lists_commands
                and table.situation_header.strip().lower() != QUESTION_HEADER.lower()
                and not (r.sides and len(r.sides) < 4 and self.kinds.unserved(r))
                and bool(self._scenarios.get((r.id, None)) or self.stems.frames(kind))
                and not (kind == "requirement" and value_form(r.situation) != "text"))

    @property
    def scenario_stems(self) -> frozenset[str]:
        """Every exam-voice scenario of the pack that a stem may be."""
        return self._scenario_set

    def _concepts_of_key(self, rule: Rule, key: str) -> set[str]:
        """The concepts an item's key names (one side's, for a comparison row)."""
        named = self.verifier.signature(key).concepts if rule.sides else rule.choice_concepts
        return set(named) - self.verifier.generic

    def key_concepts(self, item: QuizItem) -> set[str]:
        """The concepts an item's key names."""
        return self._concepts_of_key(self.kb.rule(item.rule_id), item.options[item.answer]) if self.kb.has_rule(
            item.rule_id) else set()

    def kin_rules(self, items: Iterable[QuizItem]) -> set[str]:
        """The quiz rules whose choice is a concept the keys of ``items`` name (blue/green is the choice of a row
        in two tables): a session asks about each once while others are left."""
        named = {c for item in items for c in self.key_concepts(item)}
        return {r.id for r in self.pool if set(r.choice_concepts) & named} if named else set()

    def _choice_in(self, concept, document: str) -> str:
        """The first rule of ``document`` that ``concept`` is the choice of (else its first rule, which ``add``
        then turns down as another document's)."""
        return next((r for r in concept.choice_of if self.kb.rule(r).source_file == document), concept.choice_of[0])

    def _stem(self, rule: Rule, side: int | None, rng: random.Random) -> str:
        table = self.kb.table(rule.table)
        kind = frame_kind(table)
        frames = (m := self.stems).frames(kind)
        frame = frames[rng.randrange(len(frames))]
        org, workload = rng.choice(m.organisations), rng.choice(m.workloads(rule.area))
        situation = rule.sides[side].text if side is not None else rule.situation
        situation = m.reword(situation) if kind != "gate" else situation.strip()
        shown = {table.columns[i] for i in (table.situation_column, table.choice_column, *table.key_columns)}
        details = row_details([r.cells for r in self.kb.rules_of(table.id)], rule.cells, shown, self._key(rule, side))
        if not details and self.kinds.unserved(rule) and too_short(situation) and not told_apart(
                table.columns[table.situation_column], rule, self.kb.rules_of(table.id)):
            return ""  # in notes no pack serves, "Purpose: restrict access" fits several options
        stem = frame.format(org=org, org_lc=org[0].lower() + org[1:], workload=workload, model=rng.choice(m.models),
                            situation=situation, details=details, constraint=rng.choice(m.constraints),
                            noun=m.noun_for(table.columns[table.choice_column]), aspect=rule.situation.lower(),
                            heading=m.heading(table, served=not self.kinds.unserved(rule)))
        return re.sub(r"\?\s*\?", "?", " ".join(stem.split()))  # a situation that is a question, in a question

    def draft(self, rule: Rule, level: str, rng: random.Random, seen: Container[str] = frozenset()) -> Draft:
        """The rule's key and a stem for it, drawn from ``rng`` (which the item's distractors use next).

        The stem is one of the pack's scenarios for the rule not in ``seen`` (normalised stems seen lately), a quiz
        stem (``practice``) first; else a frame around its situation (blind reviews: frames read least exam-like)."""
        side = rng.randrange(len(rule.sides)) if rule.sides else None
        if replayable(rule):  # a bank's own question, as its author wrote it
            return Draft(rule, level, None, rule.offered[rule.offered_key], rule.situation, rng)
        key = self._key(rule, side)
        scenarios = [t for t in self._scenarios.get((rule.id, side), [])
                     if normalize(key) not in normalize(t) and normalize(t) not in seen]
        if not scenarios and not self.stems.frames(frame_kind(self.kb.table(rule.table))):  # a seen one, not none
            scenarios = [t for t in self._scenarios.get((rule.id, side), []) if normalize(key) not in normalize(t)]
        scenarios = [t for t in scenarios if t in self._practice] or scenarios
        if scenarios:  # a hard item: a case before a bare question ("Which pattern …?" is recall); those sharing
            scenarios = [t for t in scenarios if level != "hard" or last_sentence(t) != t.strip()] or scenarios
            words = word_stems(self._shown(rule, [key])[0])  # fewest words with the key as shown, one let pass
            fewest = min(len(word_stems(t) & words) for t in scenarios)
            scenarios = [t for t in scenarios if len(word_stems(t) & words) <= max(fewest, 1)]
            return Draft(rule, level, side, key, scenarios[rng.randrange(len(scenarios))], rng)
        return self.framed(Draft(rule, level, side, key, "", rng))

    def framed(self, draft: Draft) -> Draft:
        """``draft`` with a frame around its rule's situation as the stem; none for a side no item can ask."""
        rule, side, key, rng = draft.rule, draft.side, draft.key, draft.rng
        stem = self._stem(rule, side, rng) if side is None or askable_side(rule, side) else ""
        for _ in range(3):  # a frame or workload that happens to contain the key: draw again
            stem = stem if normalize(key) not in normalize(stem) else self._stem(rule, side, rng)
        if normalize(key) in normalize(stem):  # the situation names its own key ("… and business metrics"), unless
            left = unnamed(key, rule.situation) if normalize(key) in normalize(rule.situation) else rule.situation
            stem = unnamed(key, stem) if len(key_terms(left)) >= 3 else ""  # little is left ("Batch processing",
            # "Azure IPs" of "Azure Storage IPs": the other rows say as much)
        return Draft(rule, draft.level, side, key, stem, rng)

    def _drafts(self, pool: list[Rule], difficulty: str, rng: random.Random,
                seen: Container[str] = frozenset()) -> Iterator[Draft]:
        """Every attempt of one ``generate`` call, in seeded order; each has its own rng, so what an attempt
        draws never depends on whether the attempts before it were kept."""
        while True:
            order = pool[:]
            rng.shuffle(order)
            for rule in reversed(order):
                level = difficulty if difficulty != "mixed" else rng.choice(("easy", "hard"))
                draw = random.Random(rng.getrandbits(64))
                yield self.draft(rule, level, draw, seen) if rule.table else self.definitions.draft(rule, level, draw)

    def make_item(self, draft: Draft, position: int, avoid: frozenset[str] = frozenset()) -> QuizItem | None:
        if not draft.rule.table or replayable(draft.rule):  # a term of a list, a bank's question
            return self.definitions.item(draft, position, avoid) if not draft.rule.table else replayed(
                self.kb, draft.rule, draft.level)
        rule, side, key, stem, rng = draft.rule, draft.side, draft.key, draft.stem, draft.rng
        hard = draft.level == "hard"
        if not stem or spelled_out(stem, key, rule.text) or says_name(stem, key):  # ("Meaning: 1,240 bytes sent"
            return None  # for 1240, "Traffic Manager probe IPs" for AzureTrafficManager)
        # never offer the choice of another rule the stem itself points to
        fitting = self.verifier.pointed_to(stem, rule)
        blocked = ({r.id for r in fitting} | {c for r in fitting for c in r.choice_concepts}
                   | (set(rule.concepts) - set(rule.choice_concepts) - self.verifier.generic))
        candidates = [c for c in self._candidates(rule, key, hard, rng)
                      if c.rule_id not in blocked and not c.concepts & blocked and c.text not in avoid
                      and not (asks_for_a_cause(stem) and self.wrong.is_written_for(rule.id, c.text))]  # checks
        if len(candidates) < 3:
            return None
        kind = self.kinds.column(rule.id)  # choices of the key's kind first ("What to do first?" is not "Endpoint")
        # a key naming a concept of a family ("Batch endpoint": serving) is of that kind from any table; a list naming
        # concepts, of its column's kind (a value such as "1,000" of no family); a row of a one-kind table, the table's
        families = {self.kinds.family(rule.table)} - {None} or {
            self.kb.concept(c).family for c in self._concepts_of_key(rule, key)}
        families = families if len(families) == 1 and len(key.split()) <= NAME_WORDS and value_form(key) == "text" \
            else set()
        other_kind = [not self.wrong.is_written_for(rule.id, c.text) and (  # (a wrong answer written for the need is)
            not {self.kb.concept(x).family for x in c.concepts} & families if families
            else self.wrong.enough(rule.id)  # (a need with its own wrong actions: other needs' are of another kind)
            or self.kinds.column(c.rule_id) != kind and c.rule_id not in self.wrong.mistakes) for c in candidates]
        # "Which endpoint type …?" beside an endpoint: endpoints first; "Type: Object": S3 classes, not EFS or EBS
        asked, category, unserved = asked_kind(stem), self.kinds.category(rule.id), self.kinds.unserved(rule)
        other_kind = [other or (asked in word_stems(key) and asked not in word_stems(c.text))
                      or (category != "" and self.kinds.category(c.rule_id) != category)
                      or self.kinds.mixed(rule, [c.text, key]) or compares(c.text)  # a tier beside a pool, "X vs Y"
                      or another_act(*self._shown(rule, [c.text, key], stem))  # a check beside changes
                      or self.kinds.sorted_apart(rule, c.rule_id)  # (DNS beside routing protocols)
                      for other, c in zip(other_kind, candidates)]
        # within a kind, rows whose situation the stem is nearest: an easy item's, a hard one's whose key is an action
        plausible = None
        if value_form(key) == "text" and (not hard or len(key.split()) > NAME_WORDS or rule.id in self.wrong.for_rule):
            stem_vec = self.composer.retriever.embeddings.query_vector(self.verifier.clues.expand(stem))
            plausible, keep = self.wrong.ranked(rule.id, candidates, stem_vec, self._situation_vec)
            candidates, other_kind, plausible = ([x[i] for i in keep] for x in (candidates, other_kind, plausible))
            if len(candidates) < 3:
                return None
        if unserved and any(together := self.kinds.together(rule, [c.text for c in candidates])):  # those the notes
            plausible, hard = [t + p for t, p in zip(together, plausible or [0.0] * len(together))], True  # set by it
        distractors, candidates, alike = choose_distractors(candidates, other_kind, plausible, hard, rng,
                                                            (value := value_form(key)) != "text")
        if alike < 3 and (avoid or value != "text" or unserved) or self.kinds.mixed(
                rule, [key] + [d.text for d in distractors]):  # (a swap below bringing another kind keeps the item)
            return None
        distractors = no_giveaway(stem, key, distractors, candidates[:max(alike, 3)],
                                  lambda text: self._shown(rule, [text], stem)[0])
        if unserved and gives_away(stem, key, [d.text for d in distractors]):  # (in notes no pack serves, a word
            return None  # of the stem that only the key says: "central firewall" for Azure Firewall)
        options, option_rules = [d.text for d in distractors], [d.rule_id for d in distractors]
        options.insert(position, key)
        option_rules.insert(position, rule.id)
        item_id = "q-" + content_hash(rule.id, stem, *options)[:12]
        claims = explanation_claims(self.kb, self.composer, rule, side, key, options, option_rules, position,
                                    self._shown(rule, options, stem), self.wrong.why(rule.id))
        explanation, citations = render(claims, self.kb)
        return QuizItem(id=item_id, stem=stem, options=options, answer=position, explanation=explanation,
                        citations=citations, rule_id=rule.id, area=rule.area, difficulty=draft.level,
                        option_rules=option_rules)

    def generate(self, count: int, seed: int, area: str | None = None, difficulty: str = "mixed",
                 rules: list[str] | None = None, exclude: set[str] | None = None,
                 exclude_stems: set[str] | None = None, exclude_rules: set[str] | None = None,
                 key_positions: Iterator[int] | None = None) -> list[QuizItem]:
        """``count`` verified items; the same arguments give the same items (with an LLM, the same items up to
        their reworded stems). ``exclude`` holds item ids not to repeat, reworded or not; ``exclude_stems``
        stems not to show again (the same scenario with other distractors is still the same question);
        ``exclude_rules`` rules not to ask about again while others are left (a mock exam asks each rule once).
        No stem appears twice in one call; ``key_positions`` spreads keys over a quiz made by several calls."""
        check_request(count, area, difficulty, self.kb)
        rng = random.Random(seed)
        pool = [r for r in self.pool if (area is None or r.area == area)]
        pool = [r for r in pool if not rules or r.id in set(rules)] or pool
        pool = [r for r in pool if r.id not in (exclude_rules or ())] or pool  # (a mock exam asks each rule once)
        if not pool and not self.pool:
            raise InputError("Quizzes need decision tables (a situation column and a choice column) or lists that "
                             "define four or more terms, and the review has neither; asking questions still works.")
        if not pool:  # ("Named Exam Traps": paragraphs and a few short lists)
            raise InputError(f"Area '{area}' holds no rows a quiz can ask (its paragraphs and short lists are for `ask`"
                             f"); quizzes ask about {', '.join(sorted({r.area for r in self.pool}))}.")
        exclude, seen_stems = {base_id(i) for i in exclude or ()}, {normalize(t) for t in exclude_stems or ()}
        drafts = self._drafts(pool, difficulty, rng, seen_stems)  # (none searched ahead on a thread: cost > gain)
        spread = key_positions or spread_positions(seed)  # keys spread evenly over A-D among the kept items
        items, position = [], None  # (the items kept, the key position to give next)
        retry, attempts = deque[Draft](), 0  # (a rule whose scenario the solver read as another rule's, asked again)
        asked: set[str] = set()  # the concepts the kept items' keys name
        while len(items) < count and attempts < count * 6 + 20:
            attempts += 1
            draft = retry.popleft() if retry else next(drafts)
            position = next(spread) if position is None else position
            if normalize(draft.stem) in seen_stems:
                continue
            concepts = self._concepts_of_key(draft.rule, draft.key)
            if concepts & asked and attempts <= count * 3:
                continue  # blue/green from two tables is one thing to know: ask another while others are left
            item = self.make_item(draft, position)
            if item is None or item.id in exclude:
                continue
            found = 2 if draft.rule.table else 1  # a term's definition finds its list's other terms next
            problem = None if (replay := replayable(draft.rule)) else self.verifier.check(item, found)  # (its key)
            if problem:
                self.dropped.append((item.id, problem))
                log.info("dropped %s (%s): %s", item.id, draft.rule.id, problem)
                if draft.stem in self._scenario_set:  # still worth asking: in another scenario, else its frame
                    seen_stems.add(normalize(draft.stem))  # (the solver read this one as another rule's)
                    retry.append(self.draft(draft.rule, draft.level, draft.rng, seen_stems))
                continue
            near = None if replay else self.verifier.runner_up(item)  # a distractor the solver finds nearly as good
            if near and (other := self.make_item(draft, position, frozenset({near}))) \
                    and not self.verifier.check(other, found):
                item = other
            position, asked = None, asked | concepts
            exclude.add(item.id)
            seen_stems.add(normalize(item.stem))
            # after the grounded checks and without the seeded rng, so the LLM changes stems, never items
            items.append(self._worded(self.rewriter.rewrite(item) if self.rewriter.enabled else item))
        return items

    def _shown(self, rule: Rule, options: list[str], stem: str = "") -> list[str]:
        """How options are shown: in the pack's wording, for a document the pack serves, unless the stem asks for a
        cause ("What should the team suspect?" is not answered by "Check for …")."""
        served = rule.source_file in self._worded_docs and not asks_for_a_cause(stem)
        return [self._wording.get(normalize(o), o) if served else o for o in options]

    def _worded(self, item: QuizItem) -> QuizItem:
        """``item``, checked with the review's choices as its options, as it is shown (the choices kept beside)."""
        shown = self._shown(self.kb.rule(item.rule_id), item.options, item.stem)
        return item if shown == item.options else item.model_copy(update={"options": shown, "choices": item.options})
