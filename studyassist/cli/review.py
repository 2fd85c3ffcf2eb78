"""CLI commands on a learner's progress: the review queue, a drill of the rules due, card export, and a backup of
the answers (`progress export/import`)."""
from __future__ import annotations

import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from studyassist.assistant import documents_named
from studyassist.cli.common import (
    JSON_HELP,
    PROFILE,
    add_command,
    add_doc_option,
    doc_flag,
    load_assistant,
    plural,
    print_json,
    progress_store,
)
from studyassist.cli.practice import COUNT, practice_summary, practise
from studyassist.errors import StudyAssistError
from studyassist.knowledge.model import KnowledgeBase
from studyassist.pack import pack_named
from studyassist.settings import get_settings
from studyassist.solve.mcq import LETTERS
from studyassist.study.backup import export_lines, import_file
from studyassist.study.cohort import cohort
from studyassist.study.export import apkg_file, csv_file, write_file
from studyassist.study.names import due_in
from studyassist.study.practice import review_items
from studyassist.study.readiness import LEVEL, MIN_ANSWERS, readiness

DRILL = 10  # due rules a drill takes up when --drill gives no number


def _knowledge(doc: str | None) -> tuple[KnowledgeBase, bool]:
    """The knowledge base (no model needed), or with ``doc`` its part for that document or exam; and whether a rule
    or area must be checked for belonging (only when scoped: the whole index keeps rules no longer in the review)."""
    settings = get_settings()
    kb = KnowledgeBase.load(settings.kb_path)
    if not doc:
        return kb, False
    return kb.only(set(documents_named(kb, pack_named(kb.pack, settings)[0], doc))), True


def cmd_review(args) -> int:
    if args.drill is not None:
        return _drill(args)
    store = progress_store()
    kb, scoped = _knowledge(args.doc)
    areas = {a.id for a in kb.areas}
    owns = (lambda rule_id: kb.has_rule(rule_id)) if scoped else (lambda rule_id: True)  # noqa: E731
    now = datetime.now(UTC)
    due = [r for r in store.due_rules(args.profile, now) if owns(r)]
    upcoming = [(r, when) for r, when in store.upcoming_rules(args.profile, now) if owns(r)]
    mistakes = [m for m in store.mistakes_by_rule(args.profile) if owns(m.rule_id)]
    accuracy = {a: v for a, v in store.area_accuracy(args.profile).items() if not scoped or a in areas}
    last = store.last_misses(args.profile)
    ready = readiness(store, args.profile, kb, now)
    if args.json:
        print_json({"profile": args.profile, "due": due, "readiness": ready.contract(),
                     "upcoming": [{"rule_id": r, "due": when.isoformat()} for r, when in upcoming],
                     "mistakes": [m._asdict() | {"last_missed": str(m.last_missed)}
                                  | _last_question(last.get(m.rule_id)) for m in mistakes],
                     "areas": {a: list(v) for a, v in accuracy.items()}})
        return 0
    if not mistakes:  # (of one document: say so, its answers elsewhere are not these)
        answered = sum(t for _, t in accuracy.values())
        on, quiz = f" on {args.doc}" if scoped else "", f"studyassist quiz{doc_flag(args)}"
        print(f"Profile '{args.profile}' has {answered} answer{'s' if answered != 1 else ''}{on}, all correct, so "
              f"nothing is due for review; run `{quiz}` to practise." if answered else
              f"No answers logged for profile '{args.profile}'{on} yet; run `{quiz}` to practise.")
        return 0
    print(f"Profile '{args.profile}'. " + (f"Due now ({len(due)}):" if due else "Due now: nothing."))
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
    if ready.overall is not None:
        e = ready.overall
        print(f"\nExam readiness: {e.p:.0%} ({LEVEL:.0%} sure it is {e.low:.0%}–{e.high:.0%}), "
              f"from {plural(e.answers, 'answer')}.")
    else:  # (a learner trial looked for it here and found nothing: `progress --help` promises it)
        print(f"\nExam readiness: estimated after {MIN_ANSWERS} answers ({ready.answered} so far).")
    return 0


def _drill(args) -> int:
    """Practise the rules due now: one fresh question each, answered, recorded and rescheduled like a quiz answer."""
    assistant = load_assistant(args.doc)
    store = progress_store()
    due = [r for r in store.due_rules(args.profile) if assistant.owns(r)]
    items = review_items(assistant, store, args.profile, args.drill, int(time.time()) % 2**31) if due else []
    if args.json:
        print_json([i.contract() for i in items])
        return 0
    if not items:
        upcoming = [when for r, when in store.upcoming_rules(args.profile) if assistant.owns(r)]
        soon = f"; the next comes back in {due_in(upcoming[0] - datetime.now(UTC))}" if upcoming else ""
        print(f"Nothing is due for review for profile '{args.profile}'{soon}." if not due else
              f"No question can be made on the {plural(len(due), 'rule')} due; `studyassist review` lists them.")
        return 0
    later = len(due) - len(items)
    print(f"Drill of {plural(len(items), 'rule')} due for review" + (f" ({later} more after it)." if later else "."))
    answered, right = practise(assistant, store, args.profile, items, source="review")
    if answered or sys.stdin.isatty():
        print(f"\n{practice_summary(right, answered, len(items))}")
    else:
        print("\nNo answers were piped in; answer with `studyassist answer ITEM_ID LETTER`.")
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
    kb, _ = _knowledge(args.doc)  # a scoped knowledge base exports only its document's rules
    out = Path(args.out or f"studyassist-{args.profile}.{args.format}")
    data, n = (apkg_file if args.format == "apkg" else csv_file)(progress_store(), kb, args.profile)
    if n == 0:  # an empty deck or a header-only file helps no one: nothing is written, and the exit code says so
        if args.json:
            print_json({"path": None, "cards": 0, "format": args.format})
            return 1
        raise NothingToExport(f"Nothing to export for profile '{args.profile}': no missed rule yet.")
    write_file(out, data)  # refuses a target that is not a regular file, leaving it as it is
    if args.json:
        print_json({"path": str(out), "cards": n, "format": args.format})
    else:
        print(f"Wrote {plural(n, 'card')} for missed rules to {out}.")
    return 0


class NothingToExport(StudyAssistError):
    """The profile has no missed rule, so there is no card to export (exit code 1)."""


def cmd_cohort(args) -> int:
    """A trainer's view of every learner here: per-area readiness and the most-missed rules, in numbers only."""
    kb, _ = _knowledge(args.doc)
    view = cohort(progress_store(), kb, top=args.top)
    if args.json:
        print_json(view.contract())
        return 0
    if not view.learners:
        print("No learner has answered yet; nothing to show.")
        return 0
    mean = f", mean {view.overall:.0%}" if view.overall is not None else ""
    print(f"Cohort: {plural(view.learners, 'learner')}, {plural(view.answers, 'answer')}; {view.ready} with an exam "
          f"readiness estimate{mean}.")
    print("\nPer area (mean readiness of the learners with an estimate; the lowest):")
    for a in view.areas:
        said = f"{a.readiness:.0%} ({plural(a.learners, 'learner')}, lowest {a.lowest:.0%})" if a.learners else \
            "no estimate yet"
        print(f"  {kb.area_name(a.area)}: {said}")
    if view.missed:
        print("\nRules missed by the most learners:")
        for m in view.missed:
            counts = f"{plural(m.learners, 'learner')}, {plural(m.misses, 'miss', 'misses')}"
            print(f"  {_rule_line(kb, m.rule_id)} — {counts}")
    return 0


def cmd_progress(args) -> int:
    """`progress export` / `progress import`: a profile's (or every profile's) answers as JSON lines, and back; bare
    `progress`, what a learner types to see how they are doing, shows the review's summary."""
    if args.action is None:
        args.drill = None
        return cmd_review(args)
    store = progress_store()
    if args.action == "import":
        done = import_file(store, Path(args.file))
        if args.json:
            print_json({"path": args.file, "profiles": done.profiles, "answers": done.answers,
                        "skipped": done.skipped, "cards": done.cards})
        else:
            print(done.sentence(Path(args.file)))
        return 0
    profile = None if args.all else args.profile
    out = Path(args.out or f"studyassist-progress-{profile or 'all'}.jsonl")
    data, n = export_lines(store, profile)
    write_file(out, data)  # whole or not at all, never through a link or into a device
    if args.json:
        print_json({"path": str(out), "answers": n, "profile": profile})
    else:
        whose = f"profile '{profile}'" if profile else "every profile"
        print(f"Wrote {plural(n, 'answer')} of {whose} to {out}.")
    return 0


def register(sub) -> None:
    """Add review and export to the parser."""
    profile = PROFILE
    r = add_command(sub, "review", "spaced review: rules due now, rules coming up, and the mistake log by rule")
    r.add_argument("--drill", nargs="?", const=DRILL, type=COUNT, metavar="N",
                   help=f"practise the rules due now (up to N, default {DRILL}), one question each, answered at a "
                        "terminal or piped in, one letter per line")
    r.add_argument("--profile", **profile)
    add_doc_option(r)
    r.add_argument("--json", action="store_true", help=JSON_HELP)
    r.set_defaults(func=cmd_review)

    p = add_command(sub, "export", "export missed rules as Anki (.apkg) or CSV cards")
    p.add_argument("--format", choices=("apkg", "csv"), default="apkg", help="apkg (Anki deck, default) or csv")
    p.add_argument("--out", help="output file (default: studyassist-PROFILE.FORMAT here)")
    p.add_argument("--profile", **profile)
    add_doc_option(p)
    p.add_argument("--json", action="store_true", help=JSON_HELP)
    p.set_defaults(func=cmd_export)

    c = add_command(sub, "cohort", "a trainer's view of every learner here: per-area readiness and the rules most "
                                    "of them miss (numbers only, no one's answers)")
    c.add_argument("--top", type=COUNT, default=10, help="how many most-missed rules to list (default 10)")
    add_doc_option(c)
    c.add_argument("--json", action="store_true", help=JSON_HELP)
    c.set_defaults(func=cmd_cohort)

    g = add_command(sub, "progress", "how you are doing (alone: readiness, mistakes and rules due, as `review` shows), "
                                     "or back it up or move it: `progress export` writes answers as JSON lines, "
                                     "`progress import FILE` adds them (cards rebuilt, nothing counted twice)")
    g.add_argument("--profile", **profile)
    add_doc_option(g)
    g.add_argument("--json", action="store_true", help=JSON_HELP)
    actions = g.add_subparsers(dest="action", help="export or import (none: show progress)")
    e = actions.add_parser("export", help="write a profile's answers (or every profile's) to a JSON-lines file")
    e.add_argument("--out", help="output file (default: studyassist-progress-PROFILE.jsonl here)")
    e.add_argument("--profile", **profile)
    e.add_argument("--all", action="store_true", help="every profile, not one")
    e.add_argument("--json", action="store_true", help=JSON_HELP)
    i = actions.add_parser("import", help="add the answers of a file `progress export` wrote")
    i.add_argument("file", help="the JSON-lines file")
    i.add_argument("--json", action="store_true", help=JSON_HELP)
    g.set_defaults(func=cmd_progress)
