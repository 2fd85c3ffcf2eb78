"""Solving a multiple-choice question against the rules, and saying why a chosen option is not the best.

Each option is scored by the rules it is the choice of (by concept, or by the meaning of its text)
and by how well those rules' situations match the stem; options that match an anti-pattern
(a common mistake, a security trap, a ``Trap:`` line) are penalised; "NOT"/"LEAST" stems invert.
"""
from __future__ import annotations

import re
import time

import numpy as np

from studyassist.answer.citations import verify
from studyassist.answer.composer import Composer
from studyassist.answer.confidence import close_call, judge
from studyassist.answer.types import Claim, citation_order, render
from studyassist.knowledge import negation
from studyassist.knowledge.bounds import RowBounds
from studyassist.knowledge.facets import Facet
from studyassist.knowledge.paraphrases import ParaphraseIndex
from studyassist.pack import ANSWER_VOICE, MISTAKE_VOICE, NO_PACK, ExamPack
from studyassist.solve import held, mcq, naming, privilege
from studyassist.solve.commands import CommandRows
from studyassist.solve.compare import GridVotes
from studyassist.solve.explainer import Explainer
from studyassist.solve.facet_index import any_of, counts, invert
from studyassist.solve.grids import Grids
from studyassist.solve.lexical import RowWords
from studyassist.solve.mcq import PastedQuestion, answers_wanted, question_sentence
from studyassist.solve.mistakes import KnownMistakes, mistake_statement
from studyassist.solve.naming import MATCH_FLOOR, MATCH_FULL, NamedInside, SiblingNames, label_names, named_share
from studyassist.solve.notes import PackNotes
from studyassist.solve.numbers import FactRows
from studyassist.solve.parts import ListedParts
from studyassist.solve.polarity import Polarity
from studyassist.solve.types import OptionFit, Scored, Solution
from studyassist.solve.verdict import HEDGE, not_sure, noted_ties, pick_verdict, solve_signals
from studyassist.solve.wordings import OptionWordings
from studyassist.text import asked_after, key_terms, normalize

# A situation's fit to the stem: dense cosine, fused rank, BM25 (max-normalised); set on the team's solve set.
FIT_COSINE, FIT_RANK, FIT_LEXICAL = 0.5, 0.5, 2.0
# Options all names from one table ("Search space", "Goal", "Best run"): rows that share their words, a stem in other
# ones ("higher or lower values are better"): the fused rank with the pack's paraphrase bank leads (set on quiz drafts).
SIBLING_FIT = (0.5, 3.0, 0.25)
ANTI_MARKER_FACTOR = 0.35  # each anti-pattern wording in an option takes this share off its score
ANTI_MATCH = 0.6  # how closely an option must repeat a known mistake to be treated as one (in explanations)
ROW_WEIGHT = 0.8  # a statement option restating a row (or a mistake's correction) counts a bit less than a choice
TIE_BREAK, OVERVIEW_WEIGHT = 0.01, 0.8  # (a review-map row names an area, "Model deployment": it supports less)
OVERVIEW_YIELD = 0.5  # a decision row with at least this share of a review-map row's support is cited instead
NOT_ABOUT_SHARE = 0.8  # a NOT/LEAST stem naming no concept is about the rows fitting it within this share of the best
# An option that repeats a known mistake loses up to this share of its score; repeating starts at this cosine.
MISTAKE_PENALTY, REPEAT_FLOOR = 0.5, 0.5
# A statement option (at least this many content words) restates a row when this share of its words are the
# row's words; the credit starts at the floor and saturates at full. Embeddings of a long option against a
# short row are weak, so the row's own wording ("Still validate dependencies, data access, and cost") counts too.
STATEMENT_TERMS = 4
OVERLAP_FLOOR, OVERLAP_FULL = 0.25, 0.75
# An option stating other numbers than its fact row ("Standard allows 20 slots" against "Standard slots | 5") loses
NUMBER_PENALTY = MISTAKE_PENALTY  # this share of its score, as a repeated mistake does (all, for a NOT question)
GRID_LEAD = 1.0  # how far a grid lookup's option leads the best other option
DENIED_WEIGHT = 0.5  # how much of its fit a row loses when the stem denies the clue that points to it (at best BM25)
OWN_WORDING = 0.625  # an option that names no choice is said to state one when this near a wording of it (cos 0.7)
NAMESAKE = 0.0  # "Secrets User" names its own row, not the row of "Secrets Officer" beside it in its table
# a wrong answer the pack writes for a rule's need is wrong where the search finds that rule this near the best ("add
# green and move all traffic" is wrong where a gradual rollout is asked for, and right for an all-at-once switch)
WRONG_NEED = 0.5


class Solver:
    """Scores options against the rules of the index the composer answers from."""

    def __init__(self, composer: Composer, pack: ExamPack = NO_PACK, wordings: ParaphraseIndex | None = None,
                 notes: PackNotes | None = None):
        c = composer
        self.kb, self.retriever, self.matcher = c.kb, c.retriever, c.matcher
        self.facets, self.vectors, self.embeddings = c.facets, c.vectors, c.retriever.embeddings
        self.composer, self._clue_set, self.generic = c, c.clues, c.generic
        self.model = pack.calibration.solve if pack.calibration else None  # how sure an answer is
        self.choice_of = {normalize(w.text): w.choice for w in pack.wordings}  # the exam's wording of a choice
        # a known mistake worded as the wrong action (the pack's quiz distractors): read as the mistake it states
        self.choice_of |= {normalize(m.text): said for m in pack.mistakes if self.kb.has_rule(m.rule) and
                           (said := mistake_statement(self.kb.rule(m.rule)))}
        self.written_wrong: dict[str, set[str]] = {}  # an option the pack writes as wrong for these needs (rules)
        for w in pack.wrong_actions:
            self.written_wrong.setdefault(normalize(w.text), set()).add(w.rule)
        markers = "|".join(pack.anti_markers)  # practice banks' words for anti-patterns (``anti_patterns.toml``)
        self._anti_markers = re.compile(rf"\b({markers})\b", re.I) if markers else None
        rows = [self.vectors.row[f.key] for f in self.facets]
        self._choice, self._situation = self.vectors.choice[rows], self.vectors.situation[rows]
        tables = {r.id: self.kb.table(r.table) for r in self.kb.rules if r.table}  # a myth's claim is a mistake
        myths = frozenset(f.key for f in self.facets if f.rule_id in tables and tables[f.rule_id].states_myths)
        self._anti = np.array([f.anti or f.key in myths for f in self.facets])
        self._overview = np.array([self.kb.rule(f.rule_id).overview for f in self.facets])
        self._point = np.array([self.kb.rule(f.rule_id).list_kind == "point" for f in self.facets])
        self._row = self._row_vectors()
        self.wordings = OptionWordings(wordings, pack, self.facets, self._choice.shape[1])  # the pack's, in options
        self._no_wordings = OptionWordings(None, NO_PACK, self.facets, self._choice.shape[1])
        self._row_terms = [set(key_terms(f"{f.label} {f.situation}")) for f in self.facets]
        self._cell_terms = [set(key_terms(self.kb.rule(f.rule_id).text)) | set(key_terms(f.situation))
                            for f in self.facets]
        self._by_label = invert(names := label_names(self.facets))  # (a label without its bracket names it too)
        self._label_vec = {n: self._choice[i] for i, own in enumerate(names) for n in own}
        self._siblings = SiblingNames(self.facets)  # ("Prediction drift" does not name "Data drift")
        self._names = naming.OptionNames(self.matcher, [(c.id, a) for c in self.kb.concepts for a in c.aliases])
        self._inside = NamedInside(self.facets, {r.id: r.stressed for r in self.kb.rules if naming.stressed_choice(r)})
        self._stressed_rows = [i for i, f in enumerate(self.facets) if f.rule_id in self._inside.stressed]
        self._table_of = np.array([self.kb.rule(f.rule_id).table or f"-{i}" for i, f in enumerate(self.facets)])
        # every word the review uses (and its concepts' aliases): options in other words are ones it cannot judge
        self._vocabulary = set(key_terms(" ".join(r.text for r in self.kb.rules))) | {
            t for c in self.kb.concepts for a in c.aliases for t in key_terms(a)}
        # a checklist question ("How do you monitor both endpoint health and model quality?") chooses no concept,
        self._commands = CommandRows(self.kb, self.facets)  # nor does a command ("… --range=10.0.0.0/24": no "/24")
        self._facet_concepts = [set() if f.label.rstrip().endswith("?") or listed else set(
            naming.stressed_choice(self.kb.rule(f.rule_id)) or f.concepts) - self.generic  # (a paragraph: what it
                                for f, listed in zip(self.facets, self._commands.listed)]  # stresses, if anything)
        # Inverted indexes (key → facet positions): per-question work grows with what the question names
        self._by_rule, self._by_concept = invert([{f.rule_id} for f in self.facets]), invert(self._facet_concepts)
        self._by_cell_term, self._by_row_term = invert(self._cell_terms), invert(self._row_terms)
        self.mistakes = KnownMistakes(self.kb, self.facets, self._choice, self._situation, self.embeddings, myths)
        self.facts = FactRows(self.kb)
        self.notes = notes if notes is not None and len(notes) else None  # beyond the review
        self.grids, self.parts, self.votes, self._bounds = (Grids(self.kb), ListedParts(self.kb), GridVotes(self.kb),
                                                            RowBounds(self.kb, self.facets))
        self._facet_by_key = {f.key: f for f in self.facets}
        self.explainer = Explainer(self.kb, self.composer, self.mistakes.form)
        self._states_mistake = np.array([self.mistakes.form.get(f.key) == "mistake" for f in self.facets])
        self._lexical = RowWords(self.kb, self.retriever, self.facets, general=not pack.clues)  # (no exam clues)
        self._polarity, self._by_foreign_term = Polarity(self.kb, self.facets), self._lexical.by_foreign_term
        # concepts a row inherits from its subject, its table and section titles ("Sweep jobs") or, naming none, the
        # heading above ("Cosmos DB > Limits"); a title naming several ("Cache versus read replica") does not say
        # which one a row is about. c.heads: each multi-word label's head noun ("cluster" → Compute cluster, …)
        self._by_head, self._context_concepts = c.heads, []
        for f in self.facets:
            rule = self.kb.rule(f.rule_id)
            title, path = self.kb.table(rule.table).title if rule.table else "", rule.section.split(" > ")
            inherited = set(self.matcher.find(rule.subject or f"{title} {path[-1]}")) - self.generic or (
                set(self.matcher.find(path[-2])) - self.generic if len(path) > 1 else set())
            self._context_concepts.append(inherited if len(inherited) == 1 else set())
        self._by_context = invert(self._context_concepts)
        self._subjects = {c.id for c in self.kb.concepts if c.family.endswith("::subjects")}  # (what headings name)

    def _row_vectors(self) -> np.ndarray:
        """The stored chunk embedding of each facet's row (zeros where a rule has no chunk)."""
        ids = [cid for cid in self.retriever.ids if self.retriever.meta[cid].get("rule_id")]
        dim = self._choice.shape[1]
        if not ids:  # a review of prose alone has no rules
            return np.zeros((len(self.facets), dim), dtype=np.float32)
        got = self.retriever.collection.get(ids=ids, include=["embeddings", "metadatas"])
        by_rule = {m["rule_id"]: np.asarray(e, dtype=np.float32) for m, e in zip(got["metadatas"], got["embeddings"])}
        return np.stack([by_rule.get(f.rule_id, np.zeros(dim, dtype=np.float32)) for f in self.facets])

    def option_vectors(self, options) -> np.ndarray:
        """Vectors of option texts; a rule's choice, or an option the pack writes, reuses its vector from ingest."""
        known = getattr(self.embeddings, "remembered", lambda text: None)
        out: list[np.ndarray | None] = [self._label_vec.get(normalize(o), known(o)) for o in options]
        todo = [i for i, v in enumerate(out) if v is None]
        for i, v in zip(todo, self.embeddings.encode([options[i] for i in todo]) if todo else ()):
            out[i] = v
        return np.stack(out)

    def _restated(self, option: str, said: np.ndarray) -> np.ndarray:
        """How much of a statement option's wording each row's cells use, or how nearly it says what a point (an item
        stating a fact of its heading's thing) states: ``said``, its match to each situation. 0 for short options."""
        terms = set(key_terms(option))
        if len(terms) < STATEMENT_TERMS:
            return np.zeros(len(self.facets))
        share = counts(self._by_cell_term, terms, len(self.facets)) / len(terms)
        return np.maximum(np.clip((share - OVERLAP_FLOOR) / (OVERLAP_FULL - OVERLAP_FLOOR), 0, 1),
                          np.where(self._point, said, 0.0))

    def score(self, q: PastedQuestion, wordings: bool = True) -> Scored:
        """Every option's fit to the rules; ``wordings=False``: without the pack's wordings of options."""
        words = self.wordings if wordings else self._no_wordings
        q = PastedQuestion(q.stem, tuple(self.choice_of.get(normalize(o), self._inside.read(o)) for o in q.options),
                           q.numbered)  # (in the exam's wording of a choice, or with the acronym it spells out)
        negated = bool(mcq.NEGATED.search(asking := question_sentence(q.stem)))
        names_mistake = not negated and bool(mcq.NAMES_MISTAKE.search(asking))
        stem = mcq.NEGATED.sub(" ", q.stem) if negated else q.stem
        search_text = self._clue_set.expand(negation.without_normal(  # (not "steady latency": not the problem)
            asked_after(stem) or stem))  # ("… and the CFO approves the budget. Which role does the CFO hold?")
        stem_vec, opt_vecs = self.embeddings.query_vector(search_text), self.option_vectors(q.options)
        hits = self.retriever.search(search_text, k=12, vector=stem_vec)
        top = max((h.score for h in hits), default=1.0)
        relevance = {h.rule.id: h.score / top for h in hits if h.rule is not None}
        rel = np.zeros(len(self.facets))
        for rid, value in ((r, v) for r, v in relevance.items() if r in self._by_rule):
            rel[self._by_rule[rid]] = value
        asked, _, contrast = (mcq.CONTRAST.split(stem, maxsplit=1) + ["", ""])[:3]
        # "typical for X rather than for Y": the question is about X only
        contrast_named = set(self.matcher.find(contrast)) - self.generic
        # "the team does not want to create, size, or patch any clusters": a need declined rules out what it
        # names, unless the stem also asks for it elsewhere
        ruled_out, declined = negation.declined_concepts(stem, self.matcher.find, self._by_head)
        contrast_named |= ruled_out - self.generic
        contrast_named |= set(self.matcher.find(mcq.given_things(stem, asking)))  # it exists already (if generic too)
        stem_named = set(self.matcher.find(asked)) - self.generic - contrast_named
        # (a) options that name a choice: their rule's situation must fit the stem
        labelled = [self._by_label.get(normalize(o)) for o in q.options]  # the facets each option names exactly
        one_table = self.retriever.paraphrases is not None and all(x is not None for x in labelled) and len(
            {self._table_of[x[0]] for x in labelled}) == 1  # (without a bank, the rank is no better than the words)
        w_cos, w_rank, w_lex = SIBLING_FIT if one_table else (FIT_COSINE, FIT_RANK, FIT_LEXICAL)
        fit = (w_cos * np.clip(self._situation @ stem_vec, 0, None) + w_rank * rel
               + w_lex * self._lexical(search_text)) * self._polarity(stem) * self._bounds(stem)  # (rules out, too)
        # the side the stem sets aside ("… rather than in CI/CD") is not the answer, however well its row fits
        fit = fit * (1 - any_of(self._by_concept, contrast_named - stem_named, len(self.facets)))
        denied = " ".join(terms for _, terms in self._clue_set.denied(stem))
        if denied:  # "there is no latency requirement": the rows that clue points to fit less, not more
            fit = fit * (1 - DENIED_WEIGHT * self._lexical(denied))
        refused = negation.refused_words(stem)  # ("waiting for a refresh is not acceptable", as a need declined)
        if needs := " ".join([mcq.DECLINING.sub(" ", declined), *sorted(refused - set(key_terms(declined)))]):
            fit = fit * (1 - DENIED_WEIGHT * self._lexical(needs))  # "no requirement for ordering": rows fit less
        if normal := negation.reported_normal(stem):  # "steady latency and normal CPU usage": not where the problem is
            fit = fit * (1 - DENIED_WEIGHT * self._lexical(normal))  # (nor the fix: an option acting on it loses)
        reading, keep = not negated and privilege.reads_only(stem), held.kept(stem)  # (writes, or changes what's kept)
        steady = frozenset() if negated else negation.normal_measures(stem)  # an option acting on these loses
        asked = (set(), frozenset()) if negated else (set(key_terms(search_text)), refused)
        chosen = mcq.turned_to(q.options)  # (what an option turns to, not what it turns from)
        chosen_vecs = mcq.chosen_vectors(q.options, chosen, opt_vecs, self.option_vectors)
        choice_sims = self._commands.masked(chosen_vecs @ self._choice.T, q.options)
        match = np.maximum(named_share(choice_sims), self._inside.share(chosen)) * self._siblings.kept(q.options)
        stated = words.closeness(chosen_vecs, ANSWER_VOICE)  # a choice (a mistake's correction) as options say it
        stated_match = np.where(self._anti, 0.0, named_share(stated))
        # (b) options that describe a situation: the stem names the choice whose situation they fit
        stem_choice = any_of(self._by_concept, stem_named, len(self.facets))
        sit_sims, row_sims = (self._commands.masked(opt_vecs @ m.T, q.options) for m in (self._situation, self._row))
        situation_match, row_match = named_share(sit_sims), named_share(row_sims)
        relevant = (rel > 0) | (stem_choice > 0)
        # (named in the question sentence: "An endpoint … Which signal would NOT help?" is not about endpoints)
        asked_named = set(self.matcher.find(asking)) & stem_named
        about = (any_of(self._by_concept, asked_named, len(self.facets)) + any_of(  # (or under its heading: "Which
            self._by_context, asked_named & self._subjects, len(self.facets)) > 0) & ~self._anti  # is NOT an S3 …?")
        # "Which is NOT part of a model's documentation?" names no concept: it is about the rows that fit it best
        near_top = (fit >= NOT_ABOUT_SHARE * fit.max()) & ~self._anti
        # nearest the review gets to each option outside its anti-patterns: a mistake nearer than that is repeated
        nearest_good = np.where(self._anti, -1.0, np.maximum(np.maximum(choice_sims, sit_sims), row_sims)).max(axis=1)
        repeats, corrects, corrected = self.mistakes.relation(opt_vecs, q.options)
        mistaken = words.closeness(opt_vecs, MISTAKE_VOICE)  # a mistake as a tempting option words it
        mistaken = np.where(stated >= mistaken, 0.0, mistaken)  # (nearer the mistake's corrections: no mistake)
        repeats = np.maximum(repeats, mistaken)
        corrects = np.maximum(corrects, np.where(self._anti, stated, 0.0))
        # for explanations: an option naming or restating a mistake, unless it corrects it ("Real-time serving"
        # for a nightly batch is the mistake "Deploying batch workloads to real-time serving")
        # (and one nearly as the pack words a tempting mistake is that mistake)
        mistake_text = np.maximum(situation_match * self._states_mistake, named_share(mistaken))
        repeats = np.where(repeats > nearest_good[:, None], repeats, 0.0)
        repeat_match, correct_match = named_share(repeats, REPEAT_FLOOR), named_share(corrects)
        fits, set_aside = [], set()
        for o, text in enumerate(q.options):
            named = set(self._names.find(mcq.chosen_part(text))) - self.generic  # (not "… instead
            # of SQS": what an option sets aside is not what it chooses; nor the stem's scene, beside something else)
            if named := named - stem_named or named:
                exact = any_of(self._by_concept, named, len(self.facets))
                context = 0.8 * any_of(self._by_context, named, len(self.facets))
                match[o] = np.maximum(match[o], np.maximum(exact, context))
            own_i = int(np.argmax(np.where(self._anti, -1.0, match[o] + 0.01 * fit)))  # the choice it names
            said_i = int(np.argmax(stated_match[o]))  # or, failing that, the choice it says nearly as the pack words it
            names = self.facets[own_i] if match[o][own_i] > 0 else (  # (not a NOT question's: where an odd one
                self.facets[said_i] if stated_match[o][said_i] >= OWN_WORDING and not negated else None)  # belongs)
            if not named & contrast_named - stem_named:  # what the stem sets aside gets nothing for its wording
                match[o] = np.maximum(match[o], stated_match[o])
            else:  # (nor from the notes)
                set_aside.add(o)
            good_a = np.where(self._anti, 0.0, match[o] * fit)
            good_b = np.where(self._anti, 0.0, situation_match[o] * stem_choice)
            # (c) options that state a fact: the whole row they restate must fit the stem
            wording = self._commands.masked(self._restated(text, situation_match[o]), [text], fill=0.0)
            if (own := labelled[o]) is not None:  # the exact name of a choice names no
                siblings = np.isin(self._table_of, self._table_of[own]) & ~np.isin(np.arange(len(self.facets)), own)
                kept = np.where(siblings, NAMESAKE, 1.0)  # near namesake in its own table
                good_a, good_b, wording = good_a * kept, good_b * kept, wording * kept
                row_match[o] = row_match[o] * kept
            # in words of the row's other side or of what it rules out, an option restates the row, not this facet
            foreign = any_of(self._by_foreign_term, set(key_terms(text)), len(self.facets))
            good_c = np.where(self._anti, 0.0, ROW_WEIGHT * np.maximum(row_match[o], wording) * fit * (1 - foreign))
            off = [i for i in self._stressed_rows if named and not named & self._facet_concepts[i]]  # (a paragraph
            good_a[off] = good_c[off] = 0.0  # that stresses another concept is no rule for this one)
            # (d) options that state a known mistake's correction (or negate the mistake): that rule must fit
            good_d = np.where(self._anti, ROW_WEIGHT * correct_match[o] * fit, 0.0)
            good = np.maximum(np.maximum(good_a, good_b), np.maximum(good_c, good_d))
            good = np.where(self._overview, OVERVIEW_WEIGHT * good, good)
            bad = np.where(self._anti & ~corrected[o], np.maximum(match[o], mistake_text[o]), 0.0)
            best_i, anti_i = int(np.argmax(good)), int(np.argmax(bad))
            markers = min(2, len(self._anti_markers.findall(text))) if self._anti_markers else 0
            # a tiny tie-breaker: how close the option is to any row the stem is about (matters for NOT/LEAST)
            closeness = float(np.max(np.where(relevant, row_sims[o], -1.0))) if relevant.any() else 0.0
            # and between two options that name the same rule's choice ("Azure ML pipeline", "Pipeline job"), the one
            # in its own words; between two a row of theirs fits alike, the one whose own row fits ("Shield Advanced")
            closeness += float(np.clip((choice_sims[o, best_i] - MATCH_FULL) / (1 - MATCH_FULL), 0, 1)) + (
                float(np.max(fit, where=exact > 0, initial=0.0)) / max(float(fit.max()), 1e-9) if named else 0.0)
            repeated = float(np.max(repeat_match[o]))
            wrong_number = bool(self.facts.wrong(text, q.stem, q.options))
            own_row = self.facets[int(labelled[o][0]) if labelled[o] is not None else best_i]  # (its own row, if any)
            over = reading and privilege.writes(text, f"{own_row.label} {own_row.situation}") or held.breaks(
                text, keep, own_row.situation)  # (or, asked which part to change, a part that is kept)
            value = (float(good[best_i]) * (1 - ANTI_MARKER_FACTOR * markers) * (1 - MISTAKE_PENALTY * repeated)
                     * (1 - NUMBER_PENALTY * wrong_number) * (1 - privilege.PENALTY * over)
                     * (1 - DENIED_WEIGHT * (negation.names_measure(text, steady) or negation.denies(text, *asked)))
                     + TIE_BREAK * closeness)
            if negated:
                # "Which is NOT/LEAST … <concept>?": how well the option fits that concept's own rows
                rows = about if about.any() else near_top
                terms = set(key_terms(self._clue_set.expand(text)))
                overlap = counts(self._by_row_term, terms, len(self.facets)) / max(1, len(terms))
                inside = np.where(rows, np.maximum(sit_sims[o], row_sims[o]) + overlap, -1.0)
                belongs = float(np.max(inside))
                outside = np.where(rows | self._anti, -1.0, np.maximum(sit_sims[o], row_sims[o]) + overlap)
                home_i, inside_i = int(np.argmax(outside)), int(np.argmax(inside))
                placed = (self.facets[inside_i] if inside[inside_i] >= MATCH_FLOOR else None,
                          self.facets[home_i] if outside[home_i] >= max(MATCH_FLOOR, float(inside[inside_i])) else None)
                # without a named concept an option may still belong by its own rule, and a trap's wording does not
                # belong however many of the row's words it repeats
                # and one whose number the review contradicts, or that falls short of the stem's need, belongs not
                value = 0.0 if wrong_number else (belongs if about.any() else max(
                    value, belongs * (1 - ANTI_MARKER_FACTOR * markers) * (1 - MISTAKE_PENALTY * repeated)))
            wrong_for = self.written_wrong.get(normalize(text), ())
            value = -1.0 if max((relevance.get(r, 0) for r in wrong_for), default=0) >= WRONG_NEED else value
            if names_mistake:
                # the option names the mistake (or repeats it) whose situation the scenario fits; every option names
                # some mistake, so how well the scenario fits it counts twice
                said = np.maximum(np.maximum(match[o], mistake_text[o]), repeat_match[o])
                commits = np.where(self._anti, said * fit * fit / max(float(np.max(fit[self._anti])), 1e-9), 0.0)
                anti_i = int(np.argmax(commits))
                fits.append(OptionFit(float(commits[anti_i]) + TIE_BREAK * closeness,
                                      self.facets[anti_i] if commits[anti_i] > 0 else None, None, None, commits=True))
                continue
            if self._overview[best_i]:  # cite the decision row under a review-map row when it carries the option
                specific = int(np.argmax(np.where(self._overview, -1.0, good)))
                best_i = specific if good[specific] >= OVERVIEW_YIELD * good[best_i] else best_i
            fits.append(OptionFit(value, self.facets[best_i] if good[best_i] > 0 else None, names,
                                  self.facets[anti_i] if bad[anti_i] >= ANTI_MATCH else None,
                                  inside=placed[0] if negated else None, elsewhere=placed[1] if negated else None))
        found = None if negated or names_mistake else self._looked_up(  # (the nearest rule's choice: a grid row?)
            q, sum(x is not None for x in labelled), self.kb.rule(self.facets[int(np.argmax(fit))].rule_id).choice)
        if found is not None and not set(self.matcher.find(q.options[found[0]])) & contrast_named:  # a lookup decides
            fits[found[0]] = OptionFit(max(f.score for f in fits) + GRID_LEAD, found[1], found[1], None)
        elif not (negated or names_mistake) and (vote := self.votes.bonus(q.stem, list(q.options))) is not None:
            fits[vote[0]] = fits[vote[0]].lifted(vote[2] * max(x.score for x in fits), self._facet_by_key.get(vote[1]))
        return Scored(fits, negated, stem_vec, relevance, max((h.similarity for h in hits), default=0.0), opt_vecs,
                      frozenset(set_aside))

    @staticmethod
    def _picks_of(scored: Scored, count: int) -> set[int]:  # the ``count`` best options of ``scored``
        return set(sorted(range(len(scored.fits)), key=lambda i: scored.fits[i].score,
                          reverse=not scored.negated)[:count])

    def _looked_up(self, q: PastedQuestion, named: int, nearest: str) -> tuple[int, Facet | None] | None:
        """(option, facet) a lookup answers: a yes/no grid's cell (grids.py; the ``nearest`` choice if no row is named),
        its rule's value (numbers.py), the one a list leaves out or a list part (parts.py; not if ``named`` ≥ 2)."""
        if grid := self.grids.lookup(q.stem, opts := list(q.options), nearest):
            return grid[0], self._facet_by_key.get(f"{grid[1].id}@{grid[2]}") or self._facet_by_key.get(grid[1].id)
        value = (self.facts.looked_up(q.stem, opts) or self.facts.enough(q.stem, opts) or self.parts.odd_one_out(
            q.stem, opts) or named < 2 and self.parts.pick(q.stem, opts))  # ("Deployment", "Endpoint": no parts)
        return (value[0], self.facets[int(self._by_rule[value[1]][0])]) if value and value[1] in self._by_rule else None

    def unknown_share(self, texts: list[str]) -> float:
        """The share of the distinct content words of ``texts`` that the review never uses: options that differ in
        words the review does not know (product features, API names) are ones its rules cannot tell apart."""
        words = {t for text in texts for t in key_terms(text)}
        return len(words - self._vocabulary) / len(words) if words else 0.0

    def solve(self, q: PastedQuestion, chose: str | None = None) -> Solution:
        """The best option, every option's score, a cited explanation and feedback on ``chose``, said as surely as
        the calibrated confidence allows."""
        start, chosen_index, scored = time.perf_counter(), q.index_of(chose) if chose else None, self.score(q)
        fits, negated = scored.fits, scored.negated
        values, unknown = [f.score for f in fits], self.unknown_share(q.options)
        noted, alike = noted_ties(self.notes, q, scored, values, unknown)  # (and the options tied with the best)
        by_review = self._picks_of(scored, min(answers_wanted(q.stem), len(values) - 1))
        if noted:  # options in words the review does not use: the exam's documentation (the pack's notes) counts
            values = [v + float(s) for v, s in zip(values, noted.support)]
        ranked = sorted(range(len(values)), key=lambda i: values[i], reverse=not negated)
        best, picks = ranked[0], ranked[:min(answers_wanted(q.stem), len(values) - 1)]
        signals = solve_signals(scored, values, ranked, len(picks), self.retriever.paraphrases)
        signals |= {"unknown_words": unknown, "tied": float(len(picks) == 1 and {best, ranked[1]} <= alike),
                    "clues": float(len(self.explainer.clues(q.stem, fits[best].facet)) if fits[best].facet else 0)}
        level, probability = judge(self.model, signals, solved=True)
        level = "unsure" if signals["tied"] else level  # one rule explains both alike: the review does not tell them
        if level == "confident" and (negated or by_review != set(picks)):  # apart (a note may guess between them)
            level = "likely"  # found by elimination (NOT/LEAST: the option that fits no rule), or by the notes
        if level == "confident" and self.wordings and self._picks_of(self.score(q, False), len(picks)) != set(picks):
            level = "likely"  # it rests on how the pack words options (a cosine to them), not on the review's words
        if level == "confident" and (need := mcq.need_part(q.stem)) and self._picks_of(
                self.score(PastedQuestion(need, q.options, q.numbered)), len(picks)) != set(picks):
            level = "likely"  # it rests on the scene, not on the need ("labels arrive 90 days later" vs "… drift")
        letters = q.letters
        shown = picks if level != "unsure" or len(picks) > 1 or negated else ranked[:2]
        beside = fits[best] if len(shown) > len(picks) else None  # (two closest side by side: not one rule twice)
        claims = [c for p in shown for c in self.explainer.why_best(q, p, fits[p], negated, beside) + (
            self.notes.claims(noted, p, by_review != set(picks)) if noted and p == best else [])]
        if len(shown) > len(picks):  # not sure: the two closest options side by side, no verdict
            claims.insert(0, Claim(text=not_sure(letters[ranked[0]], letters[ranked[1]],
                                                 close_call(level, probability, signals)), heading="Closest rules:"))
        feedback_claims: list[Claim] = []
        if chosen_index is not None and chosen_index not in picks:
            feedback_claims = self.explainer.why_not_chosen(q, chosen_index, fits[chosen_index], best, fits[best],
                                                            negated, sure=level == "confident")
        all_claims, warnings = verify(claims + feedback_claims, self.kb, self.matcher)
        if self.retriever.problem:
            warnings.append(self.retriever.problem)
        order = citation_order(all_claims)
        explanation, citations = render(all_claims[: len(claims)], self.kb, order)
        feedback = None
        if chosen_index is not None:
            if chosen_index in picks:
                feedback = pick_verdict(letters, chosen_index, picks, level, ranked[1] if len(ranked) > 1 else None)
            else:
                feedback, citations = render(all_claims[len(claims):], self.kb, order)
                if level != "confident":
                    feedback = f"{HEDGE[level]}\n\n{feedback}"
        return Solution(best=letters[best], scores={l: round(v, 4) for l, v in zip(letters, values)},
                        explanation=explanation, citations=citations,
                        chosen=letters[chosen_index] if chosen_index is not None else None, chosen_feedback=feedback,
                        picks=[letters[p] for p in sorted(picks)],
                        best_rule=fits[best].facet.rule_id if fits[best].facet else None,
                        chosen_rule=(fits[chosen_index].own.rule_id
                                     if chosen_index is not None and fits[chosen_index].own else None),
                        negated=negated, warnings=warnings, confidence=level, probability=probability,
                        signals=signals, latency_ms=round((time.perf_counter() - start) * 1000, 2))
