"""Options a pack writes as wrong: the review's known mistakes worded as the actions they are (by the mistake's rule),
and tempting wrong actions for one need (by the rule whose key they sit beside), each with why it fails. An exam
offers wrong actions for the same need; the other rows of an action table answer other needs and are ruled out by
topic alone (stop 30's blind reviews)."""
from __future__ import annotations

import numpy as np

from studyassist.knowledge.model import KnowledgeBase
from studyassist.pack import ExamPack
from studyassist.text import normalize

WRITTEN = 3  # a need with this many wrong actions written for it takes only those as distractors


def fails_need(shown: str, why: str) -> str:
    """How an explanation says that a wrong answer written for the need fails it."""
    return f"**{shown}** does not meet this need: {why.rstrip('.')}."


class WrongOptions:
    """The pack's wrong options for one knowledge base (rules it does not have are left out)."""

    def __init__(self, pack: ExamPack, kb: KnowledgeBase, embeddings):
        self.mistakes = {m.rule: m.text for m in pack.mistakes if kb.has_rule(m.rule) and kb.rule(m.rule).anti_pattern}
        self.for_rule: dict[str, list[str]] = {}  # rule id → the wrong actions written for its need
        self._why: dict[str, dict[str, str]] = {}  # rule id → normalised wrong action → why it fails that need
        for w in pack.wrong_actions:
            if kb.has_rule(w.rule):
                self.for_rule.setdefault(w.rule, []).append(w.text)
                self._why.setdefault(w.rule, {})[normalize(w.text)] = w.why
        self._written = {text for reasons in self._why.values() for text in reasons}
        self._embeddings = embeddings

    def why(self, rule_id: str) -> dict[str, str]:
        """Why each wrong action written for a rule's need fails it, by the action's normalised words."""
        return self._why.get(rule_id, {})

    def enough(self, rule_id: str) -> bool:
        """Whether the pack writes enough wrong actions for a rule's need to fill an item with them alone."""
        return len(self.for_rule.get(rule_id, ())) >= WRITTEN

    def is_written_for(self, rule_id: str, text: str) -> bool:
        return text in self.for_rule.get(rule_id, ())

    def vector(self, rule_id: str | None, text: str) -> np.ndarray | None:
        """The embedding of a wrong option's own words (a mistake by its rule, a need's wrong action by its text;
        cached by the embedder), or None for an option the pack did not write."""
        said = self.mistakes.get(rule_id) if rule_id else (text if normalize(text) in self._written else None)
        return self._embeddings.query_vector(said) if said else None

    def ranked(self, rule_id: str, candidates: list, stem_vec: np.ndarray, situation_vec: dict
               ) -> tuple[list[float], list[int]]:
        """How plausible each candidate is beside a stem: the cosine of the stem to a written wrong option's own
        words, else to its row's situation; a wrong action written for this need comes first (it answers the need,
        wrongly). And the candidates to keep: the wrong actions written for this need when the pack writes enough of
        them, else every candidate but one known mistake at most (the stem's nearest)."""
        written = [i for i, c in enumerate(candidates) if self.is_written_for(rule_id, c.text)]
        if len(written) >= WRITTEN:  # every option answers the stem's need: no other row's action, no mistake
            return [float(i in written) for i in range(len(candidates))], written[:WRITTEN]  # (nothing to embed)
        plausible = []
        for i, c in enumerate(candidates):
            v = self.vector(c.rule_id, c.text)
            v = situation_vec.get(c.rule_id) if v is None else v
            plausible.append((float(v @ stem_vec) if v is not None else 0.0) + float(i in written))
        order = sorted(range(len(candidates)), key=lambda i: -plausible[i])
        dropped = set([i for i in order if candidates[i].rule_id in self.mistakes][1:])  # one mistake: the nearest
        return plausible, [i for i in range(len(candidates)) if i not in dropped]
