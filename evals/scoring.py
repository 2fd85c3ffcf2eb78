"""Scoring: one function per gold set turns what a system said into metrics, the same for the project and the
baseline."""
from __future__ import annotations

import re
from collections.abc import Iterable

from evals import metrics as m
from evals.outcomes import AskOutcome, SolveOutcome
from studyassist.answer.citations import rule_text, supports
from studyassist.answer.types import Claim

RECALL_K = 5


class Scorer:
    def __init__(self, assistant):
        self.kb, self.matcher, self.embeddings = assistant.kb, assistant.matcher, assistant.embeddings

    def supports(self, claim: Claim, rule_id: str) -> bool:
        return self.kb.has_rule(rule_id) and supports(claim, self.kb.rule(rule_id), self.matcher)

    def aliases(self, label: str) -> list[str]:
        return [a for cid in self.matcher.find(label) for a in self.kb.concept(cid).aliases]

    def cited_text(self, ids: Iterable[str]) -> str:
        return " ".join(rule_text(self.kb.rule(r)) for r in ids if self.kb.has_rule(r))

    def same_row(self, decision: str | None, item: dict) -> bool:
        """Whether the decision names another cell of the row whose cell is the gold decision (its choice where the
        gold names its situation): the answer leads with the right row, labelled by the cell the gold writer did not
        pick."""
        cells = [[v for v in (r.choice, r.situation, *r.cells.values()) if v]
                 for r in map(self.kb.rule, filter(self.kb.has_rule, item.get("rules") or []))]
        return any(m.labels_match(decision, c) for row in cells if any(m.labels_match(item["decision"], v)
                                                                        for v in row) for c in row)

    def similarities(self, answers: list[str], references: list[str]) -> list[float]:
        if not answers:
            return []
        vecs = self.embeddings.encode([*answers, *references])
        a, r = vecs[: len(answers)], vecs[len(answers):]
        return [float(x @ y) if text else 0.0 for x, y, text in zip(a, r, answers)]

    def ask(self, rows: list[dict], out: list[AskOutcome]) -> tuple[dict, list[dict]]:
        cov = [(r, o) for r, o in zip(rows, out) if r.get("expected_decision")]
        rel = [set(r.get("expected_rules") or []) for r, _ in cov]
        sims = self.similarities([_plain(o.answer) for _, o in cov], [r["expected_decision"] for r, _ in cov])
        correct = [m.decision_correct(o.decision, r["expected_decision"]) for r, o in cov]
        faithful = [0.0 if o.error else m.faithfulness(m.asserted_labels(o.answer), self.cited_text(o.citations),
                                                       self.aliases) for _, o in cov]
        scores = {
            "hit_at_1": m.mean(m.hit_at_k(o.ranked, e, 1) for (_, o), e in zip(cov, rel)),
            "hit_at_3": m.mean(m.hit_at_k(o.ranked, e, 3) for (_, o), e in zip(cov, rel)),
            "mrr": m.mean(m.reciprocal_rank(o.ranked, e) for (_, o), e in zip(cov, rel)),
            "recall_at_5": m.mean(m.recall_at_k(o.ranked, e, RECALL_K) for (_, o), e in zip(cov, rel)),
            "decision_accuracy": m.mean(correct),
            "answer_correctness": m.mean(m.answer_correctness(m.asserted_labels(o.answer), [r["expected_decision"]], s)
                                         for (r, o), s in zip(cov, sims)),
            "faithfulness": m.mean(faithful),
            "citation_recall": m.mean(0.0 if o.error else m.citation_recall(o.statements, self.supports)
                                      for _, o in cov),
            "citation_precision": m.mean(0.0 if o.error else m.citation_precision(o.statements, self.supports)
                                         for _, o in cov),
            "cited_on_topic": m.mean(None if o.error else m.on_topic(o.citations, e) for (_, o), e in zip(cov, rel)),
            "not_covered_accuracy": m.not_covered_accuracy([o.not_covered for o in out],
                                                           [r.get("type") == "not_covered" for r in rows]),
        }
        ok = dict(zip((r["id"] for r, _ in cov), correct))
        items = [{"id": r["id"], "decision": o.decision, "correct": ok.get(r["id"]), "not_covered": o.not_covered,
                  "citations": o.citations[:5], "confidence": o.confidence, "probability": o.probability,
                  **({"error": o.error} if o.error else {})} for r, o in zip(rows, out)]
        return scores, items

    def solve(self, rows: list[dict], out: list[SolveOutcome], metric: str = "mcq_accuracy"
              ) -> tuple[dict, list[dict]]:
        acc = m.multiple_choice_accuracy([o.best for o in out], [r["answer"] for r in rows])
        scores = {metric: acc}
        if any(o.confidence for o in out):  # how often the solver says it is sure, and how often it then is right
            levels, right = [o.confidence for o in out], [o.best == r["answer"] for r, o in zip(rows, out)]
            scores[f"{metric}_confident_share"] = m.confident_share(levels)
            scores[f"{metric}_confident_accuracy"] = m.confident_accuracy(levels, right)
        if any("answerable" in r for r in rows):  # an external set: also the items the review can answer
            pairs = [(o.best, r["answer"]) for r, o in zip(rows, out) if r.get("answerable")]
            scores[f"{metric}_answerable"] = m.multiple_choice_accuracy(*zip(*pairs)) if pairs else None
        return scores, [{"id": r["id"], "best": o.best, "correct": o.best == r["answer"], "confidence": o.confidence,
                         "probability": o.probability} for r, o in zip(rows, out)]

    def learner(self, rows: list[dict], out: list[AskOutcome], prefix: str) -> tuple[dict, list[dict]]:
        """Learner-voice questions: the decision where the review names one, whether a row that answers a covered
        question is found, and how often a covered question is wrongly called not covered."""
        decided = [(r, o) for r, o in zip(rows, out) if r.get("covered") and r.get("decision")]
        covered = [(r, o) for r, o in zip(rows, out) if r.get("covered")]
        beyond = [o for r, o in zip(rows, out) if not r.get("covered")]
        correct = {r["id"]: m.decision_correct(o.decision, r["decision"]) for r, o in decided}
        row = {r["id"]: correct[r["id"]] or self.same_row(o.decision, r) for r, o in decided}
        scores = {f"{prefix}_decision_accuracy": m.mean(correct.values()) if correct else None,
                  f"{prefix}_row_accuracy": m.mean(row.values()) if row else None,
                  f"{prefix}_hit_at_3": m.mean(m.hit_at_k(o.ranked, set(r["rules"]), 3) for r, o in covered),
                  f"{prefix}_false_not_covered": m.mean(float(o.not_covered) for _, o in covered),
                  f"{prefix}_beyond_not_covered": m.mean(float(o.not_covered) for o in beyond),
                  f"{prefix}_idea_recall": m.mean(m.idea_recall(o.answer, r.get("expected")) for r, o in covered),
                  f"{prefix}_beyond_idea_recall": m.mean(m.idea_recall(o.answer, r.get("expected"))
                                                         for r, o in zip(rows, out) if not r.get("covered"))}
        items = [{"id": r["id"], "decision": o.decision, "correct": correct.get(r["id"]),
                  "row_correct": row.get(r["id"]), "not_covered": o.not_covered, "covered": bool(r.get("covered")),
                  "confidence": o.confidence, "probability": o.probability, **({"error": o.error} if o.error else {})}
                 for r, o in zip(rows, out)]
        return scores, items

    def off_topic(self, rows: list[dict], out: list[AskOutcome]) -> tuple[dict, list[dict]]:
        """Questions from other domains: each should get the not-covered sentence."""
        items = [{"id": r["id"], "not_covered": o.not_covered, "decision": o.decision, "confidence": o.confidence,
                  **({"error": o.error} if o.error else {})} for r, o in zip(rows, out)]
        return {"offtopic_not_covered": m.mean(float(o.not_covered) for o in out)}, items

    def rewordings(self, rows: list[dict], originals: dict[str, dict], reworded: dict[str, list[AskOutcome]]
                   ) -> tuple[dict, list[dict]]:
        """Paraphrase robustness: each gold question asked in 3 other wordings keeps its decision."""
        kept, right, items = [], [], []
        for r in rows:
            original, outs = originals.get(r["id"]), reworded.get(r["id"], [])
            if original is None or not original.get("expected_decision"):
                continue
            same = [o.decision is not None and (m.decision_correct(o.decision, original["decision"] or "")
                                                 or o.decision == original["decision"]) for o in outs]
            good = [m.decision_correct(o.decision, original["expected_decision"]) for o in outs]
            kept += same
            right += good
            items.append({"id": r["id"], "decisions": [o.decision for o in outs], "stable": same})
        return {"paraphrase_stability": m.mean(kept), "reworded_decision_accuracy": m.mean(right)}, items

    def wrong_answers(self, rows: list[dict], out: list[SolveOutcome]) -> tuple[dict, list[dict]]:
        cover = [m.mention_coverage(o.feedback, r.get("must_mention") or []) for r, o in zip(rows, out)]
        cited = [m.rules_cited(o.citations, r.get("key_rule"), r.get("chosen_rule")) for r, o in zip(rows, out)]
        items = [{"id": r["id"], "coverage": c, "rules_cited": k} for r, c, k in zip(rows, cover, cited)]
        return {"wrong_answer_coverage": m.mean(cover), "wrong_answer_rules_cited": m.mean(cited)}, items


def _plain(markdown: str) -> str:
    """Answer markdown as prose: no citation markers, emphasis or table pipes."""
    text = re.sub(r"\[\d+\]", " ", markdown or "")
    return " ".join(re.sub(r"[*|#`]+", " ", text).split())




def calibration(items: dict[str, list[dict]], solve_sets: Iterable[str], ask_sets: Iterable[str]) -> dict:
    """Expected calibration error of the solver's and the answers' probabilities, over every item of those sets
    whose rightness is known (an ask item without an expected decision is not counted)."""
    def ece(names: Iterable[str]) -> float | None:
        pairs = [(i["probability"], bool(i["correct"])) for n in names for i in items.get(n, [])
                 if i.get("probability") is not None and i.get("correct") is not None]
        return m.expected_calibration_error(*zip(*pairs)) if pairs else None

    scores = {"solve_ece": ece(solve_sets), "ask_ece": ece(ask_sets)}
    return {k: v for k, v in scores.items() if v is not None}  # a run without those sets reports neither
