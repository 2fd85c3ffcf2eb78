"""The answer-key verifier every generated item passes before it is shown."""
from __future__ import annotations

import logging
from typing import NamedTuple

from studyassist.answer.composer import Composer
from studyassist.answer.confidence import close_call
from studyassist.answer.resolve import named_everywhere
from studyassist.quiz.types import OPTION_LETTERS
from studyassist.solve.mcq import from_parts
from studyassist.solve.solver import Solver
from studyassist.text import key_terms, normalize, singular, strip_quotes

log = logging.getLogger(__name__)


class Signature(NamedTuple):
    """What an option says: its normalised words (naive singular) and the concepts it names."""

    words: tuple[str, ...]
    concepts: frozenset[str]

    def alike(self, other: Signature) -> bool:
        """Two options that say the same thing: one's words contain the other's ("Blue/green" and
        "Blue/green deployment") or they name a concept in common ("Azure ML pipeline", "Pipeline job")."""
        return (contains_run(self.words, other.words) or contains_run(other.words, self.words)
                or bool(self.concepts & other.concepts))


def contains_run(outer: tuple[str, ...], inner: tuple[str, ...]) -> bool:
    """Whether ``inner`` (not empty) is a run of consecutive words of ``outer``."""
    n = len(inner)
    return n > 0 and any(outer[i:i + n] == inner for i in range(len(outer) - n + 1))


class KeyVerifier:
    """Checks a quiz item against its source rule, the retriever and the solver."""

    def __init__(self, composer: Composer, solver: Solver):
        self.kb, self.retriever, self.matcher, self.solver = composer.kb, composer.retriever, composer.matcher, solver
        # a distractor naming a thing every row names (a CCNA review's protocols, which ask does look for) is not
        # the choice of another row the stem retrieves: it names one in every table (ask's generic ones are of these)
        self.generic, self.clues = named_everywhere(composer.kb), composer.clues
        self._top: dict[str, list] = {}
        self._wording = {normalize(choice): text for text, choice in solver.choice_of.items()}
        self._last: tuple[str, object] = ("", None)  # the item last checked and the solver's solution of it
        self.written = solver.written_wrong  # normalised wrong answers the pack writes for a need (name its concepts)
        self.served: set[str] = set()  # the documents a pack serves (set by the generator)

    def top_rules(self, stem: str, n: int = 2) -> list:
        """The rules the stem retrieves first (cached: the generator and the check ask for the same stem)."""
        cached = self._top.get(stem)
        if cached is None:
            # the expanded stem at k=12, exactly as the solver searches it: the retriever keeps the search, so one
            # search serves the generator, this check and the solver
            hits = self.retriever.search(self.clues.expand(stem), k=12)
            cached = [h.rule for h in hits if h.rule is not None]
            self._top[stem] = cached
            if len(self._top) > 512:
                self._top.pop(next(iter(self._top)))
        return cached[:n]

    def pointed_to(self, stem: str, rule, n: int = 2) -> list:
        """The rules other than ``rule`` the stem retrieves first (``top_rules``) that it points to: another table's,
        or, in notes no pack serves, a row of the rule's own table whose text says a word of the stem the rule's does
        not (a 4-row table of feature toggles: "Ops toggle" comes second for any toggle's stem, yet "hide an
        incomplete feature until release; Lifetime: short-term" says nothing of it, and blocking it as a second key
        left too few options)."""
        said = set(key_terms(stem)) - set(key_terms(rule.text))  # (a pack's scenarios are written for their row)
        return [r for r in self.top_rules(stem, n) if r.id != rule.id and (
            r.table != rule.table or not rule.table or rule.source_file in self.served
            or said & set(key_terms(r.text)))]

    def signature(self, text: str) -> Signature:
        words = tuple(singular(w) for w in normalize(text).split())
        return Signature(words, frozenset(self.matcher.find(text)) - self.generic)

    def key_of(self, rule) -> set[str]:
        return {normalize(strip_quotes(rule.choice).rstrip("."))} | {normalize(s.label) for s in rule.sides} | {
            normalize(s) for s in rule.stressed}  # (a list item's stressed name: a statement to complete)

    def check(self, item, top_rules: int = 2) -> str | None:
        """None when the item is sound, else the first problem found (one sentence)."""
        texts = [self.solver.choice_of.get(normalize(o), o) for o in item.options]  # the choices the options word
        options = [normalize(o) for o in texts]
        if len(texts) != 4 or len(set(options)) != 4:
            return "the item does not have 4 distinct options"
        if not 0 <= item.answer < 4:
            return "the key index is out of range"
        if not self.kb.has_rule(item.rule_id):
            return f"the source rule {item.rule_id} does not exist"
        rule = self.kb.rule(item.rule_id)
        keys = self.key_of(rule)
        if options[item.answer] not in keys:
            return "the key is not the source rule's choice"
        if options.count(options[item.answer]) != 1 or (not rule.sides and sum(o in keys for o in options) != 1):
            return "more than one option is the source rule's choice"
        if options[item.answer] in normalize(item.stem):
            return "the key appears verbatim in the stem"
        for said in (texts, [self._wording.get(o, o) for o in options]):  # as the review and the pack word them
            # a wrong action written for the need names the need's concepts, as the key may: only its words count
            signatures = [self.signature(t)._replace(concepts=frozenset()) if o in self.written else self.signature(t)
                          for o, t in zip(options, said)]
            for i in range(4):
                for j in range(i + 1, 4):
                    if signatures[i].alike(signatures[j]):
                        return f"options {OPTION_LETTERS[i]} and {OPTION_LETTERS[j]} say the same thing"
        top = self.pointed_to(item.stem, rule, top_rules)
        key_concepts = set(self.matcher.find(texts[item.answer])) | set(rule.choice_concepts)
        for i, text in enumerate(texts):
            if i == item.answer:
                continue
            named = set(self.matcher.find(text)) - self.generic - key_concepts
            for r in top if normalize(text) not in self.written else ():
                if r.id == item.rule_id:
                    continue
                if normalize(text) in self.key_of(r) - keys or named & set(r.choice_concepts):
                    return f"distractor '{text}' is the choice of {r.id}, which the stem also retrieves"
        solution = self.solver.solve(from_parts(item.stem, texts))
        self._last = (item.id, solution)
        if solution.best != OPTION_LETTERS[item.answer]:
            return f"the solver picks {solution.best}, not the key {OPTION_LETTERS[item.answer]}"
        return None

    def runner_up(self, item) -> str | None:
        """The distractor of ``item`` (just checked) that the solver ranks next to the key when it is unsure
        between them: a second defensible key as often as not ("Point-to-Site VPN" is an encrypted connection
        over the internet too), so the generator tries the item without it."""
        checked, solution = self._last
        if checked != item.id or not close_call(solution.confidence, solution.probability, solution.signals):
            return None
        letters = sorted(solution.scores, key=lambda k: -solution.scores[k])
        second = next((x for x in letters if x != OPTION_LETTERS[item.answer]), None)
        return item.options[OPTION_LETTERS.index(second)] if second else None

    def check_rewrite(self, item, grounded, top_rules: int = 2) -> str | None:
        """None when ``item`` (``grounded`` with a reworded stem) is still sound, else the first problem found.

        On top of ``check``: the options and key are unchanged, the stem names no option and no concept of
        the key that the grounded stem did not already name, and the source rule is among the stem's top rules.
        """
        if (item.options, item.answer, item.rule_id) != (grounded.options, grounded.answer, grounded.rule_id):
            return "the rewrite changed the options or the key"
        stem, before = normalize(item.stem), normalize(grounded.stem)
        for i, text in enumerate(item.options):
            if normalize(text) in stem and normalize(text) not in before:
                return f"the stem names option {OPTION_LETTERS[i]} ('{text}')"
        rule = self.kb.rule(item.rule_id)
        key_concepts = (set(rule.choice_concepts) | set(self.matcher.find(item.options[item.answer]))) - self.generic
        leaked = key_concepts & (set(self.matcher.find(item.stem)) - set(self.matcher.find(grounded.stem)))
        if leaked:
            return f"the stem names the key's concept {sorted(leaked)[0]}"
        if item.rule_id not in {r.id for r in self.top_rules(item.stem, top_rules)}:
            return f"the stem no longer retrieves its source rule {item.rule_id} in its top {top_rules}"
        return self.check(item)
