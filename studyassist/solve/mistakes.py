"""Known mistakes and their corrections: does an option repeat a mistake the review warns about, or correct it?
And what a recommended row itself rules out ("Not appropriate for low-latency scoring").

The review states an anti-pattern in one of two ways. As a mistake — a gerund phrase such as "Storing keys in
notebooks" or "Assuming Azure RBAC alone grants all data-plane access", sometimes followed by its correction
("Using 'latest' in production: pin explicit versions") — or as a warning that is itself true ("Trap:
infrastructure metrics alone do not prove model quality"). An option close to a mistake repeats it, unless
it negates it ("the role does not grant data-plane access"); an option close to a correction or a true
warning says what the review recommends. Embeddings barely see negation, hence the explicit polarity check.
"""
from __future__ import annotations

import logging
import re

import numpy as np

from studyassist.knowledge.facets import Facet
from studyassist.knowledge.model import KnowledgeBase
from studyassist.text import key_terms

log = logging.getLogger(__name__)

# Words that turn a statement into its opposite ("forgetting X" is "not X"). Counted by parity, so "does not
# … never …" reads as positive again.
_NEGATION = re.compile(r"\b(not|no|never|cannot|none|nothing|neither|nor|forget\w*|ignor\w*|skip\w*|"
                       r"omit\w*|neglect\w*|fail(s|ing)? to|lack\w*)\b|n't\b", re.I)
# "Retraining … without checking data quality", "registering only the model file and losing the preprocessing
# logic": the mistake is leaving out what follows, so an option that does it ("check data quality first") corrects
# the mistake, and one that only retrains repeats it.
_OMISSION = re.compile(r"\b(?:without|losing|before (?:validating|checking|testing|reviewing))\b(.+)$", re.I)
# "Hyperparameter tuning does not replace final validation on … holdout data": what follows is what the warning
# says is still needed, and an option that does it heeds the warning even in other words than the whole sentence.
_REMEDY = re.compile(r"\b(?:does|do|is|are)\s+not\s+(?:replace|prove|guarantee|substitute for|the same as)\s+([^.;]+)",
                     re.I)
_SENTENCE = re.compile(r"(?<=[.;!?])\s+")
# What a row rules out: a cell that opens with "Not" ("Watch for: Not appropriate for low-latency scoring") and
# the tail of ", not …" / "instead of …".
_RULED_OUT = re.compile(r"(?:^|,)\s*not\b|\binstead of\b", re.I)


def negated(text: str) -> bool:
    """True when ``text`` carries an odd number of negating words."""
    return len(_NEGATION.findall(text)) % 2 == 1


def ruled_out_terms(row: str) -> set[str]:
    """Words a row uses only in what it rules out: a stem that shares just those is not what the row is for."""
    ruled_out, kept = [], []
    for clause in re.split(r"[|.;:?]", row):
        m = _RULED_OUT.search(clause)
        ruled_out.append(clause[m.start():] if m else "")
        kept.append(clause[:m.start()] if m else clause)
    return set(key_terms(" ".join(ruled_out))) - set(key_terms(" ".join(kept)))


def _omitted_terms(mistake: str) -> frozenset[str]:
    m = _OMISSION.search(mistake)
    return frozenset(key_terms(m.group(1))) if m else frozenset()


def _is_gerund_phrase(text: str) -> bool:
    first = (re.findall(r"[A-Za-z]+", text) or [""])[0].lower()
    return len(first) > 4 and first.endswith("ing") or first == "not"


class KnownMistakes:
    """For every anti-pattern facet (and every row of a table of myths, ``myths``: its claim is the mistake and
    its other cell the correction): the vector of the mistake it describes and of its correction, if any."""

    def __init__(self, kb: KnowledgeBase, facets: list[Facet], choice: np.ndarray, situation: np.ndarray,
                 embeddings, myths: frozenset[str] = frozenset()):
        n, dim = choice.shape
        self.mistake = np.zeros((n, dim), dtype=np.float32)
        self.correction = np.zeros((n, dim), dtype=np.float32)
        self.remedy = np.zeros((n, dim), dtype=np.float32)  # the "… does not replace X" part of a correction
        self.mistake_negated = np.zeros(n, dtype=bool)
        self.omitted: list[frozenset[str]] = [frozenset()] * n  # what a "… without X" mistake leaves out
        # a myth's correction, word by word: an option all of whose words it uses ("Elastic Jobs") states the fix,
        # however far a short name's vector is from the whole sentence's
        self._named_in_fix: dict[int, frozenset[str]] = {}
        # by facet key: "correction" (a mistake and its fix), "myth" (a false claim, its situation, and its fix),
        # "mistake" (a mistake alone) or "warning" (a true one)
        self.form: dict[str, str] = {}
        todo: list[tuple[int, str, str]] = []  # (facet, which vector, text) still to embed
        for i, f in enumerate(facets):
            if not f.anti and f.key not in myths:
                continue
            rule = kb.rule(f.rule_id)
            self.form[f.key] = "mistake"
            if f.key in myths:  # a row of a table of myths: "Azure SQL DB includes SQL Agent | … use Elastic Jobs"
                self.mistake[i], self.correction[i] = situation[i], choice[i]
                self.form[f.key] = "myth"
                self._set_mistake_text(i, f.situation)
                self._named_in_fix[i] = frozenset(key_terms(rule.choice))
            elif rule.sides:  # the trap side of a comparison row: "Common trap: Using CI/CD as the tracker"
                self.mistake[i] = situation[i]
                self._set_mistake_text(i, f.situation)
            elif rule.list_kind == "mistake":  # "Using latest in production: pin explicit versions …"
                self.mistake[i], self.correction[i] = choice[i], situation[i]
                self.form[f.key] = "correction"
                self._set_mistake_text(i, f.label)
            elif rule.kind == "trap" and not _is_gerund_phrase(rule.situation):
                self.correction[i] = situation[i]  # a warning that is itself true
                self.form[f.key] = "warning"
            else:
                # "Storing keys in …", "Common trap: treating a notebook as … . Notebooks are useful …, but …"
                text = rule.situation or rule.choice
                first, *rest = _SENTENCE.split(text.strip(), maxsplit=1)
                self._set_mistake_text(i, first)
                if rest and rest[0].strip():
                    todo += [(i, "mistake", first), (i, "correction", rest[0])]
                else:
                    self.mistake[i] = situation[i] if rule.situation else choice[i]
            remedy = _REMEDY.search(f.situation) if self.form[f.key] != "mistake" else None
            if remedy:
                todo.append((i, "remedy", remedy.group(1)))
        if todo:  # only multi-sentence traps and "does not replace" warnings (a handful), once per process
            for (i, which, _), vec in zip(todo, embeddings.encode([t for _, _, t in todo])):
                getattr(self, which)[i] = vec
        self._omits = [i for i, left in enumerate(self.omitted) if left]
        self.has_mistake = np.abs(self.mistake).sum(axis=1) > 0
        self.has_correction = np.abs(self.correction).sum(axis=1) > 0

    def _set_mistake_text(self, i: int, text: str) -> None:
        self.mistake_negated[i] = negated(text)
        self.omitted[i] = _omitted_terms(text)

    def _flips(self, option: str) -> np.ndarray:
        """For each facet: does ``option`` say the opposite of its mistake (negates it, or does what it omits)?"""
        flips = self.mistake_negated != negated(option)
        terms = set(key_terms(option))
        for i in self._omits:  # the few "… without X" mistakes
            left = self.omitted[i]
            flips[i] |= len(terms & left) >= min(2, len(left))
        return flips

    def relation(self, option_vectors: np.ndarray, options) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(how closely each option repeats each mistake, how closely it states each correction, whether it
        corrects rather than repeats): options × facets; cosines are 0 where a facet has no such side. An option
        that says the opposite of a mistake corrects it, and one nearer the correction than the mistake does not
        repeat it ("Confusing endpoint with deployment" names a topic as much as a claim)."""
        to_mistake = np.where(self.has_mistake, option_vectors @ self.mistake.T, 0.0)
        to_correction = np.where(self.has_correction, option_vectors @ self.correction.T, 0.0)
        to_correction = np.maximum(to_correction, option_vectors @ self.remedy.T)
        flips = np.array([self._flips(o) for o in options])
        corrected = flips | (self.has_correction & (to_correction >= to_mistake))
        repeats = np.where(corrected, 0.0, to_mistake)
        corrects = np.maximum(to_correction, np.where(flips, to_mistake, 0.0))
        for o, option in enumerate(options):
            terms = frozenset(key_terms(option))
            for i, fix in self._named_in_fix.items():
                if terms and terms <= fix:
                    corrects[o, i] = max(float(corrects[o, i]), 1.0)
        return repeats, corrects, corrected


def mistake_statement(rule) -> str:
    """How the review states one of its mistakes, as an option restating it would: a list item's own words
    ("Assuming retraining always fixes drift"), a trap line's sentence ("retraining on newer data without …")."""
    if rule.choice.strip().lower().endswith(("trap", "mistake")):
        return rule.situation.strip()
    return rule.choice.strip()
