"""Question cards across paragraphs: "**Exam Scenario:** …" and, a blank line below, "**Solution:** …" pose an exam
question and answer it as one card does on consecutive lines (``cards.py``); read apart, "Exam Scenario" would be a
term the notes define, and the answer a second one."""
from __future__ import annotations

from ingest.cards import ASKED, LABELLED, RIGHT
from ingest.parser import BulletList, Paragraph, TableBlock


def _labelled(block) -> tuple[str, str, str] | None:
    """(kind, label, text) of a paragraph, or a one-item list made of a bolded label, that is one labelled line of a
    card ("**Exam Scenario:** …", "**Answer:** …"), else None."""
    if isinstance(block, BulletList) and len(block.items) == 1 and not any(block.under):
        text = block.items[0]
    elif isinstance(block, Paragraph) and block.prose:
        text = block.text
    else:
        return None
    m = LABELLED.match(text)
    if not m or "\n" in text:
        return None
    label = m.group(1).strip()
    kind = next((k for k, p in (("asked", ASKED), ("right", RIGHT)) if p.match(label)), None)
    return (kind, label, m.group(2).strip()) if kind else None


def paired(blocks: list) -> list:
    """``blocks`` with each labelled question paragraph and the answer paragraph right after it ("**Exam Scenario:**
    … / **Solution:** …", a blank line apart) read as one card (a one-row table), and a question or answer label with
    no partner left as text: it names no term ("Exam Scenario" is no concept of the notes)."""
    out, i = [], 0
    while i < len(blocks):
        here = _labelled(blocks[i])
        after = _labelled(blocks[i + 1]) if i + 1 < len(blocks) else None
        if here and after and (here[0], after[0]) == ("asked", "right"):
            out.append(TableBlock([here[1], after[1]], [[here[2], after[2]]], blocks[i].line))
            i += 2
            continue
        out.append(Paragraph(f"{here[1]}: {here[2]}", blocks[i].line) if here else blocks[i])
        i += 1
    return out
