"""Explaining a solved multiple-choice question: why the best option fits, and why a chosen one does not.

The solver decides which rule explains each option (`types.OptionFit`); this module turns those rules into
claims that cite them — the rule the best option follows, the clue words of the stem that point to it, and,
for a wrong pick, the different situation or known trap the picked option belongs to.
"""
from __future__ import annotations

import logging
from collections import Counter
from dataclasses import replace

from studyassist.answer.citations import rule_text
from studyassist.answer.composer import Composer
from studyassist.answer.types import Claim
from studyassist.knowledge.facets import Facet
from studyassist.knowledge.model import KnowledgeBase
from studyassist.solve.mcq import PastedQuestion
from studyassist.solve.types import OptionFit
from studyassist.text import key_terms, normalize
from studyassist.text import sentence_part as _lc

log = logging.getLogger(__name__)

FILLER_SHARE = 0.08  # a word in more than this share of the rows is not a clue worth quoting


class Explainer:
    """Builds the cited claims of a solution from the rules the solver matched to its options."""

    def __init__(self, kb: KnowledgeBase, composer: Composer, mistake_form: dict[str, str]):
        self.kb, self.composer = kb, composer
        self.mistake_form = mistake_form  # facet key → "correction" | "myth" | "mistake" | "warning" (mistakes.py)
        # words most rows use ("model", "deployment", "production") point to no row: not quoted as a clue
        rows = Counter(t for r in kb.rules for t in set(key_terms(rule_text(r))))
        self._filler = {t for t, n in rows.items() if n > FILLER_SHARE * len(kb.rules)}

    def clues(self, stem: str, facet: Facet) -> list[str]:
        """Words of the stem that the rule's situation also uses."""
        rule = self.kb.rule(facet.rule_id)
        row = set(key_terms(" ".join([facet.situation, *rule.cells.values()])))
        seen: dict[str, None] = {}
        said: set[str] = set()  # words already inside a listed phrase are not listed again on their own
        for phrase, terms in self.composer.clues.matched(stem):
            if set(key_terms(terms)) & row and phrase.lower() not in seen:
                seen.setdefault(phrase.lower(), None)
                said |= set(key_terms(phrase))
        for t in key_terms(stem):
            if t in row and t not in said and t not in self._filler:
                seen.setdefault(t, None)
        return [f"“{w}”" for w in seen][:5]

    def contrast(self, stem: str, picked: str, own: Facet, answer: str, key: Facet,
                 heading: str = "Why not your answer:") -> Claim:
        """One sentence from both rows: what the picked option is for, what the answer is for, and the words of
        the question that only the answer's row shares ("a cache is for 'repeated reads …', a read replica for
        'scaling reads …' — this question says 'the same ten rows'")."""
        own_terms = set(key_terms(" ".join([own.situation, *self.kb.rule(own.rule_id).cells.values()])))
        clue = [c for c in self.clues(stem, key) if not set(key_terms(c.strip("“”"))) <= own_terms]
        said = f"this question says {', '.join(clue[:3])}" if clue else "the scenario fits the answer's situation"
        return Claim(text=f"**{picked}** is for \"{_lc(own.quote)}\", **{answer}** for \"{_lc(key.quote)}\" — "
                          f"{said}.", rule_ids=[own.rule_id, key.rule_id], labels=[own.label, key.label],
                     label=key.label, heading=heading)

    def why_best(self, q: PastedQuestion, best: int, fit: OptionFit, negated: bool,
                 beside: OptionFit | None = None) -> list[Claim]:
        """Claims for why option ``best`` is the answer (or, for NOT/LEAST stems, the one that does not belong); an
        option shown ``beside`` the closest one that only the closest one's rule explains (not its own choice's:
        "azureSubscription:" by the rule of "environment:") matches no rule closely."""
        letter, text = q.letters[best], q.options[best]
        shared = beside is not None and beside is not fit and fit.facet is not None and beside.facet is not None
        if shared and not negated and fit.facet.rule_id == beside.facet.rule_id and (
                fit.own is None or fit.own.rule_id != fit.facet.rule_id):
            fit = replace(fit, facet=None)
        if negated:
            if fit.anti is None and fit.own is None and fit.elsewhere is not None:
                e = fit.elsewhere
                return [Claim(text=f"**{letter}) {text}** is the odd one out: it fits another rule, "
                                   f"\"{_lc(e.quote)}\" → {e.label}.", rule_ids=[e.rule_id], label=e.label)]
            basis = fit.anti or fit.own
            if basis is None:
                return [Claim(text=f"**{letter}) {text}** matches no rule that fits this scenario, so it is the "
                                   "option that does not belong.")]
            return [Claim(text=f"**{letter}) {text}** is the odd one out: it is the choice for "
                               f"\"{_lc(basis.quote)}\", not for this scenario.", rule_ids=[basis.rule_id],
                          label=basis.label)]
        if fit.facet is None:
            return [Claim(text=f"**{letter}) {text}** matches no rule closely; check the review yourself.")]
        f = fit.facet
        clue = self.clues(q.stem, f)
        claims = [Claim(text=f"**{letter}) {text}** — {self.rule_phrase(f, fit.commits)}.", rule_ids=[f.rule_id],
                        label=f.label)]
        if clue:
            claims.append(Claim(text=f"the question's words {', '.join(clue)} point to this rule.", heading="Clue:"))
        rule = self.kb.rule(f.rule_id)
        claims += self.composer.note_claims(rule)[:2]
        return claims

    def rule_phrase(self, f: Facet, commits: bool = False) -> str:
        """How the explanation names the rule an option is best explained by (``commits``: the option is that
        rule's mistake, as the answer to "which trap is this?")."""
        form = self.mistake_form.get(f.key)
        if commits:
            what = f"{f.label}: {f.quote}" if form == "correction" else f.quote
            return f"it is the mistake the review warns about: \"{_lc(what)}\""
        if form == "correction":
            return f"the review's correction of the common mistake \"{_lc(f.label)}\": \"{_lc(f.quote)}\""
        if form == "myth":  # a row of a table of myths: the claim is its situation, the fix its choice
            return f"the review's correction of the myth \"{_lc(f.quote)}\": \"{_lc(f.label)}\""
        if form == "warning":
            return f"it heeds the review's warning: \"{_lc(f.quote)}\""
        if form == "mistake":
            return f"it avoids a mistake the review warns about: \"{_lc(f.quote)}\""
        if normalize(f.quote) == normalize(f.label):  # a passage of prose: the quote is the whole rule
            return f"the review says: \"{_lc(f.quote)}\""
        return f"the review's rule: \"{_lc(f.quote)}\" → {f.label}"

    def why_not_chosen(self, q: PastedQuestion, chosen: int, cfit: OptionFit, best: int, bfit: OptionFit,
                       negated: bool, sure: bool = True) -> list[Claim]:
        """Claims for why the picked option ``chosen`` is not the best one; not ``sure``, they say how it compares
        instead of calling it wrong."""
        claims = self._why_not_chosen(q, chosen, cfit, best, bfit, negated)
        if sure:
            return claims
        softer = {"Why not your answer:": "Your pick:", "What the clue points to:": "The closest rule:"}
        return [c.model_copy(update={"heading": softer.get(c.heading, c.heading)}) for c in claims]

    def _why_not_chosen(self, q: PastedQuestion, chosen: int, cfit: OptionFit, best: int, bfit: OptionFit,
                        negated: bool) -> list[Claim]:
        letter, text = q.letters[chosen], q.options[chosen]
        claims: list[Claim] = []
        if negated and cfit.inside is not None and cfit.anti is None:
            i = cfit.inside
            claims.append(Claim(text=f"**{letter}) {text}** does belong: the review's rule \"{_lc(i.quote)}\" → "
                                     f"{i.label}.", rule_ids=[i.rule_id], label=i.label,
                                heading="Why not your answer:"))
            return claims
        best_rule = bfit.facet.rule_id if bfit.facet else None
        if cfit.commits and cfit.facet is not None and cfit.facet.rule_id != best_rule:
            claims.append(Claim(text=f"**{letter}) {text}** is a different mistake: \"{_lc(cfit.facet.quote)}\".",
                                rule_ids=[cfit.facet.rule_id], label=cfit.facet.label, heading="Why not your answer:"))
        key = bfit.facet
        contrasted = (cfit.own is not None and key is not None and cfit.own.rule_id != best_rule and not negated
                      and not cfit.own.anti and not key.anti and not cfit.commits)
        if contrasted:  # both options are choices of the review: the difference between their rows teaches most
            claims.append(self.contrast(q.stem, f"{letter}) {text}", cfit.own, f"{q.letters[best]}) {q.options[best]}",
                                        key))
        elif cfit.own is not None and cfit.own.rule_id != best_rule:
            o = cfit.own
            claims.append(Claim(text=f"**{letter}) {text}** is the choice for a different situation: "
                                     f"\"{_lc(o.quote)}\".", rule_ids=[o.rule_id], label=o.label,
                                heading="Why not your answer:"))
        if cfit.anti is not None and not negated:
            a = self.kb.rule(cfit.anti.rule_id)
            body = f"{a.choice}: {a.situation}" if a.situation and a.kind != "trap" else (a.situation or a.choice)
            claims.append(Claim(text=f"**{letter}) {text}** is a known trap — {_lc(body)}.", rule_ids=[a.id],
                                heading="Why not your answer:" if not claims else "Known trap:"))
        if not claims:
            claims.append(Claim(text=f"**{letter}) {text}** does not match any rule for this scenario.",
                                heading="Why not your answer:"))
        if bfit.facet is not None and not negated and not contrasted:
            clue = self.clues(q.stem, bfit.facet)
            said = f"the words {', '.join(clue)} point" if clue else "the scenario points"
            why = (f" — {self.rule_phrase(bfit.facet, bfit.commits)}" if bfit.facet.anti
                   else f": \"{_lc(bfit.facet.quote)}\"")
            claims.append(Claim(text=f"In this question {said} to **{q.letters[best]}) {q.options[best]}**{why}.",
                                rule_ids=[bfit.facet.rule_id],
                                label=bfit.facet.label, heading="What the clue points to:"))
        concepts = list(self.kb.rule(cfit.own.rule_id).choice_concepts) if cfit.own else []
        used = {c for cl in claims for c in cl.rule_ids}
        claims += [c.model_copy(update={"heading": "Related trap:"}) for c in self.composer.trap_claims(concepts, used)]
        return claims
