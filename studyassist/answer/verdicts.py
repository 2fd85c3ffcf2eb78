"""Answers to questions that ask for a verdict on a practice ("my lead says just retrain on last week's data — is
that a bad idea?", "why would the exam consider that a problem?"): when the review lists the practice as a common
mistake, that mistake is the answer, with the review's reason (which says what to do instead)."""
from __future__ import annotations

import re

from studyassist.answer.intents import challenges
from studyassist.answer.labels import decision_label
from studyassist.answer.types import LIMIT_LEAD, Claim, Composed
from studyassist.text import sentence_part as _lc

# How far down the ranking a named mistake may stand when a warning of the review is retrieved first: a table's
# unnamed warning ("Common trap: retraining on newer data …") often comes just before the list item naming it.
MISTAKE_RANKS = 3
# … and when a row is found first: the practice put up for judgement is often worded like the row it breaks ("my
# identity has Contributor, shouldn't that be enough?" finds "Storage access fails" just before the mistake
# "Assuming Azure RBAC alone grants all data-plane access").
NEAR_RANKS = 2
# How far down a row that chooses what the question proposes may stand to give its stated limitation.
CAVEAT_RANKS = 6
# A note that states what a choice is not fit for ("Not appropriate for low-latency request/response scoring", "Not a
# production-scale training or serving pattern"), not advice about using it well ("Avoid copying untracked files").
_LIMITATION = re.compile(r"^(not|never|no longer)\b|\b(is|are|does|do) not\b|"
                         r"\b(isn'?t|aren'?t|doesn'?t|cannot|can'?t)\b|"
                         r"\bnot (appropriate|suitable|designed|meant|intended|recommended|ideal|a substitute)\b", re.I)


class VerdictAnswers:
    """The verdict part of the grounded composer (mixed into ``Composer``, whose lookups it uses)."""

    def _verdict(self, resolved, hits, vector, previous) -> Composed | None:
        """The common mistake the practice matches, when a warning of the review is among what the question finds
        first, then the review's warning about it in the table it concerns; without such a warning, None (the
        question is then answered as a "which" question). A practice that proposes a choice whose row states what it
        is not fit for gets that limitation first (see ``_caveat``)."""
        if caveat := self._caveat(resolved, hits):
            return caveat
        if not hits or not any(h.rule.anti_pattern for h in hits[:NEAR_RANKS]):
            return None
        if not hits[0].rule.anti_pattern and not challenges(resolved.query) and set(
                hits[0].rule.choice_concepts) & set(self.specific(resolved.concepts)):
            return None  # the row found first chooses what the question names ("is a VPN OK to lock down the
            # workspace?" finds "Use private networking controls"): it is what the question is about
        top = hits[:MISTAKE_RANKS if hits[0].rule.anti_pattern else NEAR_RANKS]
        named = next((h.rule for h in top if h.rule.anti_pattern and h.rule.kind == "list_item"), None)
        # the review's reason says what to do instead; a row found near the warning is often its opposite
        # ("Service health" for "Monitoring only CPU and latency"), so none is added
        alternatives = list(dict.fromkeys(c for h in hits if not h.rule.anti_pattern for c in h.rule.choice_concepts))
        if named is None:  # no mistake named, but a warning of the review's ("Trap: tuning does not replace final
            warned = next((h.rule for h in top if h.rule.kind == "trap" and h.rule.situation), None)  # validation")
            return None if warned is None else Composed(
                [Claim(text=f"The review warns: {_lc(warned.situation.rstrip('.'))}.", rule_ids=[warned.id],
                       label=(label := decision_label(warned, self.kb, self.generic)))],
                label, list(warned.choice_concepts), alternatives, True)
        label = decision_label(named, self.kb, self.generic)
        why = f": {_lc(named.situation.rstrip('.'))}" if named.situation else ""
        claims = [Claim(text=f"The review lists **{label}** as a common mistake{why}.", rule_ids=[named.id],
                        label=label)]
        for h in top:  # a table's own warning about the same practice
            r = h.rule
            if r.anti_pattern and r.kind == "trap" and r.situation:
                claims.append(Claim(text=r.situation.rstrip(".") + ".", rule_ids=[r.id],
                                    heading="The review's warning:"))
                break
        return Composed(claims, label, list(named.choice_concepts), alternatives, True)

    def _caveat(self, resolved, hits) -> Composed | None:
        """"So should we just move this workload to a batch endpoint?": the question proposes a choice, and a row
        choosing it says what it is not fit for ("Not appropriate for low-latency request/response scoring"); that
        limitation answers, unless a listed mistake about the same choice, or about no choice ("Treating notebooks as
        production automation"), is found first. A mistake about another choice only is often the proposal's reverse
        (running bulk jobs on the real-time option) and is not said."""
        named = set(self.specific(resolved.concepts))
        for h in hits[:CAVEAT_RANKS] if named else ():
            r = h.rule
            if r.anti_pattern:  # a mistake found first answers, unless it is about another choice only
                if not r.concepts or set(r.concepts) & named:
                    return None
                continue
            limit = next((v for v in r.notes.values() if _LIMITATION.search(v)), None)
            if limit and (set(r.choice_concepts) & named or any(  # (its choice named, or opening with the name:
                    r.choice.lower().startswith(self.label(c).lower()) for c in named)):  # "Batch endpoint compute")
                label = decision_label(r, self.kb, self.generic)
                when = f" (for {_lc(r.situation)})" if r.situation else ""
                alternatives = [c for g in hits if not g.rule.anti_pattern for c in g.rule.choice_concepts
                                if c not in r.choice_concepts]
                return Composed([Claim(text=f"{LIMIT_LEAD} **{label}**{when}: {_lc(limit)}.", rule_ids=[r.id],
                                       label=label)],
                                label, list(r.choice_concepts), list(dict.fromkeys(alternatives)), True)
        return None
