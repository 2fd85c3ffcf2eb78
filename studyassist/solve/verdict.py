"""How sure a solution is, and what a learner's pick is told at that level of sureness: never "right" or "wrong"
unless the calibrated confidence is high enough (see answer/confidence.py)."""
from __future__ import annotations

import numpy as np

from studyassist.knowledge.paraphrases import ParaphraseIndex
from studyassist.solve.notes import UNKNOWN_FULL, NoteSupport
from studyassist.solve.types import Scored

# What a pick is told when the solver is not confident: never "right" or "wrong".
HEDGE = {"likely": "Probably not the best answer, though I am not certain:",
          "unsure": "I can't tell for sure whether your pick is wrong; here is how it compares:"}


def pick_verdict(letters: str, chosen: int, picks: list[int], level: str, runner_up: int | None = None) -> str:
    """What a learner who picked one of the answers is told, as surely as ``level`` allows. Below confident it is
    no verdict: a learner trial read "the option the rules point to most" as "you're right" on picks that were
    wrong, so the pick is called unconfirmed and the closest other option (``runner_up``) is named beside it."""
    if len(picks) == 1:
        if level == "confident":
            return f"{letters[chosen]} is the best answer — well chosen."
        other = f"; {letters[runner_up]} comes close" if runner_up is not None else ""
        return (f"Unconfirmed: the review's rules lean toward {letters[chosen]} too, but not surely enough to mark it "
                f"right{other}. Check the rules below before you count it.")
    others = ", ".join(letters[p] for p in sorted(picks) if p != chosen)
    if level == "confident":
        return f"{letters[chosen]} is one of the {len(picks)} answers — well chosen; the question also wants {others}."
    return (f"Unconfirmed: {letters[chosen]} may be one of the {len(picks)} answers (with {others}), but I am not "
            "sure enough to mark it right.")


def headline(level: str, answers: int = 1) -> str:
    """How the answer is introduced at ``level``: "Best answer" only when the solver is confident."""
    plural = "s" if answers > 1 else ""
    if level == "confident":
        return f"Best answer{plural}"
    if level == "likely":
        return f"Probably the best answer{plural}"
    return f"Not sure; the closest answer{plural}"


VOTERS = 15  # paraphrases nearest the stem that vote for their rules


TIED = 0.1  # options one rule explains within this share of the best's score are told apart by nothing in the review
NOTE_LEAD = 0.3  # the exam pack's notes guess between them when they support one by this much more (WEIGHT-scaled)


def solve_signals(scored: Scored, values: list[float], ranked: list[int], picks: int,
                  paraphrases: ParaphraseIndex | None) -> dict[str, float]:
    """What the confidence model reads of a solved question (see answer/confidence.py): how far the best option
    leads, whether it fits a rule and how closely, and whether the ways people ask about its rule agree with it
    (the stem's nearest paraphrases vote for their rules)."""
    best = ranked[0]
    top, second = abs(values[best]), abs(values[ranked[1]]) if len(ranked) > 1 else 0.0
    fit = scored.fits[best]
    rule = fit.facet.rule_id if fit.facet else None
    near = [0.0] * len(values)
    votes = [0.0] * len(values)
    if paraphrases is not None and len(paraphrases):
        sims = paraphrases.vectors @ scored.stem_vector
        counted: dict[str, int] = {}
        for i in np.argsort(-sims)[:VOTERS]:
            counted[paraphrases.rules[int(i)]] = counted.get(paraphrases.rules[int(i)], 0) + 1
        for o, f in enumerate(scored.fits):
            rules = [x.rule_id for x in (f.facet, f.own) if x is not None]
            near[o] = max((float(np.max(sims[paraphrases.of_rule[r]])) for r in rules if r in paraphrases.of_rule),
                          default=0.0)
            votes[o] = max((counted.get(r, 0) for r in rules), default=0) / VOTERS
    rest = [v for o, v in enumerate(votes) if o != best] or [0.0]
    return {"top": top, "lead": max(0.0, min(1.0, (top - second) / top)) if top > 0 else 0.0,
            "matched": float(fit.facet is not None), "anti": float(fit.anti is not None),
            "negated": float(scored.negated), "picks": float(picks > 1), "options": float(len(values)),
            "paraphrase": near[best], "near_best": float(near[best] >= max(near) and near[best] > 0),
            "votes": votes[best], "vote_lead": votes[best] - max(rest), "row": scored.row_similarity,
            "retrieved": scored.relevance.get(rule, 0.0) if rule else 0.0}


def tied(fits, values: list[float], pick: int) -> set[int]:
    """The options the rule that explains ``pick`` explains about as well (within ``TIED`` of its score), ``pick`` too:
    the review's rules do not tell these apart ("Median stopping", "Truncation selection" and "Bandit policy" all fit
    the review's early termination row, 2.668 / 2.667 / 2.667: a trial's MCQ was picked by the third decimal)."""
    facet = fits[pick].facet
    if facet is None:
        return {pick}
    return {i for i, f in enumerate(fits) if f.facet is not None and f.facet.key == facet.key
            and abs(values[i] - values[pick]) <= TIED * max(abs(values[pick]), 1e-9)}


def noted_ties(notes, q, scored: Scored, values: list[float], unknown: float):
    """The notes' support of each option (``notes.support``; None without notes), counted fully, however many of the
    options' words the review knows, when it tells apart the options ``tied`` with the review's best (by
    ``NOTE_LEAD``); and those options."""
    best = max(range(len(values)), key=lambda i: -values[i] if scored.negated else values[i])
    alike = tied(scored.fits, values, best)
    if not notes or len(alike) < 2:
        return notes and notes.support(q.stem, scored, list(q.options), unknown), alike
    full = notes.support(q.stem, scored, list(q.options), UNKNOWN_FULL)
    if max(full.support[i] for i in alike) - min(full.support[i] for i in alike) >= NOTE_LEAD:
        return full, alike
    weight = min(1.0, unknown / UNKNOWN_FULL)  # (the support as ``unknown`` weighs it: it scales with the weight)
    return NoteSupport(full.support * weight, full.notes if weight else [None] * len(q.options), weight), alike


def not_sure(first: str, second: str, close: bool) -> str:
    """What an unsure solution says first: two options fit about as well (``close``), or the best fits only loosely."""
    if close:
        return f"Not sure: two options fit the review's rules about as well, {first} and {second}."
    return f"Not sure: {first} fits the review's rules best, but only loosely; {second} comes next."
