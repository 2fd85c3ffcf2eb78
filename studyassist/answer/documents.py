"""Which of several documents a question is about, by the names only that document uses: "… on GCP", "my
SageMaker training" name one cheat sheet of a corpus holding three exams' notes. Such a question is answered from
that document alone, as ``--doc`` would, instead of from whichever document's row happens to fit best (the
Azure exam's fee for "what does the AWS exam cost?", SageMaker's Model Monitor for "data drift on GCP")."""
from __future__ import annotations

import re
from collections import Counter

from studyassist.knowledge.model import KnowledgeBase

MIN_USES = 3  # times a name must appear in a document's rules to name that document (once may be in passing)
NAME_SHARE = 0.8  # of a word's uses that must be capitalised for it to be a name
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*")
_NAME = re.compile(r"^[A-Z][A-Z0-9]+$|^[A-Za-z][a-z0-9]*[A-Z]")  # "GCP", "AWS", "S3"; "SageMaker", "BigQuery"
_PART = re.compile(r"[|;:.!?()\[\]>\n]|\s[-–—]\s")  # where a cell, a sentence, a heading or an aside begins


def _names(text: str) -> list[str]:
    """The words of ``text`` written as names: in capitals or with a capital inside anywhere ("GCP", "SageMaker"),
    or capitalised where a part of it does not begin ("on Azure"; "Create" opening a heading is no name)."""
    out = []
    for part in _PART.split(text):
        words = _WORD.findall(part)
        out += [w.lower() for n, w in enumerate(words) if _NAME.search(w) or n and w[0].isupper()]
    return out


class DocumentWords:
    """The names that point to one document of a knowledge base: capitalised in nearly all of their uses there and
    written as a name at least once ("GCP", "SageMaker", "in Azure"; not "Create", capitalised only where it opens
    a heading), used at least MIN_USES times in its rules, and never in another document's."""

    def __init__(self, kb: KnowledgeBase):
        uses = {d: Counter() for d in kb.documents}
        capitalised = {d: Counter() for d in kb.documents}
        named = {d: Counter() for d in kb.documents}
        for r in kb.rules:
            if r.source_file in uses:
                text = f"{r.section} > {r.text}"
                words = _WORD.findall(text)
                uses[r.source_file].update(w.lower() for w in words)
                capitalised[r.source_file].update(w.lower() for w in words if not w.islower())
                named[r.source_file].update(_names(text))
        # capitalised nearly always, and at least once where nothing else would capitalise it ("in Azure"): a name
        self.owner = {term: d for d, counts in uses.items() for term, n in counts.items()
                      if n >= MIN_USES and capitalised[d][term] >= NAME_SHARE * n and named[d][term]
                      and not any(term in other for o, other in uses.items() if o != d)}

    def named(self, text: str) -> str | None:
        """The one document whose names ``text`` writes as names ("on GCP", "my SageMaker job"), or None (none, or
        names of two documents)."""
        found = {self.owner[t] for t in _names(text) if t in self.owner}
        return next(iter(found)) if len(found) == 1 else None


def routed(assistant, text: str):
    """``assistant``, or its view of the one document ``text`` names; only an assistant over several documents
    routes (a view of one document, or a corpus of one, answers as it is)."""
    if assistant.scope is not None or len(assistant.kb.documents) < 2:
        return assistant
    if (words := getattr(assistant, "_document_words", None)) is None:
        words = assistant._document_words = DocumentWords(assistant.kb)
    document = words.named(text)
    return assistant if document is None else assistant.scoped(document)
