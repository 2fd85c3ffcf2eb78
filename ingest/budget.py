"""What indexing one file may cost, so that no file keeps ingest busy for minutes.

Ingest embeds each rule up to three times (its chunk, and the choice and the situation of its facet; a passage of
prose only once, its facet reusing its chunk's vector, though the budget still counts it three times) and each other
paragraph once; the embedding model reads at most MODEL_TOKENS word pieces of a text, and a text's word pieces are
at least its words and punctuation marks. Embedding costs a fixed part per text and a part per piece (on this
project's 2-core machine with 2 threads: 1.0 ms for a 4-piece text, 4.5 ms for 33 pieces, 42 ms for 250 — about
0.13 ms a piece plus TEXT_COST pieces' worth per text), and linking and storing a rule adds about ROW_COST pieces'
worth, so that is what a file's budget counts. MAX_FILE_COST is about 35 s of indexing on that machine (about a
minute on one thread). A 4.5 MB file of 15,000 lines like "a!?.,;:!?.,;:…" was 15,000 passages, 45,000 texts of
256 pieces to embed (minutes); within the budget it is its first 318 passages. The review costs 12,000; a table of
8,000 short rows would cost 440,000 (100 s to index) and keeps its first 4,500 or so."""
from __future__ import annotations

import re
from itertools import islice

from studyassist.knowledge.model import Rule, Section

MODEL_TOKENS = 256
TEXT_COST = 4  # pieces' worth of the fixed cost of embedding one text
ROW_COST = 16  # pieces' worth of linking a rule's concepts and storing its chunk and vectors
MAX_FILE_COST = 250_000
_PIECE = re.compile(r"\w+|[^\w\s]")


def embedding_cost(text: str) -> int:
    """What embedding ``text`` costs, in word pieces at least: its words and punctuation marks, up to the model's
    limit."""
    return sum(1 for _ in islice(_PIECE.finditer(text), MODEL_TOKENS))


def rule_cost(rule: Rule) -> int:
    """Its chunk, and its facet's choice and situation (the choice again when it has none, as a passage), and the
    work of linking and storing it."""
    whole = " ".join([rule.choice, rule.situation, *rule.cells.values(), *rule.notes.values()])
    texts = [whole, rule.choice, rule.situation or rule.choice]
    return sum(embedding_cost(t) for t in texts) + TEXT_COST * len(texts) + ROW_COST


def within_budget(name: str, rules: list[Rule], sections: list[Section]) -> tuple[list[Rule], list[Section],
                                                                                   str | None]:
    """The rules and the sections' paragraphs of file ``name`` that fit its budget, in document order (rules
    first, then the paragraphs that are not passages), and a warning naming the file when some did not."""
    spent, kept = 0, []
    for rule in rules:
        spent += rule_cost(rule)
        if spent > MAX_FILE_COST:
            break
        kept.append(rule)
    passages = {r.id for r in rules if r.kind == "passage"}
    kept_ids = {r.id for r in kept}
    out, dropped = [], len(rules) - len(kept)
    for section in sections:
        paragraphs = []
        for n, para in enumerate(section.paragraphs, start=1):
            rid = f"{section.id}-passage#{n}"
            if rid in passages:  # the passage rule is the paragraph: kept with it
                if rid in kept_ids:
                    paragraphs.append(para)
                continue
            if spent <= MAX_FILE_COST:
                spent += embedding_cost(para) + TEXT_COST
            if spent <= MAX_FILE_COST:
                paragraphs.append(para)
            else:
                dropped += 1
        out.append(section if len(paragraphs) == len(section.paragraphs) else
                   section.model_copy(update={"paragraphs": tuple(paragraphs)}))
    if not dropped:
        return rules, sections, None
    total = len(rules) + sum(len(s.paragraphs) for s in sections) - len(passages)
    return kept, out, (f"{name}: only its first {total - dropped:,} of {total:,} rows, items and paragraphs are "
                       "indexed, as the rest would take minutes to embed; split it into several files.")
