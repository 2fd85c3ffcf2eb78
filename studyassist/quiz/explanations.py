"""What a generated question's explanation says: why the key fits (its rule and the row's notes), what each
distractor is for (its own rule), and the trap the review names for the key's concepts, each claim cited."""
from __future__ import annotations

from studyassist.answer.composer import Composer
from studyassist.answer.types import Claim
from studyassist.knowledge.model import KnowledgeBase, Rule
from studyassist.quiz.wrong import fails_need
from studyassist.solve.mistakes import mistake_statement
from studyassist.text import normalize


def explanation_claims(kb: KnowledgeBase, composer: Composer, rule: Rule, side: int | None, key: str,
                       options: list[str], option_rules: list[str | None], position: int,
                       shown: list[str] | None = None, why_wrong: dict[str, str] | None = None) -> list[Claim]:
    """The claims of an item's explanation, in the order they are shown; ``shown`` is how each option is worded
    when the pack words it otherwise than the review (each claim still names the review's choice)."""
    shown = shown or options
    situation = rule.sides[side].text if side is not None else rule.situation
    claims = [Claim(text=f"**{shown[position]}** — the review's rule: \"{situation.strip().strip('“”')}\" → {key}.",
                    rule_ids=[rule.id], label=key, heading="Why the key fits:")]
    claims += composer.note_claims(rule)[:2]
    for i, (opt, rid, text) in enumerate(zip(options, option_rules, shown)):
        if i != position and rid is None and (why := (why_wrong or {}).get(normalize(opt))):
            claims.append(Claim(text=fails_need(text, why), rule_ids=[rule.id], label=opt,
                                heading="Distractor:"))  # a wrong action the pack writes for this need
        if i == position or rid is None:
            continue
        other = kb.rule(rid)
        if other.anti_pattern:  # one of the review's known mistakes, offered as the wrong action it is
            claims.append(Claim(text=f"**{text}** is a known mistake: {mistake_said(other)}.", rule_ids=[rid],
                                label=opt, heading="Distractor:"))
            continue
        if other.sides:
            s = next((s for s in other.sides if normalize(s.label) == normalize(opt)), other.sides[0])
            what = f"{other.situation}: {s.text}"
        else:
            what = other.situation
        claims.append(Claim(text=f"**{text}** is for: {what.strip().strip('“”').rstrip('.?')}.", rule_ids=[rid],
                            label=opt, heading="Distractor:"))
    claims += composer.trap_claims(list(rule.choice_concepts), {rule.id})
    return claims


def mistake_said(rule: Rule) -> str:
    """What the review says of one of its mistakes: "Assuming retraining always fixes drift — first diagnose …", or a
    trap line's own words (solve/mistakes.mistake_statement: the statement, then its reason when that is more)."""
    statement = mistake_statement(rule).strip("“”").rstrip(".?") or rule.choice.strip().rstrip(".")
    said = rule.situation.strip().strip("“”").rstrip(".?") if rule.situation else ""
    return f"{statement} — {said}" if said and said != statement else statement
