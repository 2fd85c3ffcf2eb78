"""What a learner is asked next: due reviews first, then the drill plan's areas, and mock exams across every area.

No rule comes twice in one quiz, drill or mock exam, nor twice in one study session while its area has rules left;
a question (its stem) is not shown again within ``REPEAT_ITEMS`` answers or ``REPEAT_DAYS`` days, unless its rule
is due for review and no fresh question on it can be made.
"""
from __future__ import annotations

import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol

from studyassist.knowledge.model import KnowledgeBase
from studyassist.quiz.generator import QuizGenerator
from studyassist.quiz.options import spread_positions
from studyassist.quiz.types import QuizItem, check_request
from studyassist.study.items import save_items
from studyassist.study.progress import ProgressStore, weakest

REPEAT_ITEMS = 200
REPEAT_DAYS = 7
# Answers less than this apart belong to one study session (the app asks one question at a time, so a session is
# read from the answers' times): a rule answered in it is not asked again in it while its area has others.
SESSION_GAP = timedelta(minutes=30)
# An area counts as weak below this accuracy (or with fewer attempts than MIN_ATTEMPTS).
WEAK_ACCURACY = 0.7
MIN_ATTEMPTS = 3
_ROUNDS = 3  # generate calls to replace items dropped for a repeated rule, at most


class Quizzes(Protocol):
    """What selection needs of the loaded core (``studyassist.Assistant`` is one)."""

    kb: KnowledgeBase

    @property
    def quiz(self) -> QuizGenerator: ...


@dataclass(frozen=True)
class History:
    """What a learner answered lately: questions not to show again, and the rules of the current session."""

    items: frozenset[str] = frozenset()
    stems: frozenset[str] = frozenset()
    session_rules: frozenset[str] = frozenset()


def history(store: ProgressStore, profile: str, now: datetime | None = None) -> History:
    """The learner's last ``REPEAT_ITEMS`` answers and those of the last ``REPEAT_DAYS`` days, and the rules of the
    session's current pass through the rules."""
    now = now or datetime.now(UTC)
    seen = store.seen_lately(profile, REPEAT_ITEMS, now - timedelta(days=REPEAT_DAYS))
    session, last = [], now
    for s in seen:  # newest first: the session runs back to the first gap longer than SESSION_GAP
        if last - s.answered_at > SESSION_GAP:
            break
        session.append(s)
        last = s.answered_at
    # A rule asked again after a miss was a due review; one asked again after only right answers means the session
    # had used every rule it could: its current pass starts after that answer, so a long session starts over
    # instead of searching the few rules left that give no verified question on every call.
    reviewed = {s.rule_id for s in session if not s.correct}
    current: set[str] = set()
    for s in reversed(session):  # oldest first
        if s.rule_id in current and s.rule_id not in reviewed:
            current = set()
        current.add(s.rule_id)
    return History(frozenset(s.item_id for s in seen), frozenset(s.stem for s in seen), frozenset(current))


def one_per_rule(gen: QuizGenerator, count: int, seed: int, *, taken: Iterable[QuizItem] = (),
                 seen: History = History(), spare: bool = True, **kwargs) -> list[QuizItem]:
    """Up to ``count`` new items (``generate``'s keyword arguments), none on the rule of another or of a ``taken``
    item, none seen lately, and none on a rule of the session while the pool has others. Fewer when the pool runs
    out of rules; the first ``generate`` call is the plain seeded one, so a fresh learner gets the seed's quiz.
    ``spare``: none on a rule another item offered as a distractor while others give items (a key offered beside
    the last item's key gives that one away, and back: "Cryptanalysis" and "Cryptology", a blind reviewer)."""
    taken = list(taken)
    own = {i.rule_id for i in taken}
    items: list[QuizItem] = []
    rng = random.Random(seed)
    for round_no in range(_ROUNDS):
        offered = {r for i in taken + items for r in i.option_rules if r} if spare else set()
        got = gen.generate(count - len(items), seed if round_no == 0 else rng.randrange(2**31),
                           exclude=set(seen.items) | {i.id for i in taken + items},
                           exclude_stems=set(seen.stems) | {i.stem for i in taken + items},
                           exclude_rules=set(seen.session_rules) | own | gen.kin_rules(taken + items) | offered,
                           **kwargs)
        for item in got:
            if item.rule_id not in own:
                own.add(item.rule_id)
                items.append(item)
        if len(items) >= count or not got:
            break
    if len(items) < count and (seen.session_rules or spare):  # the session's other rules (or those not offered yet)
        items += one_per_rule(gen, count - len(items), seed, taken=taken + items,  # gave no verified question
                              seen=History(seen.items, seen.stems), spare=False, **kwargs)
    return items


def due_items(gen: QuizGenerator, due: list[str], seed: int, seen: History, difficulty: str = "mixed",
              taken: Iterable[QuizItem] = (), key_positions: Iterator[int] | None = None) -> list[QuizItem]:
    """One item per due rule (rules of the quiz pool), a fresh question when one can be made, else one seen lately:
    a due review may repeat a question."""
    items = one_per_rule(gen, len(due), seed, taken=taken, seen=History(seen.items, seen.stems), rules=due,
                         difficulty=difficulty, key_positions=key_positions) if due else []
    missing = [r for r in due if r not in {i.rule_id for i in items}]
    if missing:
        items += one_per_rule(gen, len(missing), seed, taken=[*taken, *items], rules=missing, difficulty=difficulty,
                              key_positions=key_positions)
    return items


@dataclass
class DrillPlan:
    """Where a learner is in the practice cycle, and what to practise next."""

    stage: str  # "topic drills" | "mixed practice" | "mock exam"
    areas: list[str]
    due_rules: list[str] = field(default_factory=list)
    reason: str = ""


def drill_plan(store: ProgressStore, profile: str, areas: list[str]) -> DrillPlan:
    """Topic drills on weak areas first, then mixed questions, then a mock exam; only ``areas`` count (a learner
    studying two documents has answers in the other one's areas too)."""
    accuracy = {a: counts for a, counts in store.area_accuracy(profile).items() if a in areas}
    due = store.due_rules(profile)
    untried = [a for a in areas if accuracy.get(a, (0, 0))[1] < MIN_ATTEMPTS]
    weak = [a for a in weakest(accuracy)  # from the accuracy read above: one query fewer a page view
            if accuracy[a][1] >= MIN_ATTEMPTS and accuracy[a][0] / accuracy[a][1] < WEAK_ACCURACY]
    if weak:
        return DrillPlan("topic drills", weak[:2], due, f"accuracy below {WEAK_ACCURACY:.0%} in {', '.join(weak[:2])}")
    if untried:
        return DrillPlan("mixed practice", untried, due, "some areas have fewer than "
                         f"{MIN_ATTEMPTS} answers yet")
    return DrillPlan("mock exam", areas, due, f"every area is at {WEAK_ACCURACY:.0%} or better")


def next_items(assistant: Quizzes, store: ProgressStore, profile: str, count: int, seed: int, area: str | None = None,
               difficulty: str = "mixed") -> list[QuizItem]:
    """Items for a learner: due rules first, then the drill plan's areas; see the module's rules on repeats."""
    gen = assistant.quiz
    seen = history(store, profile)
    spread = spread_positions(seed)  # one quiz made item by item still has its keys spread evenly over A-D
    if area is not None:
        items = one_per_rule(gen, count, seed, seen=seen, area=area, difficulty=difficulty, key_positions=spread)
        save_items(store, items)
        return items
    plan = drill_plan(store, profile, [a.id for a in assistant.kb.areas])
    pool = {r.id for r in gen.pool}
    items = due_items(gen, [r for r in plan.due_rules if r in pool][:count], seed, seen, difficulty,
                      key_positions=spread)
    rng = random.Random(seed)
    stuck = 0
    while len(items) < count and stuck < 2:
        # a topic drill's area may run out of rules: then any area
        pick = rng.choice(plan.areas) if plan.stage == "topic drills" and not stuck else None
        more = one_per_rule(gen, 1, rng.randrange(2**31), taken=items, seen=seen, area=pick, difficulty=difficulty,
                            key_positions=spread)
        stuck = 0 if more else stuck + 1
        items += more
    save_items(store, items)
    return items


def review_items(assistant: Quizzes, store: ProgressStore, profile: str, count: int, seed: int) -> list[QuizItem]:
    """A drill of the rules due for review (the most overdue first, up to ``count``), one question each; rules
    that are no quiz rule (a list item a pasted question was logged on) are left to the review list."""
    pool = {r.id for r in assistant.quiz.pool}
    due = [r for r in store.due_rules(profile) if r in pool][:count]
    items = due_items(assistant.quiz, due, seed, history(store, profile), key_positions=spread_positions(seed))
    save_items(store, items)
    return items


def mock_exam(assistant: Quizzes, count: int, seed: int, seen: History = History()) -> list[QuizItem]:
    """``count`` mixed items spread evenly across the areas (round robin, shuffled), each on its own rule, none of
    the questions ``seen`` lately (a fresh exam; the same seed and history give the same exam)."""
    check_request(count, None, "mixed", assistant.kb)
    gen = assistant.quiz
    rng = random.Random(seed)
    areas = [a.id for a in assistant.kb.areas if any(r.area == a.id for r in gen.pool)]
    items: list[QuizItem] = []
    turn, spread = 0, spread_positions(seed)
    while areas and len(items) < count and turn < count * 3:  # (notes no quiz can ask give an empty exam)
        area = areas[turn % len(areas)]
        turn += 1
        rules = {i.rule_id for i in items}
        got = gen.generate(1, rng.randrange(2**31), area=area, exclude=set(seen.items) | {i.id for i in items},
                           exclude_stems=set(seen.stems) | {i.stem for i in items},
                           exclude_rules=rules | gen.kin_rules(items), key_positions=spread)
        if got and got[0].rule_id not in rules:  # an area out of rules gives its turn to the next
            items += got
    rng.shuffle(items)
    return items


def fresh_exam(assistant: Quizzes, store: ProgressStore, profile: str, count: int, seed: int) -> list[QuizItem]:
    """A mock exam of questions the learner has not answered lately (their last REPEAT_ITEMS answers)."""
    return mock_exam(assistant, count, seed, history(store, profile))
