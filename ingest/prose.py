"""Rules from prose: the paragraphs of a document of prose alone, and the prose sections of a document of tables
and lists."""
from __future__ import annotations

import re

from studyassist.knowledge.model import Rule

DEFINED_WORDS = 5  # a heading of at most this many words over prose names what the prose defines
_ASKING = re.compile(r"\?|^(how|why|what|when|which|where|who)\b", re.I)


def passage_rules(doc, sections) -> list[Rule]:
    """A document with no table, list or trap (its sections not promotional): each paragraph a passage rule, so an
    answer can cite it."""
    return [r for s in sections for r in _passages(doc, s, s.paragraphs)]


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
            out += _passages(doc, s, paragraphs)
    return out


def _passages(doc, section, paragraphs) -> list[Rule]:
    return [Rule(id=f"{section.id}-passage#{n}", kind="passage", section=section.path_text, table=None, row=n,
                 cells={}, situation="", choice=para, area=section.area or "", source_file=doc.name)
            for n, para in enumerate(paragraphs, start=1)]
