"""Export missed rules as flashcards: a CSV file or an Anki deck (.apkg via genanki)."""
from __future__ import annotations

import csv
import hashlib
import html
import logging
import os
from pathlib import Path

from studyassist.errors import InputError
from studyassist.knowledge.model import KnowledgeBase, Rule
from studyassist.study.progress import ProgressStore, RuleMistakes

log = logging.getLogger(__name__)

CSV_COLUMNS = ("front", "back", "rule_id", "area", "misses")
MODEL_NAME = "StudyAssist missed rule"
DECK_NAME = "StudyAssist::Missed rules"


def _stable_id(name: str) -> int:
    # Anki keys models and decks by id; a hash of a fixed name keeps re-imports updating, not duplicating.
    return (1 << 30) + int.from_bytes(hashlib.sha1(name.encode()).digest()[:4], "big") % (1 << 30)


# The note type of every card: front, back and the rule id, under a fixed id (re-imports update, not duplicate).
MODEL_ID = _stable_id(MODEL_NAME)
MODEL_SPEC = dict(
    fields=[{"name": "Front"}, {"name": "Back"}, {"name": "RuleId"}],
    templates=[{"name": "Missed rule", "qfmt": "{{Front}}", "afmt": "{{FrontSide}}<hr id=answer>{{Back}}"}],
    css=".card { font-family: sans-serif; font-size: 18px; text-align: left; }",
)


def question(rule: Rule) -> str:
    """The rule's situation phrased as a question."""
    situation = rule.situation.strip().rstrip(".")
    if rule.situation.strip().endswith("?"):
        return rule.situation.strip()
    leaf = rule.section.split(" > ")[-1]
    if rule.kind == "trap":
        return f"What trap does the review warn about under “{leaf}”?"
    if rule.anti_pattern and situation:
        return f"Which common mistake does this correct: {situation}?"
    if rule.sides:
        labels = " and ".join(side.label for side in rule.sides)
        return f"How do {labels} differ on: {situation}?"
    if not situation:
        return f"Which item does the review list under “{leaf}”?"
    return f"Which choice fits this situation: {situation}?"


def front_lines(kb: KnowledgeBase, rule: Rule) -> list[str]:
    """The card's front: the table title (when the rule is a table row) and the question."""
    title = [kb.table(rule.table).title] if rule.table else []
    return [*title, question(rule)]


def back_lines(rule: Rule) -> list[str]:
    """The card's back: the choice, its notes (why / watch for / trap) and a citation line."""
    if rule.sides:
        choice = [f"{side.label}: {side.text}" for side in rule.sides]
    elif rule.kind == "trap":
        choice = [f"{rule.choice}: {rule.situation}"]
    else:
        choice = [rule.choice]
    notes = [f"{label}: {text}" for label, text in rule.notes.items()]
    return [*choice, *notes, f"Source: {rule.section} — {rule.id}"]


def _missed(store: ProgressStore, kb: KnowledgeBase, profile: str) -> list[tuple[Rule, RuleMistakes]]:
    out = []
    for row in store.mistakes_by_rule(profile):
        if kb.has_rule(row.rule_id):
            out.append((kb.rule(row.rule_id), row))
        else:
            log.warning("missed rule %s is not in the knowledge base any more; not exported", row.rule_id)
    return out


def _write_atomically(path: Path, write) -> None:
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    try:
        write(tmp)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise InputError(f"Cannot write {path} ({exc.strerror or exc}); choose a folder you can write to.") from exc


def export_csv(store: ProgressStore, kb: KnowledgeBase, profile: str, path: Path) -> int:
    """Write one CSV row per missed rule (with a header row); return the number of cards."""
    missed = _missed(store, kb, profile)

    def write(target: Path) -> None:
        with open(target, "w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(CSV_COLUMNS)
            for rule, row in missed:
                writer.writerow(["\n".join(front_lines(kb, rule)), "\n".join(back_lines(rule)),
                                 rule.id, row.area, row.misses])

    _write_atomically(path, write)
    log.info("exported %d missed rules for %s to %s", len(missed), profile, path)
    return len(missed)


def export_apkg(store: ProgressStore, kb: KnowledgeBase, profile: str, path: Path) -> int:
    """Write an Anki deck with one note per missed rule; return the number of cards."""
    import genanki  # noqa: PLC0415 -- 25 ms to import: every CLI start would pay it for the export command

    model = genanki.Model(MODEL_ID, MODEL_NAME, **MODEL_SPEC)
    deck_name = f"{DECK_NAME}::{profile}"
    deck = genanki.Deck(_stable_id(deck_name), deck_name)
    missed = _missed(store, kb, profile)
    for rule, row in missed:
        deck.add_note(genanki.Note(
            model=model,
            fields=[_html(front_lines(kb, rule)), _html(back_lines(rule)), html.escape(rule.id)],
            guid=genanki.guid_for("studyassist", profile, rule.id),
            tags=["studyassist", _tag(row.area)],
        ))
    _write_atomically(path, lambda target: genanki.Package(deck).write_to_file(str(target)))
    log.info("exported %d missed rules for %s to %s", len(missed), profile, path)
    return len(missed)


def _html(lines: list[str]) -> str:
    return "<br>".join(html.escape(line) for line in lines)


def _tag(area: str) -> str:
    # Anki tags are space separated, so an area name must not contain spaces.
    return "area::" + "_".join(area.split())
