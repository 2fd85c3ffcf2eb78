"""CLI commands that read a learner's progress: the review queue and card export."""
from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from studyassist.cli.common import JSON_HELP, PROFILE, add_command, print_json, progress_store
from studyassist.knowledge.model import KnowledgeBase
from studyassist.settings import get_settings
from studyassist.solve.mcq import LETTERS
from studyassist.study.export import export_apkg, export_csv
from studyassist.study.progress import due_in


def cmd_review(args) -> int:
    store = progress_store()
    kb = KnowledgeBase.load(get_settings().kb_path)
    now = datetime.now(UTC)
    due, upcoming = store.due_rules(args.profile, now), store.upcoming_rules(args.profile, now)
    mistakes = store.mistakes_by_rule(args.profile)
    last = store.last_misses(args.profile)
    if args.json:
        print_json({"profile": args.profile, "due": due,
                     "upcoming": [{"rule_id": r, "due": when.isoformat()} for r, when in upcoming],
                     "mistakes": [m._asdict() | {"last_missed": str(m.last_missed)}
                                  | _last_question(last.get(m.rule_id)) for m in mistakes],
                     "areas": {a: list(v) for a, v in store.area_accuracy(args.profile).items()}})
        return 0
    if not mistakes:
        answered = sum(t for _, t in store.area_accuracy(args.profile).values())
        print(f"Profile '{args.profile}' has {answered} answer{'s' if answered != 1 else ''}, all correct, so nothing "
              "is due for review; run `studyassist quiz` to practise." if answered else
              f"No answers logged for profile '{args.profile}' yet; run `studyassist quiz` to practise.")
        return 0
    print(f"Due now ({len(due)}):" if due else "Due now: nothing.")
    for rid in due:
        print(f"  - {_rule_line(kb, rid)}")
    if upcoming:
        print(f"\nComing up ({len(upcoming)}):")
        for rid, when in upcoming:
            print(f"  - {_rule_line(kb, rid)} (due in {due_in(when - now)})")
    print("\nMistake log by rule:")
    for m in mistakes:
        print(f"  {m.rule_id} [{m.area}] missed {m.misses} of {m.attempts}")
        miss = last.get(m.rule_id)
        if miss is not None:
            stem = miss.stem if len(miss.stem) <= 100 else miss.stem[:99] + "…"
            print(f"      last missed{' (pasted)' if miss.source == 'pasted' else ''}: {stem}")
    return 0


def _rule_line(kb, rule_id: str) -> str:
    r = kb.rule(rule_id) if kb.has_rule(rule_id) else None
    return f"{rule_id}: {r.situation} → {r.choice}" if r else rule_id


def _last_question(miss) -> dict:
    """The last missed question on a rule, for `review --json`: its stem, where it came from, the pick and key."""
    if miss is None:
        return {}
    letters = LETTERS
    return {"last_question": {"stem": miss.stem, "source": miss.source, "options": list(miss.options),
                              "chosen": letters[miss.chosen], "answer": letters[miss.answer]}}


def cmd_export(args) -> int:
    kb = KnowledgeBase.load(get_settings().kb_path)
    out = Path(args.out or f"studyassist-{args.profile}.{args.format}")
    fn = export_apkg if args.format == "apkg" else export_csv
    n = fn(progress_store(), kb, args.profile, out)
    if args.json:
        print_json({"path": str(out), "cards": n, "format": args.format})
    else:
        print(f"Wrote {n} card(s) for missed rules to {out}.")
    return 0


def register(sub) -> None:
    """Add review and export to the parser."""
    profile = PROFILE
    r = add_command(sub, "review", "spaced review: rules due now, rules coming up, and the mistake log by rule")
    r.add_argument("--profile", **profile)
    r.add_argument("--json", action="store_true", help=JSON_HELP)
    r.set_defaults(func=cmd_review)

    p = add_command(sub, "export", "export missed rules as Anki (.apkg) or CSV cards")
    p.add_argument("--format", choices=("apkg", "csv"), default="apkg", help="apkg (Anki deck, default) or csv")
    p.add_argument("--out", help="output file (default: studyassist-PROFILE.FORMAT here)")
    p.add_argument("--profile", **profile)
    p.add_argument("--json", action="store_true", help=JSON_HELP)
    p.set_defaults(func=cmd_export)
