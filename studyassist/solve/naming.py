"""How fully an option names a rule's choice: by the cosine of their embeddings, unless it names a sibling.

An option that is another member of a choice's family does not name that choice: "Hopping window" embeds close to
"Tumbling window", and "Geo-redundant storage" close to "Zone-redundant storage": the same head noun under other
modifiers names a sibling, not the choice. A name that only adds words ("Azure SQL Database" for "SQL Database") or
whose head is a word of the choice ("Azure ML pipeline" for "Pipeline job") still may; one with a word of its own
that few names use, beside a choice with such a word too, names something else.

A choice written as a sentence ("Use replicated distribution for smaller tables to avoid data shuffling") is far by
embedding from the one word an option says ("Replicated"): a short option all of whose words such a sentence uses,
and at most one other sentence choice too, names it.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

import numpy as np

from studyassist.knowledge.facets import Facet
from studyassist.knowledge.model import Rule
from studyassist.text import (
    ACRONYM_LETTERS,
    ConceptMatcher,
    bracket_names,
    expansion,
    key_terms,
    normalize,
    phrase_words,
)

# Cosine of an option to a rule's choice that counts as naming it, and where that credit saturates.
MATCH_FLOOR, MATCH_FULL = 0.45, 0.85  # (to one of the pack's wordings of it too: solve/wordings.py)
NAME_TERMS = 4  # longer options are statements: their last word is no head noun
GAPPED_WORDS, GAP_WORDS = 3, 1  # a name of this many words or more an option may say with this many put inside it


def named_share(cosine: np.ndarray, floor: float = MATCH_FLOOR) -> np.ndarray:
    """How fully a cosine names what it is measured against: 0 at ``floor``, 1 from ``MATCH_FULL``."""
    return np.clip((cosine - floor) / (MATCH_FULL - floor), 0, 1)


def _head_and_modifiers(text: str) -> tuple[str, frozenset[str]] | None:
    terms = key_terms(text)
    if not 2 <= len(terms) <= NAME_TERMS:
        return None
    return terms[-1], frozenset(terms[:-1])


COMMON_NAMES = 3  # a word this many choices' names use ("Azure") tells none of them apart
STEM = 6  # letters of a word that say which word it is, whatever its ending


def _stem(term: str) -> str:
    """A word cut to its first letters ("identities", "identity"; "Apps", "App" alike)."""
    return (term[:-1] if term.endswith("s") and len(term) > 3 else term)[:STEM]


def _name_terms(text: str) -> frozenset[str] | None:
    """A short name's words, stemmed."""
    terms = key_terms(text)
    return frozenset(map(_stem, terms)) if 1 <= len(terms) <= NAME_TERMS else None


def label_names(facets: list[Facet]) -> list[set[str]]:
    """Each facet's names (normalised): its label, and that label without its bracketed part or as the bracket says
    it ("Corrective (restore)" is "Corrective"; "IaaS (Infrastructure as a Service)" is either), where no other
    facet's label says the same (an option that is one word embeds far from the word with its note: cos 0.38)."""
    extra = [{normalize(x) for x in bracket_names(f.label)}
             - {normalize(f.label), ""} for f in facets]
    claims = Counter(n for names in extra for n in names)
    labels = {normalize(f.label) for f in facets}
    return [{normalize(f.label)} | {n for n in names if claims[n] == 1 and n not in labels}
            for f, names in zip(facets, extra)]


class SiblingNames:
    """Which choices each option is a sibling of, by the choices' labels, or names something else than: "Azure App
    Configuration" embeds close to "Azure Container Apps", but each has a word of its own ("Configuration",
    "Container") that few names use, and the option's head noun is no word of the other; "Azure Service Bus" only
    adds a word most names use to "Service Bus"."""

    def __init__(self, facets: list[Facet]):
        self._labels = [_head_and_modifiers(f.label) for f in facets]
        self._by_head: dict[str, list[int]] = {}
        for i, parts in enumerate(self._labels):
            if parts is not None:
                self._by_head.setdefault(parts[0], []).append(i)
        self._names = [_name_terms(f.label) for f in facets]
        uses = Counter(t for name in {n for n in self._names if n} for t in name)
        self._common = frozenset(t for t, n in uses.items() if n >= COMMON_NAMES)

    def kept(self, options: tuple[str, ...] | list[str]) -> np.ndarray:
        """Per option and choice: 0 where the option is a sibling of the choice's name or another name, else 1."""
        out = np.ones((len(options), len(self._labels)))
        for o, text in enumerate(options):
            if (mine := _name_terms(text)) is not None:
                for i, theirs in enumerate(self._names):
                    if theirs is not None and mine - theirs - self._common and theirs - mine - self._common \
                            and _stem(key_terms(text)[-1]) not in theirs:  # ("Azure ML pipeline": "Pipeline job")
                        out[o, i] = 0.0
            parts = _head_and_modifiers(text)
            if parts is None:
                continue
            head, modifiers = parts
            for i in self._by_head.get(head, ()):
                theirs = self._labels[i][1]
                if modifiers - theirs and theirs - modifiers:
                    out[o, i] = 0.0
        return out


# A choice written as a sentence ("Use replicated distribution for smaller tables …") is named by a short option
# that is one of its words ("Replicated") when few choices use them all: its embedding is far from the sentence's.
SENTENCE_TERMS = 5  # a choice with this many content words is a sentence, not a name
SHORT_TERMS = 2  # an option with at most this many content words may be a word of one
FEW_CHOICES = 2  # … that at most this many sentence choices use all of
INSIDE_SHARE = 0.9  # how fully such an option names each of them (the cosine saturates at 1)


# A command choice ("crictl logs <container-id>") is named by an option that is its program, or its program and
# subcommand ("crictl", "kubectl logs"), when the document runs that program in several choices: "crictl" alone
# embeds far from each of them.
_PROGRAM = re.compile(r"[a-z][a-z0-9_.-]*")
PROGRAM_CHOICES = 2


def stressed_choice(rule: Rule) -> tuple[str, ...]:
    """The concepts a paragraph's author set in bold, which are all the paragraph chooses ("Incident management restores
    service. Root cause investigation is **problem management**", under "Incident Management Does NOT Investigate Root
    Cause", is no rule for incident management); nothing for any other rule."""
    return rule.choice_concepts if rule.kind == "passage" and rule.stressed else ()


class NamedInside:
    """Which sentence choices each short option is a word of ("Replicated" names "Use replicated distribution for …"),
    which command choices it is the program of, and which acronym choice it spells out."""

    def __init__(self, facets: list[Facet], stressed: dict[str, tuple[str, ...]] | None = None):
        """``stressed``: per rule id, what a paragraph's author set in bold, which is all the paragraph chooses."""
        self._count, self.stressed = len(facets), stressed or {}
        self._acronyms = sorted({f.label for f in facets if ACRONYM_LETTERS.fullmatch(f.label)})  # ("**PHS:**")
        self._by_term: dict[str, set[int]] = {}
        self._runs: dict[str, list[tuple[int, tuple[str, ...]]]] = {}  # program → the command choices running it
        for i, f in enumerate(facets):
            stressed_words = self.stressed.get(f.rule_id) if self.stressed else None
            terms = set(key_terms(" ; ".join(stressed_words) if stressed_words else f.label))
            if len(terms) >= SENTENCE_TERMS:
                for t in terms:
                    self._by_term.setdefault(t, set()).add(i)
            if len(words := f.label.split()) >= 2 and _PROGRAM.fullmatch(words[0]):
                self._runs.setdefault(words[0], []).append((i, tuple(words)))
        self._runs = {program: runs for program, runs in self._runs.items() if len(runs) >= PROGRAM_CHOICES}

    def read(self, option: str) -> str:
        """``option`` followed by the one acronym choice it spells out and does not say ("Password hash
        synchronization (PHS)"): notes name a thing by its acronym where an exam's options spell it out."""
        found = [a for a in self._acronyms if a not in option and expansion(a, option)]
        return f"{option} ({found[0]})" if len(found) == 1 else option

    def share(self, options: tuple[str, ...] | list[str]) -> np.ndarray:
        """Per option and choice: ``INSIDE_SHARE`` where the option is a word of that sentence choice, else 0."""
        out = np.zeros((len(options), self._count))
        for o, text in enumerate(options):
            terms = set(key_terms(text))
            if not 1 <= len(terms) <= SHORT_TERMS or not all(any(c.isalpha() for c in t) for t in terms):
                continue  # (a number is no name: "/24" is not the subnet row that mentions it)
            holders = set.intersection(*(self._by_term.get(t, set()) for t in terms))
            if len(holders) <= FEW_CHOICES:
                out[o, sorted(holders)] = INSIDE_SHARE
            said = tuple(text.split())
            for i, words in self._runs.get(said[0] if said else "", ()):
                if len(said) < len(words) and words[:len(said)] == said:
                    out[o, i] = INSIDE_SHARE
        return out


class OptionNames:
    """The concepts an option names: those the concept matcher finds, and those it names with a word put inside a
    name of theirs ("The key/value engine version 2" for "Key Value Version 2"): every word of an alias of at least
    ``GAPPED_WORDS`` words, in order, at most ``GAP_WORDS`` other words among them; such a name, the longer, stands
    for a shorter one the matcher found in it ("Key Value")."""

    def __init__(self, matcher: ConceptMatcher, aliases: Iterable[tuple[str, str]]):
        self._matcher, self._by_first, self._words = matcher, {}, {}  # (the long aliases by their first word)
        for cid, alias in aliases:
            self._words.setdefault(cid, []).append(words := phrase_words(alias))
            if len(words) >= GAPPED_WORDS:
                self._by_first.setdefault(words[0], []).append((cid, words))

    def find(self, text: str) -> list[str]:
        found, said = self._matcher.find(text), phrase_words(text)
        gapped = {cid: words for w in set(said) for cid, words in self._by_first.get(w, ()) if _gapped(words, said)}
        found = [c for c in found if not any(set(a) < set(g) for a in self._words.get(c, ()) for g in gapped.values())]
        return found + sorted(set(gapped) - set(found))


def _gapped(words: list[str], said: list[str]) -> bool:
    for start in (i for i, w in enumerate(said) if w == words[0]):
        at, gaps = start, 0
        for w in words[1:]:
            at_next = next((j for j in range(at + 1, min(len(said), at + 2 + GAP_WORDS - gaps)) if said[j] == w), None)
            if at_next is None:
                break
            at, gaps = at_next, gaps + at_next - at - 1
        else:
            return True
    return False
