"""studyassist: a grounded study assistant for decision-rule review documents.

The public Python API; the command line (``studyassist``) and the app (``app.py``) are thin layers over it::

    from studyassist import Assistant

    assistant = Assistant()                      # loads (or first builds) the index of corpus/
    answer = assistant.ask("When is a batch endpoint the wrong choice?")
    solution = assistant.solve(pasted_text, chose="A")
    items = assistant.quiz.generate(5, seed=7)

Every error a user can cause is a ``StudyAssistError`` whose message is one sentence saying what to do.
"""
from __future__ import annotations

from studyassist.answer.resolve import Conversation
from studyassist.answer.types import Answer, Citation
from studyassist.assistant import Assistant
from studyassist.errors import (
                                CorpusError,
                                IndexCorruptError,
                                IndexMissingError,
                                InputError,
                                LLMError,
                                ProgressStoreError,
                                StudyAssistError,
)
from studyassist.pack import ExamPack, PackError
from studyassist.quiz.types import QuizItem
from studyassist.settings import Settings
from studyassist.solve.mcq import PastedQuestion, parse_pasted
from studyassist.solve.types import Solution

__version__ = "0.2.0"

__all__ = ["Answer", "Assistant", "Citation", "Conversation", "CorpusError", "ExamPack", "IndexCorruptError",
           "IndexMissingError", "InputError", "LLMError", "PackError", "PastedQuestion", "ProgressStoreError",
           "QuizItem", "Settings", "Solution", "StudyAssistError", "parse_pasted"]
