"""Fresh exam-style questions from the rules, with answer keys checked before they are shown.

A question takes a decision-table row: the row's situation becomes the stem (through a team-written
frame), its choice is the key, and three choices of the same kind (same column, same concept family,
or for "hard" the nearest neighbours and the matching common mistake) are the distractors. With an LLM
configured, a verified item's stem may then be reworded (quiz_rewrite.py); the item is the same otherwise.
"""
from __future__ import annotations

import logging
import random
import re
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from pydantic import BaseModel, Field

from studyassist.answer.types import Citation, Claim, render
from studyassist.errors import InputError
from studyassist.knowledge.model import Rule, Table
from studyassist.quiz.scenarios import CONSTRAINTS, FRAMES, MODELS, ORGANISATIONS, WORKLOADS, noun_for, reword
from studyassist.text import content_hash, normalize

log = logging.getLogger(__name__)

MAX_COUNT = 500
DIFFICULTIES = ("easy", "hard", "mixed")
# How an item's stem was made: the grounded frame (no LLM), reworded by the LLM, or the grounded frame
# because the LLM's rewrite failed or was rejected.
ORIGINS = ("grounded", "rewritten", "fallback")
PREFETCH = 2  # stems searched ahead of the one being checked
PREFETCH_WORKERS = 2  # two stems embedded at once beside the checks: 27 -> 18 ms per item on 2 cores


class QuizItem(BaseModel):
    """One generated question (see DESIGN.md for the JSON contract)."""

    id: str
    stem: str
    options: list[str]
    answer: int
    explanation: str
    citations: list[Citation]
    rule_id: str
    area: str
    difficulty: str = Field(default="easy", exclude=True)
    option_rules: list[str | None] = Field(default_factory=list, exclude=True)
    origin: str = Field(default="grounded", exclude=True)

    def contract(self) -> dict:
        return self.model_dump(mode="json")


@dataclass
class Draft:
    """One attempt at an item: the rule, how hard, the key and the stem; ``rng`` draws its distractors."""

    rule: Rule
    level: str
    side: int | None
    key: str
    stem: str
    rng: random.Random


@dataclass(frozen=True)
class _Candidate:
    text: str
    rule_id: str | None
    concepts: frozenset[str]


def _unnamed(key: str, stem: str) -> str:
    """``stem`` without the word ``key``: dropped where it qualifies the next word ("versioned data asset" →
    "versioned asset"), "ones" where it ends a phrase ("and business metrics" → "and business ones")."""
    word = rf"\b{re.escape(key)}\b"
    stem = re.sub(word + r"\s+(?=\w)", "", stem, flags=re.I)
    stem = re.sub(word, "ones", stem, flags=re.I)
    return stem[:1].upper() + stem[1:]


def _frame_kind(table: Table) -> str:
    if table.orientation == "comparison":
        return "comparison"
    situation_header = table.columns[table.situation_column].lower()
    if table.orientation == "clue_choice":
        if "symptom" in situation_header:
            return "symptom"
        return "scenario" if situation_header.startswith("scenario") and "clue" not in situation_header \
            else "requirement"
    if "question" in situation_header:
        return "gate"
    if "capture" in situation_header or "verify" in situation_header:
        return "capture"
    return "definition"


def base_id(item_id: str) -> str:
    """The grounded item's id, also for a reworded item (whose id is the grounded id plus ``-r<hash>``)."""
    return item_id.split("-r", 1)[0]


class QuizGenerator:
    """Builds and verifies quiz items from the assistant's loaded knowledge base and index."""

    def __init__(self, assistant, solver=None):
        from studyassist.quiz.rewrite import StemRewriter
        from studyassist.quiz.verify import KeyVerifier
        from studyassist.solve.solver import Solver

        self.a = assistant
        self.kb = assistant.kb
        self.solver = solver or Solver(assistant)
        self.verifier = KeyVerifier(assistant, self.solver)
        self.rewriter = StemRewriter(assistant, self.verifier)
        self.pool = [r for r in self.kb.table_rules
                     if r.table and "review-map" not in r.table and r.situation and r.choice]
        vectors = assistant.vectors
        self._facet_of_rule = {f.rule_id: f for f in assistant.facets}
        self._choice_vec = {f.key: vectors.choice[vectors.row[f.key]] for f in assistant.facets}
        self._family: dict[str, list] = {}  # concept family → its concepts, in knowledge-base order
        self._order = {c.id: i for i, c in enumerate(self.kb.concepts)}
        for c in self.kb.concepts:
            self._family.setdefault(c.family, []).append(c)
        self.dropped: list[tuple[str, str]] = []

    # ---- options -------------------------------------------------------------------------------
    def _key(self, rule: Rule, side: int | None) -> str:
        return rule.sides[side].label if side is not None else rule.choice.strip().strip('"“”').rstrip(".")

    def _candidates(self, rule: Rule, key: str, hard: bool, rng: random.Random) -> list[_Candidate]:
        """Distractor texts with the rule each one is the choice of and the concepts it names, best first for
        the difficulty. No two of them, or one and the key, say the same thing: neither's words contain the
        other's ("Blue/green" and "Blue/green deployment") and they name no concept in common."""
        table = self.kb.table(rule.table)
        key_sig = self.verifier.signature(key)
        # a comparison row's choice concepts are both sides'; the key is one side
        key_concepts = set(key_sig.concepts) if rule.sides else set(rule.choice_concepts)
        taken = [key_sig._replace(concepts=key_sig.concepts | key_concepts)]
        out: list[_Candidate] = []

        def add(text: str, rid: str | None) -> None:
            t = text.strip().strip('"“”').rstrip(".")
            if not t or (rid is not None and "review-map" in (self.kb.rule(rid).table or "")):
                return
            sig = self.verifier.signature(t)
            if any(sig.alike(other) for other in taken):
                return
            taken.append(sig)
            out.append(_Candidate(t, rid, sig.concepts))

        if table.orientation == "comparison":
            for r in self.kb.rules_of(table.id):
                for s in r.sides:
                    add(s.label, r.id)
            for c in self._family.get("job", []):
                add(c.label, c.choice_of[0] if c.choice_of else None)
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
                        for other in self.a.matcher.find(trap.choice + " " + trap.situation):
                            if other not in key_concepts and self.kb.concept(other).choice_of:
                                add(self.kb.concept(other).label, self.kb.concept(other).choice_of[0])
        else:
            rng.shuffle(same_table)
        for r in same_table:
            add(r.choice, r.id)
        families = {self.kb.concept(c).family for c in key_concepts}
        kin = sorted((c for f in families for c in self._family.get(f, [])), key=lambda c: self._order[c.id])
        for c in kin:
            if c.id not in key_concepts and c.choice_of:
                add(c.label, c.choice_of[0])
        return out

    def _kind(self, rule_id: str | None) -> str | None:
        """What a rule's choice is: its table's choice column ("Better fit", "Best first thinking step", …)."""
        if rule_id is None or not self.kb.has_rule(rule_id) or not self.kb.rule(rule_id).table:
            return None
        table = self.kb.table(self.kb.rule(rule_id).table)
        return normalize(table.columns[table.choice_column])

    # ---- stems ---------------------------------------------------------------------------------
    def _stem(self, rule: Rule, side: int | None, rng: random.Random) -> str:
        table = self.kb.table(rule.table)
        kind = _frame_kind(table)
        frames = FRAMES[kind]
        frame = frames[rng.randrange(len(frames))]
        org = rng.choice(ORGANISATIONS)
        workload = rng.choice(WORKLOADS.get(rule.area, WORKLOADS["deployment"]))
        situation = rule.sides[side].text if side is not None else rule.situation
        situation = reword(situation) if kind != "gate" else situation.strip()
        stem = frame.format(org=org, org_lc=org[0].lower() + org[1:], workload=workload, model=rng.choice(MODELS),
                            situation=situation,
                            constraint=rng.choice(CONSTRAINTS), noun=noun_for(table.columns[table.choice_column]),
                            aspect=rule.situation.lower())
        return " ".join(stem.split())

    def draft(self, rule: Rule, level: str, rng: random.Random) -> Draft:
        """The rule's key and a stem for it, drawn from ``rng`` (which the item's distractors use next)."""
        side = rng.randrange(len(rule.sides)) if rule.sides else None
        key = self._key(rule, side)
        stem = self._stem(rule, side, rng)
        for _ in range(3):  # a frame or workload that happens to contain the key: draw again
            if normalize(key) not in normalize(stem):
                break
            stem = self._stem(rule, side, rng)
        if normalize(key) in normalize(stem):  # the situation names its own key ("… and business metrics")
            stem = _unnamed(key, stem)
        return Draft(rule, level, side, key, stem, rng)

    def _drafts(self, pool: list[Rule], difficulty: str, rng: random.Random) -> Iterator[Draft]:
        """Every attempt of one ``generate`` call, in seeded order; each has its own rng, so what an attempt
        draws never depends on whether the attempts before it were kept."""
        while True:
            order = pool[:]
            rng.shuffle(order)
            for rule in reversed(order):
                level = difficulty if difficulty != "mixed" else rng.choice(("easy", "hard"))
                yield self.draft(rule, level, random.Random(rng.getrandbits(64)))

    # ---- items ---------------------------------------------------------------------------------
    def make_item(self, draft: Draft, position: int) -> QuizItem | None:
        rule, side, key, stem, rng = draft.rule, draft.side, draft.key, draft.stem, draft.rng
        hard = draft.level == "hard"
        # never offer the choice of another rule the stem itself points to
        fitting = [r for r in self.verifier.top_rules(stem) if r.id != rule.id]
        blocked = ({r.id for r in fitting} | {c for r in fitting for c in r.choice_concepts}
                   | (set(rule.concepts) - set(rule.choice_concepts) - self.a.composer.generic))
        candidates = [c for c in self._candidates(rule, key, hard, rng)
                      if c.rule_id not in blocked and not c.concepts & blocked]
        if len(candidates) < 3:
            return None
        # choices of the key's kind first ("What should the team do first?" is not answered by "Endpoint"); others
        # only when there are too few of its kind
        kind = self._kind(rule.id)
        other_kind = [self._kind(c.rule_id) != kind for c in candidates]
        alike = other_kind.count(False)
        # stable: within each kind the difficulty's order stays
        candidates = [c for _, c in sorted(zip(other_kind, candidates), key=lambda pair: pair[0])]
        window = max(3, min(alike if alike >= 3 else len(candidates), 8))
        distractors = candidates[:3] if hard else rng.sample(candidates[:window], 3)
        options: list[str] = [d.text for d in distractors]
        option_rules: list[str | None] = [d.rule_id for d in distractors]
        options.insert(position, key)
        option_rules.insert(position, rule.id)
        item_id = "q-" + content_hash(rule.id, stem, *options)[:12]
        claims = self._explanation_claims(rule, side, key, options, option_rules, position)
        explanation, citations = render(claims, self.kb)
        return QuizItem(id=item_id, stem=stem, options=options, answer=position, explanation=explanation,
                        citations=citations, rule_id=rule.id, area=rule.area, difficulty=draft.level,
                        option_rules=option_rules)

    def _explanation_claims(self, rule, side, key, options, option_rules, position) -> list[Claim]:
        situation = rule.sides[side].text if side is not None else rule.situation
        claims = [Claim(text=f"**{key}** — the review's rule: \"{situation.strip().strip('“”')}\" → {key}.",
                        rule_ids=[rule.id], label=key, heading="Why the key fits:")]
        claims += self.a.composer._note_claims(rule)[:2]
        for i, (opt, rid) in enumerate(zip(options, option_rules)):
            if i == position or rid is None:
                continue
            other = self.kb.rule(rid)
            if other.sides:
                s = next((s for s in other.sides if normalize(s.label) == normalize(opt)), other.sides[0])
                what = f"{other.situation}: {s.text}"
            else:
                what = other.situation
            claims.append(Claim(text=f"**{opt}** is for: {what.strip().strip('“”').rstrip('.?')}.", rule_ids=[rid],
                                label=opt, heading="Distractor:"))
        claims += self.a.composer._trap_claim(list(rule.choice_concepts), {rule.id})
        return claims

    def generate(self, count: int, seed: int, area: str | None = None, difficulty: str = "mixed",
                 rules: list[str] | None = None, exclude: set[str] | None = None,
                 exclude_stems: set[str] | None = None) -> list[QuizItem]:
        """``count`` verified items; the same arguments give the same items (with an LLM, the same items up to
        their reworded stems). ``exclude`` holds item ids not to repeat, reworded or not; ``exclude_stems``
        stems not to show again (the same scenario with other distractors is still the same question).
        No stem appears twice in one call."""
        check_request(count, area, difficulty, self.kb)
        rng = random.Random(seed)
        pool = [r for r in self.pool if (area is None or r.area == area)]
        if rules:
            wanted = set(rules)
            pool = [r for r in pool if r.id in wanted] or pool
        if not pool:
            raise InputError(f"There are no decision rules in area '{area}' to ask about.")
        exclude = {base_id(i) for i in exclude or ()}
        seen_stems = {normalize(t) for t in exclude_stems or ()}
        rewrite = self.rewriter.enabled
        drafts = self._drafts(pool, difficulty, rng)
        position_rng = random.Random(f"{seed}:positions")  # keys spread evenly over A-D among the kept items
        items: list[QuizItem] = []
        positions: list[int] = []
        # The next few stems are searched on a worker thread while this one is checked: embedding a stem is
        # most of an item's cost, and onnxruntime runs it without the GIL. Results do not depend on timing:
        # the worker only fills the embedder's and the retriever's caches.
        ahead: deque[tuple[Draft, Future | None]] = deque()
        workers = ThreadPoolExecutor(max_workers=PREFETCH_WORKERS, thread_name_prefix="quiz-prefetch")
        attempts = 0
        try:
            while len(items) < count and attempts < count * 6 + 20:
                attempts += 1
                while len(ahead) < min(count - len(items), PREFETCH + 1):
                    draft = next(drafts)
                    early = ahead and normalize(draft.stem) not in seen_stems  # (the first is searched right away)
                    ahead.append((draft, workers.submit(self.verifier.prefetch, draft.stem) if early else None))
                draft, searched = ahead.popleft()
                if searched is not None:
                    searched.result()
                if not positions:
                    positions = [0, 1, 2, 3]
                    position_rng.shuffle(positions)
                if normalize(draft.stem) in seen_stems:
                    continue
                item = self.make_item(draft, positions[-1])
                if item is None or item.id in exclude:
                    continue
                problem = self.verifier.check(item)
                if problem:
                    self.dropped.append((item.id, problem))
                    log.info("dropped %s (%s): %s", item.id, draft.rule.id, problem)
                    continue
                positions.pop()
                exclude.add(item.id)
                seen_stems.add(normalize(item.stem))
                # after the grounded checks and without the seeded rng, so the LLM changes stems, never items
                items.append(self.rewriter.rewrite(item) if rewrite else item)
        finally:
            workers.shutdown(wait=False, cancel_futures=True)
        return items


def check_request(count, area, difficulty, kb) -> None:
    """One-sentence errors for a bad count, area or difficulty."""
    if not isinstance(count, int) or count < 1 or count > MAX_COUNT:
        raise InputError(f"Ask for between 1 and {MAX_COUNT} questions (got {count}).")
    if area is not None and area not in {a.id for a in kb.areas}:
        raise InputError(f"Unknown area '{area}'; choose one of {', '.join(a.id for a in kb.areas)}.")
    if difficulty not in DIFFICULTIES:
        raise InputError(f"Unknown difficulty '{difficulty}'; choose easy, hard or mixed.")


def generate_quiz(assistant, count: int, seed: int, area: str | None = None, difficulty: str = "mixed",
                  exclude: set[str] | None = None) -> list[QuizItem]:
    """Convenience wrapper used by the CLI, the app and the eval suite."""
    return quiz_generator(assistant).generate(count, seed, area=area, difficulty=difficulty, exclude=exclude)


def quiz_generator(assistant) -> QuizGenerator:
    """The assistant's generator, built on first use and kept (it holds the solver and the verifier)."""
    gen = getattr(assistant, "_quiz", None)
    if gen is None:
        gen = assistant._quiz = QuizGenerator(assistant)
    return gen
