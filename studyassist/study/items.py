"""Items shown to a learner, kept in the progress database so an answer or an explanation can name one by id."""
from __future__ import annotations

import json

from studyassist.errors import InputError
from studyassist.quiz.types import QuizItem
from studyassist.study.names import shown
from studyassist.study.progress import ProgressStore


def save_items(store: ProgressStore, items: list[QuizItem]) -> None:
    """Keep ``items`` (with their option rules and choices, difficulty and origin) for a later answer or explanation."""
    store.save_items([(i.id, json.dumps(i.model_dump(mode="json") | {"option_rules": i.option_rules,
                                                                      "choices": i.choices,
                                                                      "difficulty": i.difficulty,
                                                                      "origin": i.origin})) for i in items])


def load_item(store: ProgressStore, item_id: str) -> QuizItem:
    """A saved item by id, or a one-sentence error saying how to get one."""
    body = store.item(item_id)
    if body is None:
        raise InputError(f"No question with id {shown(item_id)} has been shown; run `studyassist quiz` to get one.")
    return QuizItem.model_validate(json.loads(body))
