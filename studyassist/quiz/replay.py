"""A practice bank's own questions, asked as their author wrote them: ingest/bank.py reads each keyed question as a row
("Question | Answer") and keeps the options it offered on that row. A learner who drops a bank into the corpus
practises on its questions (stop 64's ISTQB trial: the quiz refused a file of 40 keyed questions, as the bank's
answers, of every kind, give one another no options). The key is the author's; what the item says of it is the row."""
from __future__ import annotations

from studyassist.answer.types import Claim, render
from studyassist.knowledge.model import KnowledgeBase, Rule
from studyassist.quiz.types import OPTION_LETTERS, QuizItem
from studyassist.text import content_hash, normalize


def replayable(rule: Rule) -> bool:
    """Whether ``rule`` is a bank's question the quiz can ask as written: four distinct options, one of them keyed."""
    return (len(rule.offered) == len(OPTION_LETTERS) and 0 <= rule.offered_key < len(rule.offered)
            and len({normalize(o) for o in rule.offered}) == len(rule.offered))


def replayed(kb: KnowledgeBase, rule: Rule, difficulty: str) -> QuizItem:
    """The bank's question ``rule`` as a quiz item: its stem, its options in their order, its key."""
    options, key = list(rule.offered), rule.offered_key
    claims = [Claim(text=f"**{OPTION_LETTERS[key]}) {options[key]}** — the notes' practice question keys it: "
                         f"\"{rule.situation.strip()}\" → {rule.choice}.", rule_ids=[rule.id], label=rule.choice,
                    heading="Why the key fits:")]
    explanation, citations = render(claims, kb)
    return QuizItem(id="q-" + content_hash(rule.id, rule.situation, *options)[:12], stem=rule.situation,
                    options=options, answer=key, explanation=explanation, citations=citations, rule_id=rule.id,
                    area=rule.area, difficulty=difficulty,
                    option_rules=[rule.id if i == key else None for i in range(len(options))])
