"""Which words a document writes as names: "GCP", "SageMaker", "in Azure", "Lightsail" — capitalised in nearly all
of their uses, as a name at least once where a sentence, a cell or a heading does not begin, or never in lower case
at all. One set of rules serves both routing a question to the one document whose names it uses
(answer/documents.py) and finding a document's one-word choices ("Textract", "Firestore") in a question."""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

NAME_SHARE = 0.8  # of a word's uses that must be capitalised for it to be a name
WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*")
_NAME = re.compile(r"^[A-Z][A-Z0-9]+$|^[A-Za-z][a-z0-9]*[A-Z]")  # "GCP", "AWS", "S3"; "SageMaker", "BigQuery"
_PART = re.compile(r"[|;:.!?()\[\]>\n]|\s[-–—]\s")  # where a cell, a sentence, a heading or an aside begins


def names_in(text: str) -> list[str]:
    """The words of ``text`` written as names: in capitals or with a capital inside anywhere ("GCP", "SageMaker"),
    or capitalised where a part of it does not begin ("on Azure"; "Create" opening a heading is no name)."""
    out = []
    for part in _PART.split(text):
        words = WORD.findall(part)
        out += [w.lower() for n, w in enumerate(words) if _NAME.search(w) or n and w[0].isupper()]
    return out


class NameCounts:
    """How often each word is used, capitalised, and written as a name, over some texts."""

    def __init__(self, texts: Iterable[str]):
        self.uses, self.capitalised, self.named = Counter(), Counter(), Counter()
        for text in texts:
            words = WORD.findall(text)
            self.uses.update(w.lower() for w in words)
            self.capitalised.update(w.lower() for w in words if not w.islower())
            self.named.update(names_in(text))

    def written_as_name(self, word: str) -> bool:
        """Capitalised nearly always and written as a name at least once ("in Azure"; not "Create", capitalised
        only where it opens a heading)."""
        return self.uses[word] > 0 and self.capitalised[word] >= NAME_SHARE * self.uses[word] and self.named[word] > 0

    def is_name(self, word: str) -> bool:
        """Written as a name (above), or never in lower case."""
        return self.written_as_name(word) or 0 < self.uses[word] == self.capitalised[word]
