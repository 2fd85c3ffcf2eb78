"""CLI commands for practice: `studyassist quiz`, `answer`, `explain` and `exam`."""
from __future__ import annotations

import re
import sys
import time

from studyassist.cli.common import (
    JSON_HELP,
    PROFILE,
    add_command,
    add_doc_option,
    area_ids,
    doc_flag,
    letter_index,
    load_assistant,
    plural,
    print_json,
    print_sources,
    progress_store,
    read_text,
    short,
    whole,
)
from studyassist.cli.study import add_record_options, pick_recorder, print_solution, with_record
from studyassist.errors import InputError
from studyassist.quiz.types import OPTION_LETTERS, check_request
from studyassist.solve.mcq import parse_pasted
from studyassist.study.pasted import PastedRecord
from studyassist.study.practice import (
    explain_item,
    fresh_exam,
    load_item,
    mock_exam,
    next_items,
    record_answer,
    save_items,
    score_exam,
)

COUNT = whole(1, "how many questions, 1 or more")
SEED = whole(0, "any whole number from 0 up")


def show_item(item, n: int | None = None) -> None:
    head = f"Question {n}" if n else "Question"
    print(f"\n{head} [{item.area}] ({item.id})\n{item.stem}")
    for letter, option in zip(OPTION_LETTERS, item.options):
        print(f"  {letter}) {option}")


def ask_letter(prompt: str = "Your answer (A-D, or q to stop): ") -> str | None:
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
            letter_index(raw)
            return raw
        except InputError as exc:
            if not typed:
                raise
            print(exc)


def ask_each(items, on_answer, deadline: float | None = None) -> int:
    """Shows the items one by one and asks for each letter, typed or piped (``ask_letter``), passing it to
    ``on_answer(item, letter)``; stops at q, at the end of the input or at ``deadline`` (a ``time.monotonic()``).
    Returns how many were answered; with nothing piped in, every item has been shown, to be answered by id."""
    answered = 0
    for n, item in enumerate(items, 1):
        if deadline and time.monotonic() > deadline:
            print("\nTime is up.")
            break
        show_item(item, n)
        letter = ask_letter()
        if letter is None:
            break
        on_answer(item, letter)
        answered += 1
    if not answered and not sys.stdin.isatty():
        for n, item in enumerate(items[1:], 2):
            show_item(item, n)
    return answered


def _answer_and_explain(assistant, store, profile, item, letter: str, source: str = "quiz", as_json=False) -> bool:
    chosen = letter_index(letter)
    correct = record_answer(store, profile, item, chosen, source)
    explanation = explain_item(assistant, item, chosen)
    if as_json:
        print_json({"item": item.id, "chosen": OPTION_LETTERS[chosen], "correct": correct,
                     "explanation": explanation.markdown, "citations": [c.model_dump() for c in explanation.citations]})
    else:
        print(("Correct!" if correct else f"Not quite — the answer is {OPTION_LETTERS[item.answer]}.") + "\n")
        print(explanation.markdown)
        print_sources(explanation.citations)
    return correct


def practise(assistant, store, profile: str, items, source: str = "quiz") -> tuple[int, int]:
    """Asks the items one by one (typed or piped), recording and explaining each answer: (answered, right)."""
    right = 0

    def answer(item, letter: str) -> None:
        nonlocal right
        right += _answer_and_explain(assistant, store, profile, item, letter, source)

    return ask_each(items, answer), right


def practice_summary(right: int, answered: int, total: int) -> str:
    """ "3 of 4 correct; 1 skipped." with a pointer to the review queue after a miss."""
    if not answered:
        return "No question was answered."
    skipped = f"; {total - answered} skipped" if answered < total else ""
    missed = " Missed rules are now in your review queue (`studyassist review`)." if right < answered else ""
    return f"{right} of {answered} correct{skipped}.{missed}"


def fewer_note(made: int, asked: int, area: str | None = None) -> str | None:
    """What to say when fewer questions than asked for could be made without repeating a rule; with none made for
    the whole corpus, why (another area is no help then)."""
    if made >= asked:
        return None
    if made:
        return f"Only {plural(made, 'question')} could be made without repeating a rule."
    if area:
        return "No new question could be made here right now; try another area."
    return ("No question could be made: quizzes come from decision tables read with high confidence and from lists "
            "that define four or more terms, each question with one defensible key, and none of these rules gave "
            "one; `ask` and `solve` still use every rule.")


def cmd_quiz(args) -> int:
    assistant = load_assistant(args.doc)
    check_request(args.count, args.area, args.difficulty, assistant.kb)
    store = progress_store()
    seed = args.seed if args.seed is not None else int(time.time()) % 2**31
    # the questions this profile would be asked at a terminal (due reviews first), so --json shows the same quiz
    items = next_items(assistant, store, args.profile, args.count, seed, area=args.area, difficulty=args.difficulty)
    if args.json:
        print_json([i.contract() for i in items])
        note = fewer_note(len(items), args.count, args.area)
        if note:
            print(f"note: {note}", file=sys.stderr)
        return 0
    note = fewer_note(len(items), args.count, args.area)
    if note:
        print(note)
    if not items:
        return 1
    answered, right = practise(assistant, store, args.profile, items)
    if answered or sys.stdin.isatty():
        print(f"\n{practice_summary(right, answered, len(items))}")
    else:
        print("\nNo answers were piped in; answer with `studyassist answer ITEM_ID LETTER`.")
    return 0


def cmd_answer(args) -> int:
    store = progress_store()
    item = load_item(store, args.item)
    letter_index(args.letter)
    _answer_and_explain(load_assistant(), store, args.profile, item, args.letter, as_json=args.json)
    return 0


def cmd_explain(args) -> int:
    text = None
    if not args.item:  # say first that there is no question, then that there is no pick
        text = "" if not args.file and sys.stdin.isatty() else read_text(args.file)
        if not text.strip():
            raise InputError("No question was given; pass --item ID for a generated question, or paste one on "
                             "standard input or with --file.")
    if not args.chose:
        raise InputError("Say which option you picked with --chose LETTER.")
    if args.item:
        store = progress_store()
        item = load_item(store, args.item)
        chosen = letter_index(args.chose)
        assistant = load_assistant()  # the item knows its rule, whichever document it is in
        exp = explain_item(assistant, item, chosen)
        logged = _log_explained_pick(store, args, item, chosen, assistant.kb)
        if args.json:
            print_json(exp.model_dump(mode="json") | ({"recorded": logged.contract()} if logged else {}))
        else:
            print(exp.markdown)
            print_sources(exp.citations)
            if logged is not None:
                print(f"\n{logged.message}")
        return 0
    q = parse_pasted(text)
    q.index_of(args.chose)
    assistant = load_assistant(args.doc)
    solution = assistant.solver.solve(q, args.chose)
    logged = pick_recorder(args, assistant.kb)(q, solution)
    if args.json:
        print_json(with_record(solution.contract(), logged))
    else:
        print_solution(q, solution, logged, assistant)
    return 0


def _log_explained_pick(store, args, item, chosen: int, kb):
    """A generated question's pick goes to the mistake log once: asking why after `answer` (which records it)
    does not count the attempt twice. None with ``--no-record``."""
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
    assistant = load_assistant(args.doc)
    store = progress_store()
    if args.seed is None:  # a new exam: none of the questions answered lately
        seed = int(time.time()) % 2**31
        items = fresh_exam(assistant, store, args.profile, args.count, seed)
    else:  # exam N again, exactly: scored, not logged twice
        seed = args.seed
        items = mock_exam(assistant, args.count, seed)
    save_items(store, items)
    note = fewer_note(len(items), args.count)  # ("exam --count 20" of 12 questions had said nothing of the 8)
    if args.json:
        print_json([i.contract() for i in items])
        if note:
            print(f"note: {note}", file=sys.stderr)
        return 0
    if note:
        print(note)
    if not items:
        return 1
    deadline = time.monotonic() + args.time_limit * 60 if args.time_limit else None
    answers: dict[str, int | None] = {}
    retaken: list[str] = []

    def answer(item, letter: str) -> None:
        answers[item.id] = letter_index(letter)
        if store.answered(args.profile, item.id):  # the same exam again (its seed): scored, not logged twice
            retaken.append(item.id)
            return
        record_answer(store, args.profile, item, answers[item.id], source="exam")

    ask_each(items, answer, deadline)
    if not answers and not sys.stdin.isatty():  # nothing piped in: the whole exam is shown; say how to take it
        print(f"\nNo answers were piped in; to be scored, pipe one letter per line into the same exam, e.g. "
              f"`printf 'A\\nB\\n…' | studyassist exam --count {args.count} --seed {seed}{doc_flag(args)}`.")
        return 0
    report = score_exam(items, answers)
    total = sum(c for c, _ in report.values()), sum(t for _, t in report.values())
    skipped = len(items) - len(answers)
    print(f"\nScore: {total[0]}/{total[1]}" + (f" ({skipped} unanswered, counted wrong)" if skipped else ""))
    for area, (c, t) in sorted(report.items(), key=lambda kv: kv[1][0] / kv[1][1]):
        print(f"  {assistant.kb.area_name(area):35s} {c}/{t}")
    missed = [(n, item) for n, item in enumerate(items, 1) if answers.get(item.id) != item.answer]
    if missed:
        print(f"\nMissed ({len(missed)}):")
        for n, item in missed:
            chosen = answers.get(item.id)
            picked = f"you chose {OPTION_LETTERS[chosen]}" if chosen is not None else "unanswered"
            # the difference between the pick and the key when there is a pick, else why the key fits
            text = explain_item(assistant, item, chosen).markdown if chosen is not None else item.explanation
            first = next((line.strip("- ").strip() for line in text.splitlines() if line.strip()), "")
            why = re.sub(r"\*\*|\s*\[\d+\]", "", first)  # no markdown or source markers without their list
            print(f"  Q{n} ({item.id}): {picked}; the answer is {OPTION_LETTERS[item.answer]}) "
                  f"{item.options[item.answer]}.\n      {why}")
        print("  `studyassist explain --item ID --chose LETTER` explains a pick; missed rules are in `studyassist "
              "review`.")
    if retaken:
        print(f"\n{plural(len(retaken), 'answer')} to questions profile '{args.profile}' had already answered "
              f"{'was' if len(retaken) == 1 else 'were'} scored here but not logged again.")
    print(f"\nSeed {seed}: `studyassist exam --count {args.count} --seed {seed}{doc_flag(args)}` gives this exam "
          "again.")
    return 0


def register(sub) -> None:
    """Add quiz, answer, explain and exam to the parser."""
    profile = PROFILE

    q = add_command(sub, "quiz", "practise with fresh scenario questions, answered one by one at a terminal or "
                    "piped in, one letter per line")
    q.add_argument("--count", type=COUNT, default=5, help="how many questions (default 5)")
    q.add_argument("--seed", type=SEED, default=None, help="same seed, same quiz")
    q.add_argument("--area", type=short("an exam area's id"), help=f"only this exam area: {area_ids()}")
    q.add_argument("--difficulty", default="mixed", type=short("easy, hard or mixed"), help="easy, hard or mixed")
    q.add_argument("--profile", **profile)
    add_doc_option(q)
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
    add_doc_option(e)
    add_record_options(e, "your pick")
    e.set_defaults(func=cmd_explain)

    x = add_command(sub, "exam", "a timed mock exam across all areas with a per-area score; without a terminal, "
                    "answers are read from standard input, one letter per line")
    x.add_argument("--count", type=COUNT, default=20, help="how many questions (default 20)")
    x.add_argument("--seed", type=SEED, default=None, help="same seed and count, same exam")
    x.add_argument("--time-limit", type=whole(0, "minutes, 0 for no limit"), default=0, help="minutes (0: no limit)")
    x.add_argument("--profile", **profile)
    add_doc_option(x)
    x.add_argument("--json", action="store_true", help=f"{JSON_HELP}: the questions with their keys, not asked")
    x.set_defaults(func=cmd_exam)
