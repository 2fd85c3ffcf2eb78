"""Domain errors: each carries one sentence a user can act on."""
from __future__ import annotations


class StudyAssistError(Exception):
    """Base class; ``str(error)`` is the one-sentence message shown to the user."""


class InputError(StudyAssistError):
    """The question, pasted text or argument cannot be used as given."""


class IndexMissingError(StudyAssistError):
    """No index has been built yet under STUDYASSIST_HOME."""


class IndexCorruptError(StudyAssistError):
    """The on-disk index or knowledge base cannot be read."""


class CorpusError(StudyAssistError):
    """The corpus folder or one of its files cannot be used."""


class ProgressStoreError(StudyAssistError):
    """The progress database is locked, corrupt or otherwise unusable."""


class LLMError(StudyAssistError):
    """The configured LLM could not be built, reached or understood."""
