"""The eval metrics: pure functions over predictions and gold, each defined with its source.

Per-item functions return a float in [0, 1] (or a bool), or None when the item does not define the
metric (e.g. no expected rules); ``mean`` averages the defined values. Nothing here loads a model:
embedding similarities and the "supports" test are passed in by the runner.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence

import numpy as np

# Token-F1 at or above which two labels count as the same decision (see ``labels_match``).
LABEL_F1_MATCH = 0.6
# RAGAS answer-correctness weights: factual overlap, semantic similarity (Es et al. 2023; ragas defaults).
CORRECTNESS_WEIGHTS = (0.75, 0.25)
OPTIONS_PER_ITEM = 4

_ARTICLES = frozenset({"a", "an", "the"})
_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "—": "-", "–": "-"})
_BOLD = re.compile(r"\*\*(.+?)\*\*", re.S)
_OPTION_PREFIX = re.compile(r"^\(?[A-H][\).:]\s+")


def mean(values: Iterable[float | bool | None]) -> float | None:
    """Arithmetic mean of the defined values (None skipped); None when no value is defined."""
    vals = [float(v) for v in values if v is not None]
    return sum(vals) / len(vals) if vals else None


# ---- retrieval (Manning, Raghavan & Schütze 2008, "Introduction to Information Retrieval", ch. 8) ----
def _dedupe(ranked: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(r for r in ranked if r))


def hit_at_k(ranked: Sequence[str], relevant: Collection[str], k: int) -> float | None:
    """Hit@k (success@k): 1 if any relevant id is among the first k distinct ranked ids, else 0.

    Undefined (None) when nothing is relevant. Manning et al. 2008, ch. 8 ("success at rank k")."""
    if not relevant:
        return None
    return 1.0 if set(_dedupe(ranked)[:k]) & set(relevant) else 0.0


def reciprocal_rank(ranked: Sequence[str], relevant: Collection[str]) -> float | None:
    """1 / rank of the first relevant id in the distinct ranked ids (0 if none); its mean over queries
    is MRR (Voorhees 1999, TREC-8 QA; Manning et al. 2008, ch. 8). None when nothing is relevant."""
    if not relevant:
        return None
    for rank, rid in enumerate(_dedupe(ranked), start=1):
        if rid in relevant:
            return 1.0 / rank
    return 0.0


def recall_at_k(ranked: Sequence[str], relevant: Collection[str], k: int) -> float | None:
    """Recall@k: |relevant ∩ first k distinct ranked ids| / |relevant| (Manning et al. 2008, §8.4).
    None when nothing is relevant."""
    if not relevant:
        return None
    rel = set(relevant)
    return len(set(_dedupe(ranked)[:k]) & rel) / len(rel)


def on_topic(cited: Sequence[str], relevant: Collection[str]) -> float | None:
    """Share of the distinct cited ids that the gold item lists as relevant (precision of the citation set
    against ``expected_rules``; a trap or note row the gold item does not list counts as off topic, so this
    is a lower bound). None when nothing is relevant or nothing is cited."""
    cited = _dedupe(cited)
    if not relevant or not cited:
        return None
    return len(set(cited) & set(relevant)) / len(cited)


# ---- labels -------------------------------------------------------------------------------------
def _singular(word: str) -> str:
    """Crude plural folding so "identities"/"identity" and "endpoints"/"endpoint" compare equal."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def normalize_label(text: str | None) -> str:
    """Lowercase, curly quotes straightened, every non-alphanumeric run turned into one space,
    articles (a, an, the) dropped, plurals folded (``_singular``):
    ``"The Blue/green deployments."`` → ``"blue green deployment"``."""
    words = re.sub(r"[^a-z0-9]+", " ", (text or "").translate(_QUOTES).lower()).split()
    return " ".join(_singular(w) for w in words if w not in _ARTICLES)


def token_f1(a: str | None, b: str | None) -> float:
    """Bag-of-tokens F1 between two normalised labels (SQuAD's F1; Rajpurkar et al. 2016)."""
    ta, tb = normalize_label(a).split(), normalize_label(b).split()
    if not ta or not tb:
        return 0.0
    common = sum((Counter(ta) & Counter(tb)).values())
    if common == 0:
        return 0.0
    p, r = common / len(ta), common / len(tb)
    return 2 * p * r / (p + r)


def _contains(hay: str, needle: str) -> bool:
    """``needle`` occurs in ``hay`` as whole words (both already normalised)."""
    if not needle:
        return False
    return re.search(rf"(?<![a-z0-9]){re.escape(needle)}(?![a-z0-9])", hay) is not None


def labels_match(predicted: str | None, gold: str | None, min_f1: float = LABEL_F1_MATCH) -> bool:
    """Normalised label match: with both labels normalised by ``normalize_label`` and non-empty, they
    match when one occurs in the other as whole words, or when their token F1 is at least ``min_f1``
    (0.6). Containment is deliberately lenient ("Scoring script" matches "Scoring script and
    environment"); the F1 arm tolerates reordering and one extra or missing word."""
    p, g = normalize_label(predicted), normalize_label(gold)
    if not p or not g:
        return False
    return _contains(g, p) or _contains(p, g) or token_f1(p, g) >= min_f1


def decision_correct(predicted: str | None, gold: str | None) -> bool | None:
    """Decision accuracy for one item: ``labels_match(predicted, gold)``; None when there is no gold
    decision (not-covered questions are scored by ``not_covered_accuracy``)."""
    if not gold:
        return None
    return labels_match(predicted, gold)


# Words too common to count as an idea of an expected answer.
_FUNCTION_WORDS = frozenset("""and are but can for from has have how its not off one only or out own per than that the
their then them there these they this those too use used via was what when where which while who why will with you
your into onto also just any all each other some such more most very same so it is be as at by if in of on to we i
do does did don't doesn't e.g i.e""".split())


def _idea_words(text: str) -> set[str]:
    return {w[:-1] if len(w) > 4 and w.endswith("s") and not w.endswith("ss") else w
            for w in re.findall(r"[a-z0-9][a-z0-9/-]*[a-z0-9]", normalize_label(text)) if w not in _FUNCTION_WORDS}


def idea_recall(answer: str | None, expected: str | None) -> float | None:
    """How much of an expected answer an answer says: the share of the expected text's content words (function
    words dropped, crudely singularised) that the answer contains — ROUGE-1 recall (Lin 2004) over content words.
    A rough lower bound on ideas covered (a synonym counts as missing); None without an expected answer."""
    want = _idea_words(expected or "")
    if not want:
        return None
    return len(want & _idea_words(answer or "")) / len(want)


def asserted_labels(markdown: str | None) -> list[str]:
    """The labels an answer asserts: its bold ``**…**`` spans, with an option letter ("C) ") and a
    trailing colon removed, de-duplicated by normalised form."""
    out: dict[str, str] = {}
    for m in _BOLD.finditer(markdown or ""):
        label = _OPTION_PREFIX.sub("", m.group(1).strip()).rstrip(":").strip()
        key = normalize_label(label)
        if key:
            out.setdefault(key, label)
    return list(out.values())


def label_f1(asserted: Sequence[str], reference: Sequence[str]) -> float:
    """F1 between asserted and reference labels, matched with ``labels_match``: precision = share of
    asserted labels matching some reference label, recall = share of reference labels matched by some
    asserted label (RAGAS's TP/FP/FN statement F1 with label matching in place of an LLM judge)."""
    if not asserted or not reference:
        return 0.0
    tp_p = sum(any(labels_match(a, r) for r in reference) for a in asserted)
    tp_r = sum(any(labels_match(a, r) for a in asserted) for r in reference)
    p, r = tp_p / len(asserted), tp_r / len(reference)
    return 2 * p * r / (p + r) if p + r else 0.0


def answer_correctness(asserted: Sequence[str], reference: Sequence[str], similarity: float,
                       weights: tuple[float, float] = CORRECTNESS_WEIGHTS) -> float:
    """RAGAS answer correctness (Es et al. 2023, "RAGAS: Automated Evaluation of Retrieval Augmented
    Generation"; ragas ``answer_correctness``): 0.75 × ``label_f1(asserted, reference)`` + 0.25 ×
    cosine between the answer's and the reference's embeddings (negative cosine counted as 0)."""
    w_f1, w_sim = weights
    return w_f1 * label_f1(asserted, reference) + w_sim * max(0.0, min(1.0, float(similarity)))


def label_found(label: str, text: str, alternatives: Iterable[str] = ()) -> bool:
    """``label`` (or one of its alternative names, e.g. a concept's aliases) occurs in ``text`` as
    whole words, both normalised with ``normalize_label``."""
    hay = normalize_label(text)
    return any(_contains(hay, normalize_label(x)) for x in (label, *alternatives))


def faithfulness(asserted: Sequence[str], cited_text: str,
                 alternatives: Callable[[str], Iterable[str]] | None = None) -> float | None:
    """Faithfulness: share of the answer's asserted labels found (``label_found``) in the text of the
    rows it cites — RAGAS faithfulness (Es et al. 2023) with "claim inferable from the context"
    replaced by "label present in the cited rows". None when the answer asserts no label."""
    if not asserted:
        return None
    alt = alternatives or (lambda _label: ())
    return sum(label_found(a, cited_text, alt(a)) for a in asserted) / len(asserted)


# ---- citations (Gao et al. 2023, "Enabling Large Language Models to Generate Text with Citations") --
Statement = tuple[object, Sequence[str]]  # (the sentence or claim, the ids it cites)


def citation_recall(statements: Sequence[Statement], supports: Callable[[object, str], bool]) -> float | None:
    """ALCE citation recall for one answer: share of its statements supported by their citations.
    A statement is supported when at least one cited row supports it (``supports`` — a deterministic
    test, studyassist.citations.supports, in place of ALCE's NLI model; "any row" stands in for ALCE's
    entailment by the concatenated passages). A statement without citations counts 0. None when the
    answer has no statements."""
    if not statements:
        return None
    return sum(any(supports(s, rid) for rid in ids) for s, ids in statements) / len(statements)


def citation_precision(statements: Sequence[Statement], supports: Callable[[object, str], bool]) -> float | None:
    """ALCE citation precision for one answer: share of its citations that are relevant. With the
    "any row" support rule a citation is relevant exactly when it supports its statement on its own
    (ALCE's "irrelevant" = does not support alone and is not needed by the rest). 0 when the answer
    states something but cites nothing; None when it has no statements."""
    if not statements:
        return None
    pairs = [(s, rid) for s, ids in statements for rid in ids]
    if not pairs:
        return 0.0
    return sum(supports(s, rid) for s, rid in pairs) / len(pairs)


# ---- multiple choice and explanations -------------------------------------------------------------
def multiple_choice_accuracy(predicted: Sequence[str | None], keys: Sequence[str]) -> float | None:
    """Share of questions whose predicted letter equals the key (case-insensitive); None if empty."""
    if not keys:
        return None
    return sum((p or "").strip().upper() == k.strip().upper() for p, k in zip(predicted, keys)) / len(keys)


def mention_coverage(feedback: str | None, must_mention: Sequence[str]) -> float | None:
    """Wrong-answer explanation coverage: share of the ``must_mention`` terms that occur in the
    feedback as whole words (both normalised with ``normalize_label``, so plurals fold), the
    deterministic form of a "key points covered" rubric. None when nothing must be mentioned."""
    if not must_mention:
        return None
    hay = normalize_label(feedback)
    return sum(_contains(hay, normalize_label(t)) for t in must_mention) / len(must_mention)


def rules_cited(citations: Collection[str], key_rule: str | None, chosen_rule: str | None) -> bool:
    """True when the explanation cites both the rule the key fits and the rule the chosen option fits."""
    wanted = [r for r in (key_rule, chosen_rule) if r]
    return bool(wanted) and all(r in citations for r in wanted)


def not_covered_accuracy(said: Sequence[bool], expected: Sequence[bool]) -> float | None:
    """Balanced accuracy of the "not covered" sentence (Brodersen et al. 2010): the mean of (share of
    not-covered questions where it was said) and (share of covered questions where it was not said),
    so that a system that never abstains scores 0.5, not the share of covered questions."""
    pos = [s for s, e in zip(said, expected) if e]
    neg = [not s for s, e in zip(said, expected) if not e]
    return mean([mean(pos), mean(neg)])


# ---- quiz validity (over generated items: dicts with stem, options, answer, rule_id) --------------
def _well_formed(item: Mapping) -> bool:
    options = item.get("options") or []
    keys = {normalize_label(o) for o in options}
    answer = item.get("answer")
    return (bool(normalize_label(item.get("stem"))) and len(options) == OPTIONS_PER_ITEM
            and len(keys) == OPTIONS_PER_ITEM and "" not in keys
            and isinstance(answer, int) and not isinstance(answer, bool) and 0 <= answer < len(options))


def quiz_single_key(items: Sequence[Mapping]) -> float | None:
    """Share of items that have a stem, exactly 4 options that differ after normalisation, and one key
    given as an index 0–3 (the structural checks of item-writing guidelines; Haladyna et al. 2002)."""
    return mean(_well_formed(i) for i in items) if items else None


def quiz_distractor_validity(items: Sequence[Mapping]) -> float | None:
    """Share of distractors that are not a restatement of the key (``labels_match`` false), i.e. not
    a second correct answer (Haladyna et al. 2002: "options … mutually exclusive"). Malformed items
    count every distractor invalid."""
    scores = []
    for item in items:
        options = list(item.get("options") or [])
        if not _well_formed(item):
            scores.extend([0.0] * (OPTIONS_PER_ITEM - 1))
            continue
        key = options[item["answer"]]
        scores.extend(0.0 if labels_match(o, key) else 1.0 for i, o in enumerate(options) if i != item["answer"])
    return mean(scores)


def quiz_answerability(items: Sequence[Mapping], solve: Callable[[str, list[str]], int | None]) -> float | None:
    """Share of items whose key the solver picks (``solve(stem, options)`` → option index); an item
    the solver fails on counts as unanswerable."""
    if not items:
        return None
    hits = 0
    for item in items:
        try:
            hits += solve(item["stem"], list(item["options"])) == item["answer"]
        except Exception:  # a generated item the solver cannot even read is not answerable
            pass
    return hits / len(items)


def key_position_deviation(items: Sequence[Mapping], positions: int = OPTIONS_PER_ITEM) -> float | None:
    """Key-position spread: max over positions of |share of keys at that position − 1/positions|;
    0 is perfectly uniform, lower is better (Attali & Bar-Hillel 2003 on answer-position bias)."""
    if not items:
        return None
    counts = Counter(i.get("answer") for i in items)
    return max(abs(counts.get(p, 0) / len(items) - 1 / positions) for p in range(positions))


def distinct_stems_share(items: Sequence[Mapping]) -> float | None:
    """Share of distinct stems (after ``normalize_label``) among the items."""
    if not items:
        return None
    return len({normalize_label(i.get("stem")) for i in items}) / len(items)


def rule_coverage(items: Sequence[Mapping], eligible: int | None = None) -> float | None:
    """Distinct source rules used / the most that ``len(items)`` items could use
    (min(len(items), ``eligible`` rules)); 1 when no two items test the same rule."""
    if not items:
        return None
    cap = min(len(items), eligible) if eligible else len(items)
    return min(1.0, len({i.get("rule_id") for i in items if i.get("rule_id")}) / cap)


# ---- confidence (Guo et al. 2017, "On Calibration of Modern Neural Networks") -----------------------------
def expected_calibration_error(probabilities: Sequence[float], correct: Sequence[bool], bins: int = 10
                               ) -> float | None:
    """Σ over equal-width probability bins of (bin share) × |mean probability − accuracy|; None when empty."""
    if not probabilities:
        return None
    p, y = np.asarray(probabilities, dtype=float), np.asarray(correct, dtype=float)
    edges = np.linspace(0, 1, bins + 1)
    ece = 0.0
    for lo, hi in zip(edges[:-1], edges[1:]):
        inside = (p >= lo) & (p < hi) if hi < 1 else (p >= lo) & (p <= hi)
        if inside.any():
            ece += inside.mean() * abs(p[inside].mean() - y[inside].mean())
    return float(ece)


def confident_share(levels: Sequence[str | None]) -> float | None:
    """Share of answers that call themselves confident; None when empty."""
    return sum(level == "confident" for level in levels) / len(levels) if levels else None


def confident_accuracy(levels: Sequence[str | None], correct: Sequence[bool]) -> float | None:
    """How often the answers that call themselves confident are right; None when none does."""
    sure = [ok for level, ok in zip(levels, correct) if level == "confident"]
    return sum(sure) / len(sure) if sure else None
