"""Which of several documents a question is about, by the names only that document uses: "… on GCP", "my
SageMaker training" name one cheat sheet of a corpus holding three exams' notes. Such a question is answered from
that document alone, as ``--doc`` would, instead of from whichever document's row happens to fit best (the
Azure exam's fee for "what does the AWS exam cost?", SageMaker's Model Monitor for "data drift on GCP")."""
from __future__ import annotations

from studyassist.answer.resolve import Conversation, follows_up
from studyassist.knowledge.model import KnowledgeBase
from studyassist.knowledge.propernames import NameCounts, names_in

MIN_USES = 3  # times a name must appear in a document's rules to name that document (once may be in passing)


class DocumentWords:
    """The names that point to one document of a knowledge base: capitalised in nearly all of their uses there and
    written as a name at least once ("GCP", "SageMaker", "in Azure"; not "Create", capitalised only where it opens
    a heading), used at least MIN_USES times in its rules, and never in another document's."""

    def __init__(self, kb: KnowledgeBase):
        counts = {d: NameCounts(f"{r.section} > {r.text}" for r in kb.rules if r.source_file == d)
                  for d in kb.documents}
        self.owner = {term: d for d, c in counts.items() for term, n in c.uses.items()
                      if n >= MIN_USES and c.written_as_name(term)
                      and not any(term in other.uses for o, other in counts.items() if o != d)}

    def named(self, text: str) -> str | None:
        """The one document whose names ``text`` writes as names ("on GCP", "my SageMaker job"), or None (none, or
        names of two documents)."""
        found = {self.owner[t] for t in names_in(text) if t in self.owner}
        return next(iter(found)) if len(found) == 1 else None


def routed(assistant, text: str, conversation: Conversation | None = None):
    """``assistant``, or its view of the one document ``text`` names, or, for a follow-up that names none, of the one
    document the previous answer cited ("and which one is for a data warehouse then?" after Firestore vs Bigtable:
    the GCP notes, not the AWS notes' Redshift); only an assistant over several documents routes (a view of one
    document, or a corpus of one, answers as it is)."""
    if assistant.scope is not None or len(assistant.kb.documents) < 2:
        return assistant
    if (words := getattr(assistant, "_document_words", None)) is None:
        words = assistant._document_words = DocumentWords(assistant.kb)
    document = words.named(text)
    if document is None and conversation is not None and conversation.last is not None and follows_up(text):
        cited = {assistant.kb.rule(r).source_file for r in conversation.last.rule_ids if assistant.kb.has_rule(r)}
        document = next(iter(cited)) if len(cited) == 1 else None
    return assistant if document is None else assistant.scoped(document)
