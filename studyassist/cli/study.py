"""CLI commands for asking and solving: `studyassist ask`, `studyassist solve`."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from studyassist.answer.resolve import Conversation
from studyassist.assistant import clean_question
from studyassist.cli.common import (
    JSON_HELP,
    PROFILE,
    add_command,
    add_doc_option,
    is_file,
    level_text,
    load_assistant,
    print_json,
    print_sources,
    read_text,
)
from studyassist.errors import InputError
from studyassist.settings import get_settings
from studyassist.solve.mcq import from_parts, parse_pasted
from studyassist.solve.verdict import headline
from studyassist.study.conversations import DEFAULT as DEFAULT_SESSION
from studyassist.study.conversations import ConversationFiles, session_name
from studyassist.study.names import shown
from studyassist.study.pasted import record_pasted
from studyassist.study.progress import ProgressStore


def cmd_ask(args) -> int:
    question = clean_question(args.question)  # fail fast, before loading the model
    session = session_name(args.session)
    files = ConversationFiles(get_settings().home)
    chat = files.load(session) if args.resume else Conversation()  # no previous question: said before loading
    if args.resume and chat.last is not None and not args.json:
        print(f"(continuing from: {chat.last.question})", file=sys.stderr)
    assistant = load_assistant(args.doc)
    answer = assistant.ask(question, chat)
    try:
        files.save(chat, session)
    except OSError as exc:  # the answer still counts; only the follow-up memory is lost
        print(f"warning: this question could not be kept for --continue ({exc.strerror or exc}).", file=sys.stderr)
    if args.json:
        print_json(answer.contract())
        return 0
    sure = not assistant.not_covered(answer)
    if sure:  # how sure the answer is belongs to it: shown with it, also when the output is saved or piped
        print(f"Confidence: {level_text(answer.confidence, answer.probability)}\n")
    print(answer.answer)
    print_sources(answer.citations)
    for w in answer.warnings:
        if w not in assistant.warnings:  # those were printed when the assistant loaded
            print(f"warning: {w}", file=sys.stderr)
    print(f"\n({answer.mode}, {answer.latency_ms:.0f} ms)", file=sys.stderr)
    return 0


def pick_recorder(args, kb):
    """``record(question, solution)``: logs a pasted question's pick for ``--profile`` (see pasted.py) and
    returns the PastedRecord; returns None without a pick or with ``--no-record``."""
    store = None

    def record(question, solution):
        nonlocal store
        if args.no_record or solution.chosen is None:
            return None
        store = store or ProgressStore()
        return record_pasted(store, kb, args.profile, question, solution)

    return record


def with_record(result: dict, record) -> dict:
    """The solve JSON plus a ``recorded`` object when the pick was considered for the mistake log."""
    return result | {"recorded": record.contract()} if record is not None else result


def cmd_solve(args) -> int:
    if args.jsonl:
        if args.file or args.chose:
            raise InputError(f"--jsonl reads every question and pick from its file, so drop --"
                             f"{'file' if args.file else 'chose'} (give \"chose\" on each line instead).")
        lines = _read_jsonl(args.jsonl)
        assistant = load_assistant(args.doc)
        solver, record = assistant.solver, pick_recorder(args, assistant.kb)
        for n, obj in lines:
            try:
                if isinstance(obj, InputError):
                    raise obj
                q = from_parts(obj.get("question", ""), obj.get("options", []))
                solution = solver.solve(q, obj.get("chose"))
                result = with_record(solution.contract(), record(q, solution))
            except InputError as exc:
                result = {"best": None, "error": f"line {n}: {exc}"}
            print_json(result)
        return 0
    q = parse_pasted(read_text(args.file))
    if args.chose:
        q.index_of(args.chose)  # validate before loading the model
    assistant = load_assistant(args.doc)
    solution = assistant.solver.solve(q, args.chose)
    logged = pick_recorder(args, assistant.kb)(q, solution)
    if args.json:
        print_json(with_record(solution.contract(), logged))
        return 0
    print_solution(q, solution, logged, assistant)
    return 0


def print_solution(q, solution, logged, assistant) -> None:
    """A solved pasted question as text: the answer (both, for "Select two."), why, feedback on the pick,
    sources, what happened to the pick, and warnings (a Chroma server that stopped answering, …) on stderr."""
    picks = solution.picks or [solution.best]
    print(f"{headline(solution.confidence, len(picks))}: " + ", ".join(q.label(q.letters.index(p)) for p in picks))
    print(f"Confidence: {level_text(solution.confidence, solution.probability)}\n")
    print(solution.explanation)
    if solution.chosen_feedback:
        print(f"\nYou chose {q.label(q.letters.index(solution.chosen))}:\n{solution.chosen_feedback}")
    print_sources(solution.citations)
    if logged is not None:
        print(f"\n{logged.message}")
    for w in solution.warnings:
        if w not in assistant.warnings:  # those were printed when the assistant loaded
            print(f"warning: {w}", file=sys.stderr)


def add_record_options(parser, what: str) -> None:
    """``--profile`` and ``--no-record`` for commands that log a pasted question's pick."""
    parser.add_argument("--profile", **{**PROFILE, "help": f"whose mistake log {what} goes to (default: "
                                                             "$STUDYASSIST_PROFILE, else the profile of the last "
                                                             "answer recorded, else 'default')"})
    parser.add_argument("--no-record", action="store_true",
                        help="do not log the pick in the mistake log / review queue")


def _read_jsonl(path: str) -> list[tuple[int, dict | InputError]]:
    """(line number, question object) per non-blank line; a line that is not a JSON object comes as its error,
    so that one bad line is reported in its place and the others are still answered."""
    p = Path(path)
    if not is_file(p):
        raise InputError(f"No file at {shown(path)}; give a .jsonl file with one question object per line.")
    out: list[tuple[int, dict | InputError]] = []
    for n, line in enumerate(p.read_text(encoding="utf-8", errors="replace").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except ValueError as exc:
            obj = InputError(f"This line is not valid JSON ({exc.msg}); write one {_JSONL_SHAPE} object per line.")
        if not isinstance(obj, dict | InputError):
            obj = InputError(f"This line is not a JSON object; write one {_JSONL_SHAPE} object per line.")
        out.append((n, obj))
    if not out:
        raise InputError(f"{shown(path)} has no question lines; write one {_JSONL_SHAPE} object per line.")
    return out


_JSONL_SHAPE = '{"question": …, "options": […], "chose"?: …}'


def register(sub) -> None:
    """Add ask and solve to the parser."""
    ask = add_command(sub, "ask", "answer a question from the review, with citations")
    ask.add_argument("question", help='the question, in quotes: "When is X the wrong choice?"')
    ask.add_argument("--continue", dest="resume", action="store_true",
                     help='a follow-up to the previous question ("and why not the other one?"), as in the app\'s chat')
    ask.add_argument("--session", default=DEFAULT_SESSION, metavar="NAME",
                     help="keep separate conversations by name (default: %(default)s)")
    ask.add_argument("--json", action="store_true", help=JSON_HELP)
    add_doc_option(ask)
    ask.set_defaults(func=cmd_ask)

    solve = add_command(sub, "solve", "solve a pasted multiple-choice question (stdin or --file): the stem, then "
                        "options as A) …, A. …, (A) …, 1. …, 1) … or one per line")
    solve.add_argument("--file", help="text file with the question and its options (default: standard input)")
    solve.add_argument("--chose", help="the letter (or, for numbered options, the number) you picked, "
                       "to be told why it is or is not best")
    solve.add_argument("--jsonl", metavar="FILE",
                       help="answer a file of {question, options, chose?} JSON objects, one per line, and print one "
                       "JSON result per line (always JSON, with or without --json; a bad line gets "
                       "{\"best\": null, \"error\"} in its place)")
    solve.add_argument("--json", action="store_true", help=JSON_HELP)
    add_doc_option(solve)
    add_record_options(solve, "a --chose pick (right or wrong)")
    solve.set_defaults(func=cmd_solve)
