"""CLI commands for practice, review, export, eval and bench (registered by cli_study.register)."""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from studyassist.errors import InputError

LETTERS = "ABCD"


def _print_json(obj) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")


def _store():
    from studyassist.study.progress import ProgressStore

    return ProgressStore()


def _letter_index(letter: str, n: int = 4) -> int:
    want = (letter or "").strip().strip("()").rstrip(").:").upper()
    if len(want) != 1 or want not in LETTERS[:n]:
        raise InputError(f"'{letter}' is not an option letter; answer with one of {', '.join(LETTERS[:n])}.")
    return LETTERS.index(want)


def _show(item, n: int | None = None) -> None:
    head = f"Question {n}" if n else "Question"
    print(f"\n{head} [{item.area}] ({item.id})\n{item.stem}")
    for letter, option in zip(LETTERS, item.options):
        print(f"  {letter}) {option}")


def _ask_letter(prompt: str = "Your answer (A-D, or q to stop): ") -> str | None:
    """A letter typed at the terminal (asked again until it is one), or read from piped input, one a line
    (echoed; blank lines are skipped, any other line that is not a letter is an error). None at q or the end
    of the input."""
    typed = sys.stdin.isatty()
    while True:
        try:
            raw = input(prompt if typed else "").strip()
        except EOFError:
            return None
        if not typed:
            if not raw:
                continue  # a blank line between piped answers
            print(f"Your answer: {raw}")
        if raw.lower() in ("q", "quit", "exit"):
            return None
        try:
            _letter_index(raw)
            return raw
        except InputError as exc:
            if not typed:
                raise
            print(exc)


def _answer_and_explain(assistant, store, profile, item, letter: str, source: str = "quiz", as_json=False) -> bool:
    from studyassist.cli.study import print_sources
    from studyassist.study.practice import explain_item, record_answer

    chosen = _letter_index(letter)
    correct = record_answer(store, profile, item, chosen, source)
    explanation = explain_item(assistant, item, chosen)
    if as_json:
        _print_json({"item": item.id, "chosen": LETTERS[chosen], "correct": correct,
                     "explanation": explanation.markdown, "citations": [c.model_dump() for c in explanation.citations]})
    else:
        print(("Correct!" if correct else f"Not quite — the answer is {LETTERS[item.answer]}.") + "\n")
        print(explanation.markdown)
        print_sources(explanation.citations)
    return correct


def cmd_quiz(args) -> int:
    from studyassist.cli.study import load_assistant
    from studyassist.study.practice import next_items, save_items
    from studyassist.quiz.generator import check_request, generate_quiz

    assistant = load_assistant()
    check_request(args.count, args.area, args.difficulty, assistant.kb)
    store = _store()
    if args.json:
        items = generate_quiz(assistant, args.count, args.seed, area=args.area, difficulty=args.difficulty)
        save_items(store, items)
        _print_json([i.contract() for i in items])
        return 0
    seed = args.seed if args.seed is not None else int(time.time()) % 2**31
    items = next_items(assistant, store, args.profile, args.count, seed, area=args.area, difficulty=args.difficulty)
    interactive = sys.stdin.isatty()
    right = answered = 0
    for n, item in enumerate(items, 1):
        _show(item, n)
        if not interactive:
            continue
        letter = _ask_letter()
        if letter is None:
            break
        right += _answer_and_explain(assistant, store, args.profile, item, letter)
        answered += 1
    if interactive:
        skipped = f"; {len(items) - answered} skipped" if answered < len(items) else ""
        missed = " Missed rules are now in your review queue (`studyassist review`)." if right < answered else ""
        print(f"\n{right} of {answered} answered correct{skipped}.{missed}")
    else:
        print("\nAnswer with `studyassist answer ITEM_ID LETTER`.")
    return 0


def cmd_answer(args) -> int:
    from studyassist.cli.study import load_assistant
    from studyassist.study.practice import load_item

    store = _store()
    item = load_item(store, args.item)
    _letter_index(args.letter)
    _answer_and_explain(load_assistant(), store, args.profile, item, args.letter, as_json=args.json)
    return 0


def cmd_explain(args) -> int:
    from studyassist.cli.study import _read_text, load_assistant, pick_recorder, print_solution, print_sources, with_record
    from studyassist.solve.mcq import parse_pasted
    from studyassist.study.practice import explain_item, load_item
    from studyassist.solve.solver import Solver

    text = None
    if not args.item:  # say first that there is no question, then that there is no pick
        text = "" if not args.file and sys.stdin.isatty() else _read_text(args.file)
        if not text.strip():
            raise InputError("No question was given; pass --item ID for a generated question, or paste one on "
                             "standard input or with --file.")
    if not args.chose:
        raise InputError("Say which option you picked with --chose LETTER.")
    if args.item:
        store = _store()
        item = load_item(store, args.item)
        chosen = _letter_index(args.chose)
        assistant = load_assistant()
        exp = explain_item(assistant, item, chosen)
        logged = _log_explained_pick(store, args, item, chosen, assistant.kb)
        if args.json:
            _print_json(exp.model_dump(mode="json") | ({"recorded": logged.contract()} if logged else {}))
        else:
            print(exp.markdown)
            print_sources(exp.citations)
            if logged is not None:
                print(f"\n{logged.message}")
        return 0
    q = parse_pasted(text)
    q.index_of(args.chose)
    assistant = load_assistant()
    solution = Solver(assistant).solve(q, args.chose)
    logged = pick_recorder(args, assistant.kb)(q, solution)
    if args.json:
        _print_json(with_record(solution.contract(), logged))
    else:
        print_solution(q, solution, logged, assistant)
    return 0


def _log_explained_pick(store, args, item, chosen: int, kb):
    """A generated question's pick goes to the mistake log once: asking why after `answer` (which records it)
    does not count the attempt twice. None with ``--no-record``."""
    from studyassist.study.pasted import PastedRecord
    from studyassist.study.practice import record_answer

    if args.no_record:
        return None
    correct = chosen == item.answer
    if store.answered(args.profile, item.id):
        return PastedRecord(False, f"Not logged again: profile '{args.profile}' has already answered this question.",
                            item.id, item.rule_id, correct)
    record_answer(store, args.profile, item, chosen)
    where = kb.where(item.rule_id)
    if correct:
        return PastedRecord(True, f"Logged as a correct answer on {where} for profile '{args.profile}'.",
                            item.id, item.rule_id, True)
    return PastedRecord(True, f"Logged as a miss on {where} for profile '{args.profile}'; that rule is now in your "
                              "review queue.", item.id, item.rule_id, False)


def cmd_exam(args) -> int:
    from studyassist.cli.study import load_assistant
    from studyassist.study.practice import mock_exam, record_answer, save_items, score_exam

    assistant = load_assistant()
    seed = args.seed if args.seed is not None else int(time.time()) % 2**31
    items = mock_exam(assistant, args.count, seed)
    store = _store()
    save_items(store, items)
    if args.json:
        _print_json([i.contract() for i in items])
        return 0
    deadline = time.monotonic() + args.time_limit * 60 if args.time_limit else None
    answers: dict[str, int | None] = {}
    for n, item in enumerate(items, 1):
        if deadline and time.monotonic() > deadline:
            print("\nTime is up.")
            break
        _show(item, n)
        letter = _ask_letter()
        if letter is None:
            break
        answers[item.id] = _letter_index(letter)
        record_answer(store, args.profile, item, answers[item.id], source="exam")
    if not answers and not sys.stdin.isatty():  # nothing piped in: show the whole exam and how to take it
        for n, item in enumerate(items[1:], 2):
            _show(item, n)
        print(f"\nNo answers were piped in; to be scored, pipe one letter per line into the same exam, e.g. "
              f"`printf 'A\\nB\\n…' | studyassist exam --count {args.count} --seed {seed}`.")
        return 0
    report = score_exam(items, answers)
    total = sum(c for c, _ in report.values()), sum(t for _, t in report.values())
    skipped = len(items) - len(answers)
    print(f"\nScore: {total[0]}/{total[1]}" + (f" ({skipped} unanswered, counted wrong)" if skipped else ""))
    for area, (c, t) in sorted(report.items(), key=lambda kv: kv[1][0] / kv[1][1]):
        print(f"  {assistant.kb.area_name(area):35s} {c}/{t}")
    return 0


def cmd_eval(args) -> int:
    from evals.runner import run_eval, write_report

    try:
        report = run_eval(quiz_count=args.quiz_count, baseline=not args.no_baseline,
                          **({"sets": args.only} if args.only else {}))
    except ValueError as exc:  # an unknown --only set, or a gold file naming a rule the index lacks
        raise InputError(str(exc)) from None
    if args.report:
        write_report(report, Path(args.report))
    if args.json:
        sys.stdout.write(report.to_json() + "\n")
    else:
        print(report.table())
    failures = report.failures()
    for f in failures:
        print(f"below threshold: {f}", file=sys.stderr)
    return 1 if failures else 0


def cmd_bench(args) -> int:
    from studyassist.bench.runner import run_bench

    if args.matrix:
        args.scale, args.store = [1, 10, 100], ["embedded", "server"]
    return run_bench(args)


def _int_list(text: str) -> list[int]:
    import argparse

    try:
        values = [int(v) for v in text.split(",") if v.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a comma-separated list of whole numbers") from None
    if not values or any(v < 1 or v > 1000 for v in values):
        raise argparse.ArgumentTypeError(f"'{text}': each scale must be between 1 and 1000")
    return list(dict.fromkeys(values))


def _store_list(text: str) -> list[str]:
    import argparse

    values = [v.strip().lower() for v in text.split(",") if v.strip()]
    if not values or set(values) - {"embedded", "server"}:
        raise argparse.ArgumentTypeError(f"'{text}': choose embedded, server or embedded,server")
    return list(dict.fromkeys(values))


def _whole(minimum: int, what: str):
    """An argparse type: a whole number no smaller than ``minimum`` (``what`` says what to give instead)."""
    import argparse

    def whole_number(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{text}' is not a whole number; give {what}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"'{text}' is below {minimum}; give {what}")
        return value

    return whole_number


_COUNT = _whole(1, "how many questions, 1 or more")
_SEED = _whole(0, "any whole number from 0 up")


def register(sub) -> None:
    """Add the practice commands to the parser."""
    from ingest.areas import AREA_SEEDS

    from studyassist.cli import review as cli_review
    from studyassist.cli.main import JSON_HELP, add_command, profile_name
    from studyassist.cli.study import add_record_options

    profile = dict(default="default", type=profile_name, help="whose progress to use (default: default)")
    areas = ", ".join(a for a, _, _ in AREA_SEEDS)

    q = add_command(sub, "quiz", "practise with fresh scenario questions, answered one by one at a terminal")
    q.add_argument("--count", type=_COUNT, default=5, help="how many questions (default 5)")
    q.add_argument("--seed", type=_SEED, default=None, help="same seed, same quiz")
    q.add_argument("--area", help=f"only this exam area: {areas}")
    q.add_argument("--difficulty", default="mixed", help="easy, hard or mixed")
    q.add_argument("--profile", **profile)
    q.add_argument("--json", action="store_true", help=f"{JSON_HELP}: the questions with their keys, not asked")
    q.set_defaults(func=cmd_quiz)

    a = add_command(sub, "answer", "answer a question shown earlier, by its id (records it, explains it)")
    a.add_argument("item", help="the question's id, shown in parentheses after its area (e.g. q-4b4396ee76f9)")
    a.add_argument("letter", help="your answer: A, B, C or D")
    a.add_argument("--profile", **profile)
    a.add_argument("--json", action="store_true", help=JSON_HELP)
    a.set_defaults(func=cmd_answer)

    e = add_command(sub, "explain", "why your answer is (not) the best: --item ID or a pasted question")
    e.add_argument("--item", help="id of a generated question (standard input and --file are then not read)")
    e.add_argument("--file", help="a pasted question in a text file (default: standard input)")
    e.add_argument("--chose", help="the letter (or, for numbered options, the number) you picked")
    e.add_argument("--json", action="store_true", help=JSON_HELP)
    add_record_options(e, "your pick")
    e.set_defaults(func=cmd_explain)

    cli_review.register(sub, profile)

    x = add_command(sub, "exam", "a timed mock exam across all areas with a per-area score; without a terminal, "
                    "answers are read from standard input, one letter per line")
    x.add_argument("--count", type=_COUNT, default=20, help="how many questions (default 20)")
    x.add_argument("--seed", type=_SEED, default=None, help="same seed and count, same exam")
    x.add_argument("--time-limit", type=_whole(0, "minutes, 0 for no limit"), default=0, help="minutes (0: no limit)")
    x.add_argument("--profile", **profile)
    x.add_argument("--json", action="store_true", help=f"{JSON_HELP}: the questions with their keys, not asked")
    x.set_defaults(func=cmd_exam)

    v = add_command(sub, "eval", "run the eval suite against the gold sets, with the baseline beside it")
    v.add_argument("--json", action="store_true", help=JSON_HELP)
    v.add_argument("--report", help="write a markdown report here")
    v.add_argument("--quiz-count", type=_COUNT, default=40, help="generated items to check (default 40)")
    v.add_argument("--no-baseline", action="store_true", help="skip the tutorial-RAG baseline")
    v.add_argument("--only", nargs="+", metavar="SET", help="run only these gold sets: ask, solve, solve_heldout, "
                   "wrong_answers, quiz (default: all)")
    v.set_defaults(func=cmd_eval)

    b = add_command(sub, "bench", "latency, throughput and memory benchmark")
    b.add_argument("--json", action="store_true", help=JSON_HELP)
    b.add_argument("--scale", type=_int_list, default=[1],
                   help="corpus size multiplier(s), comma-separated: 1 is the review, N adds synthetic tables (1,10,100)")
    b.add_argument("--store", type=_store_list, default=["embedded"],
                   help="embedded, server (a `chroma run` the benchmark starts and stops), or both: embedded,server")
    b.add_argument("--matrix", action="store_const", dest="matrix", const=True, default=False,
                   help="the README table: --scale 1,10,100 --store embedded,server")
    b.add_argument("--quick", action="store_true", help="fewer repetitions")
    b.set_defaults(func=cmd_bench)
