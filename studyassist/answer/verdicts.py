"""Answers to questions that ask for a verdict on a practice ("my lead says just retrain on last week's data — is
that a bad idea?", "why would the exam consider that a problem?"): when the review lists the practice as a common
mistake, that mistake is the answer, with the review's reason (which says what to do instead)."""
from __future__ import annotations

from studyassist.answer.labels import decision_label
from studyassist.answer.types import Claim, Composed
from studyassist.text import sentence_part as _lc

# How far down the ranking a named mistake may stand when a warning of the review is retrieved first: a table's
# unnamed warning ("Common trap: retraining on newer data …") often comes just before the list item naming it.
MISTAKE_RANKS = 3


class VerdictAnswers:
    """The verdict part of the grounded composer (mixed into ``Composer``, whose lookups it uses)."""

    def _verdict(self, resolved, hits, vector, previous) -> Composed | None:
        """The common mistake the practice matches, when a warning of the review is what the question finds first,
        then the review's warning about it in the table it concerns; without such a warning, None (the question is
        then answered as a "which" question)."""
        if not hits or not hits[0].rule.anti_pattern:
            return None
        top = hits[:MISTAKE_RANKS]
        named = next((h.rule for h in top if h.rule.anti_pattern and h.rule.kind == "list_item"), None)
        if named is None:
            return None
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
        # the review's own reason says what to do instead; a row found near the warning is often its opposite
        # ("Service health" for "Monitoring only CPU and latency"), so none is added
        alternatives = [c for h in hits if not h.rule.anti_pattern for c in h.rule.choice_concepts]
        return Composed(claims, label, list(named.choice_concepts), list(dict.fromkeys(alternatives)), True)
