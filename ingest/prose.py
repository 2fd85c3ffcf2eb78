"""Rules from prose: the paragraphs of a document of prose alone, and the prose sections of a document of tables
and lists."""
from __future__ import annotations

import re

from studyassist.knowledge.model import Rule

DEFINED_WORDS = 5  # a heading of at most this many words over prose names what the prose defines
_ASKING = re.compile(r"\?|^(how|why|what|when|which|where|who)\b", re.I)


def passage_rules(doc, sections) -> list[Rule]:
    """A document with no table, list or trap: each paragraph a passage rule, so an answer can cite it."""
    out = []
    for section in sections:
        if section.promotional:
            continue
        for n, para in enumerate(section.paragraphs, start=1):
            out.append(Rule(id=f"{section.id}-passage#{n}", kind="passage", section=" > ".join(section.path),
                            table=None, row=n, cells={}, situation="", choice=para, area=section.area or "",
                            source_file=doc.name))
    return out


def prose_rules(doc, sections) -> list[Rule]:
    """Sections of prose (with their paragraphs) in a document of tables and lists: under a heading that names
    something ("Azure Service Bus"), what its paragraphs say is when to choose it; under any other heading, each
    paragraph is a passage."""
    out = []
    for s, paragraphs in sections:
        if len(s.title.split()) <= DEFINED_WORDS and not _ASKING.search(s.title):
            out.append(Rule(id=f"{s.id}-defined#1", kind="list_item", section=s.path_text, table=None, row=1,
                            cells={}, situation=" ".join(paragraphs), choice=s.title, area=s.area or "",
                            source_file=doc.name))
        else:
            out += passage_rules(doc, [s.model_copy(update={"paragraphs": tuple(paragraphs)})])
    return out
