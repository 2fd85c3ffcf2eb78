"""A learner's progress as JSON lines, and back: a backup, a move to another machine, or (later) from SQLite to a
shared database. One line says what the file is, then one line per profile, per answer and per question shown.

Review cards are not written: they follow from the answers (each one reschedules its rule's FSRS card), so an
import replays the answers of every rule it adds to and the cards come out as if the answers had been given here.
An answer already in the database (same profile and question) is skipped, so importing a file twice, or a file
that overlaps what is here, adds nothing twice. A file with any bad line imports nothing.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from studyassist.errors import InputError
from studyassist.study.names import profile_key, profile_problem, shown
from studyassist.study.progress import MAX_OPTIONS, SOURCES, ProgressStore, reviewed, save_card

KIND, VERSION = "studyassist-progress", 1
MAX_BYTES = 200 * 2**20  # a progress file of 200 MB would be a million answers: past that it is not one
_ATTEMPT_TEXTS = ("profile", "item_id", "rule_id", "area", "stem", "answered_at")


@dataclass(frozen=True)
class Imported:
    profiles: int
    answers: int
    skipped: int
    cards: int

    def sentence(self, path: Path) -> str:
        kept = f" ({self.skipped} already here)" if self.skipped else ""
        return (f"Imported {self.answers} answer{'s' if self.answers != 1 else ''}{kept} for {self.profiles} "
                f"profile{'s' if self.profiles != 1 else ''} from {shown(path)}; {self.cards} review card"
                f"{'s' if self.cards != 1 else ''} rebuilt.")


def export_lines(store: ProgressStore, profile: str | None = None) -> tuple[bytes, int]:
    """The JSON-lines file of ``profile``'s progress (every profile's when None) and its number of answers."""
    where, params = ("WHERE profile = ?", (profile_key(profile),)) if profile is not None else ("", ())
    named = "WHERE name = ?" if profile is not None else ""
    with store.transaction() as conn:  # one snapshot: answers written meanwhile are in it whole or not at all
        profiles = conn.execute(f"SELECT name, created_at FROM profiles {named} ORDER BY name", params).fetchall()
        attempts = conn.execute("SELECT profile, item_id, rule_id, area, chosen, answer, correct, source, stem,"
                                f" answered_at, options FROM attempts {where} ORDER BY id", params).fetchall()
        items = conn.execute("SELECT id, body, created_at FROM items WHERE id IN (SELECT item_id FROM attempts "
                             f"{where}) ORDER BY id", params).fetchall()
    lines = [{"type": KIND, "version": VERSION, "exported_at": datetime.now(UTC).isoformat()}]
    lines += [{"type": "profile", "name": n, "created_at": c} for n, c in profiles]
    lines += [{"type": "attempt", "profile": p, "item_id": i, "rule_id": r, "area": a, "chosen": ch, "answer": an,
               "correct": bool(ok), "source": s, "stem": st, "answered_at": at, "options": json.loads(o) if o else []}
              for p, i, r, a, ch, an, ok, s, st, at, o in attempts]
    lines += [{"type": "item", "id": i, "body": b, "created_at": c} for i, b, c in items]
    text = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)
    return text.encode("utf-8"), len(attempts)


def import_file(store: ProgressStore, path: Path) -> Imported:
    """Add the progress in ``path`` to the store, in one transaction; an InputError naming the line if any is bad."""
    records = _read(Path(path))
    profiles = {r["name"]: r["created_at"] for r in records if r["type"] == "profile"}
    attempts = [r for r in records if r["type"] == "attempt"]
    for a in attempts:
        profiles.setdefault(a["profile"], a["answered_at"])
    added: set[tuple[str, str]] = set()
    inserted = 0
    with store.transaction() as conn:
        for name, created in profiles.items():
            conn.execute("INSERT INTO profiles (name, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING",
                         (name, created))
        for a in attempts:
            cursor = conn.execute(
                "INSERT INTO attempts (profile, item_id, rule_id, area, chosen, answer, correct, source, stem,"
                " answered_at, options) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (a["profile"], a["item_id"], a["rule_id"], a["area"], a["chosen"], a["answer"], int(a["correct"]),
                 a["source"], a["stem"], a["answered_at"],
                 json.dumps(a["options"], ensure_ascii=False) if a["options"] else None))
            if cursor.rowcount:
                inserted += 1
                added.add((a["profile"], a["rule_id"]))
        for r in records:
            if r["type"] == "item":
                conn.execute("INSERT INTO items (id, body, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                             (r["id"], r["body"], r["created_at"]))
        for profile, rule_id in sorted(added):  # each card as if its answers, old and new, were given here in order
            rows = conn.execute("SELECT correct, answered_at, area FROM attempts WHERE profile = ? AND rule_id = ?"
                                " ORDER BY answered_at, id", (profile, rule_id)).fetchall()
            card, area = None, rows[-1][2]
            for correct, when, _ in rows:
                card = reviewed(card, rule_id, bool(correct), datetime.fromisoformat(when))
            save_card(conn, profile, rule_id, area, card)
    return Imported(len(profiles), inserted, len(attempts) - inserted, len(added))


def _read(path: Path) -> list[dict]:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(f"{shown(path)} is {size / 2**20:,.0f} MB, more than a progress file can be "
                             f"({MAX_BYTES // 2**20} MB); nothing was imported.")
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise InputError(f"There is no file {shown(path)}; give the path of a file `progress export` wrote.") from None
    except UnicodeDecodeError:
        raise InputError(f"{shown(path)} is not UTF-8 text, so it is no progress file; nothing was imported.") from None
    except OSError as exc:
        raise InputError(f"Cannot read {shown(path)} ({exc.strerror or exc}); nothing was imported.") from None
    records = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError:
            raise _bad(path, n, "is not JSON") from None
        if not isinstance(record, dict):
            raise _bad(path, n, "is not a JSON object")
        if not records:
            if record.get("type") != KIND:
                raise InputError(f"{shown(path)} is not a studyassist progress file (its first line does not say "
                                 f"\"type\": \"{KIND}\"); nothing was imported.")
            if not isinstance(record.get("version"), int) or record["version"] > VERSION:
                raise _bad(path, n, f"is version {shown(repr(record.get('version')), 20)}, newer than this studyassist "
                                    f"reads ({VERSION}); update studyassist")
        else:
            problem = _problem(record)
            if problem:
                raise _bad(path, n, problem)
        records.append(record)
    if not records:
        raise InputError(f"{shown(path)} is empty; nothing was imported.")
    return records[1:]


def _problem(r: dict) -> str | None:
    """What is wrong with one record (which it normalises in place: profile names as stored), or None."""
    kind = r.get("type")
    if kind == "profile":
        return _name(r, "name") or _texts(r, ("created_at",)) or _time(r, "created_at")
    if kind == "item":
        return _texts(r, ("id", "body", "created_at"))
    if kind != "attempt":
        return f"has an unknown type {shown(repr(kind), 30)} (profile, attempt or item)"
    problem = _name(r, "profile") or _texts(r, _ATTEMPT_TEXTS) or _time(r, "answered_at")
    if problem:
        return problem
    options = r.get("options", [])
    if not isinstance(options, list) or len(options) > MAX_OPTIONS or not all(isinstance(o, str) for o in options):
        return f"has 'options' that are not a list of up to {MAX_OPTIONS} texts"
    last = max(len(options), 4) - 1
    for field in ("chosen", "answer"):
        value = r.get(field)
        if type(value) is not int or not 0 <= value <= last:
            return f"has a '{field}' that is not a whole number from 0 to {last}"
    if not isinstance(r.get("correct"), bool) or r["correct"] != (r["chosen"] == r["answer"]):
        return "has a 'correct' that is not true exactly when 'chosen' equals 'answer'"
    if r.get("source") not in SOURCES:
        return f"has a 'source' that is not one of {', '.join(SOURCES)}"
    return None


def _name(r: dict, field: str) -> str | None:
    value = r.get(field)
    problem = profile_problem(value) if isinstance(value, str) else "it is not a text"
    if problem:
        return f"has a '{field}' that cannot be a profile name ({problem})"
    r[field] = profile_key(value)
    return None


def _texts(r: dict, fields: tuple[str, ...]) -> str | None:
    missing = [f for f in fields if not isinstance(r.get(f), str) or not r[f]]
    return f"lacks the text field{'s' if len(missing) > 1 else ''} {', '.join(missing)}" if missing else None


def _time(r: dict, field: str) -> str | None:
    try:
        moment = datetime.fromisoformat(r[field])
    except ValueError:
        return f"has a '{field}' that is not an ISO date and time"
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    r[field] = moment.strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")  # the store's fixed-width form sorts as time does
    return None


def _bad(path: Path, line: int, problem: str) -> InputError:
    return InputError(f"{shown(path)} line {line} {problem}; nothing was imported.")
