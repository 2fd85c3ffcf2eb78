"""studyassist: a grounded study assistant for decision-rule review documents.

The public Python API; the command line (``studyassist``) and the app (``app.py``) are thin layers over it::

    from studyassist import Assistant

    assistant = Assistant()                      # loads (or first builds) the index of corpus/
    answer = assistant.ask("When is X the wrong choice?")
    solution = assistant.solve(pasted_text, chose="A")
    items = assistant.quiz.generate(5, seed=7)

Every error a user can cause is a ``StudyAssistError`` whose message is one sentence saying what to do.
"""
from __future__ import annotations

import importlib

__version__ = "0.2.0"

# Resolved on first use (PEP 562), not at import: the package root sits above every layer, and ``ingest`` (a
# layer below the assistant) imports studyassist's lower modules, so an eager root would make
# ``import ingest.indexer`` circular. It also keeps ``import studyassist.settings`` from loading the engine.
_PUBLIC = {
    "Answer": "studyassist.answer.types", "Citation": "studyassist.answer.types",
    "Conversation": "studyassist.answer.resolve", "Assistant": "studyassist.assistant",
    "ExamPack": "studyassist.pack", "PackError": "studyassist.pack", "QuizItem": "studyassist.quiz.types",
    "Settings": "studyassist.settings", "PastedQuestion": "studyassist.solve.mcq",
    "parse_pasted": "studyassist.solve.mcq", "Solution": "studyassist.solve.types",
    **{name: "studyassist.errors" for name in ("StudyAssistError", "InputError", "IndexMissingError",
                                                "IndexCorruptError", "CorpusError", "ProgressStoreError", "LLMError")},
}
__all__ = ["Answer", "Assistant", "Citation", "Conversation", "CorpusError", "ExamPack", "IndexCorruptError",
           "IndexMissingError", "InputError", "LLMError", "PackError", "PastedQuestion", "ProgressStoreError",
           "QuizItem", "Settings", "Solution", "StudyAssistError", "parse_pasted"]


def __getattr__(name: str):
    if name in _PUBLIC:
        return getattr(importlib.import_module(_PUBLIC[name]), name)
    raise AttributeError(f"module 'studyassist' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_PUBLIC])
