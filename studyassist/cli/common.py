"""Helpers every command group of the CLI shares: JSON output, arguments, the loaded core, sources."""
from __future__ import annotations

import argparse
import json
import os
import shlex
import sys
import time
from collections.abc import Callable
from pathlib import Path

from ingest.indexer import changed_files, corpus_files
from studyassist.assistant import Assistant
from studyassist.cli.output import json_text, unfiltered
from studyassist.errors import CorpusError, InputError
from studyassist.pack import area_ids as pack_area_ids
from studyassist.quiz.types import OPTION_LETTERS
from studyassist.settings import get_settings
from studyassist.study.names import QUOTE_LIMIT, profile_key, profile_problem, shown
from studyassist.study.progress import ProgressStore

JSON_HELP = "print machine-readable JSON only"


def add_command(sub, name: str, summary: str):
    """A subcommand whose --help starts with ``summary`` (also its line in `studyassist --help`)."""
    return sub.add_parser(name, help=summary, description=summary[0].upper() + summary[1:] + ".")


def profile_name(text: str) -> str:
    """An argparse type: a profile's stored name (the app's rule, names.clean_profile_name): "Alice" is "alice"."""
    problem = profile_problem(text)
    if problem:
        raise argparse.ArgumentTypeError(f"'{shown(text, 40)}' cannot be a profile name; {problem}")
    return profile_key(text)


def area_ids() -> str:
    """The exam areas' ids for ``--area`` help: the exam pack's, or (without one) a pointer to where they are."""
    settings = get_settings()
    try:
        documents = [p.name for p in corpus_files(settings.corpus)]
    except CorpusError:
        documents = []
    ids = pack_area_ids(documents, settings)
    if ids:
        return ", ".join(ids)
    return "the id of one of the review's top-level headings (an unknown one lists them all)"


MAX_DIGITS = 100  # a count or a seed; beyond this it is a paste gone wrong (Python itself stops at 4,300)
PROFILE = dict(default=None, type=profile_name,
               help="whose progress to use (default: $STUDYASSIST_PROFILE, else the profile of the last answer "
                    "recorded, else 'default')")


def resolve_profile(args) -> None:
    """Fill in ``args.profile`` when the command has one and it was not given: STUDYASSIST_PROFILE, else the profile
    that recorded the last answer (a learner who practised as 'alice' and then runs `explain --chose B` means
    alice), else 'default'."""
    if getattr(args, "profile", "") is not None:
        return
    named = os.environ.get("STUDYASSIST_PROFILE", "").strip()
    if named:
        problem = profile_problem(named)
        if problem:
            raise InputError(f"STUDYASSIST_PROFILE '{shown(named, 40)}' cannot be a profile name; {problem}")
        args.profile = profile_key(named)
        return
    args.profile = progress_store().last_profile() or "default"


def whole(minimum: int, what: str):
    """An argparse type: a whole number no smaller than ``minimum`` (``what`` says what to give instead)."""

    def whole_number(text: str) -> int:
        digits = text.strip().lstrip("+-")
        if digits.isdigit() and len(digits) > MAX_DIGITS:
            raise argparse.ArgumentTypeError(f"'{shown(text, 20)}' has {len(digits):,} digits, more than the "
                                             f"{MAX_DIGITS} allowed; give {what}")
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{shown(text)}' is not a whole number; give {what}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"'{shown(text)}' is below {minimum}; give {what}")
        return value

    return whole_number


def short(what: str):
    """An argparse type: a word or two (an area id, a difficulty); a long paste is refused before it is echoed."""

    def short_text(text: str) -> str:
        if len(text) > QUOTE_LIMIT:
            raise argparse.ArgumentTypeError(f"'{shown(text, 20)}' is {len(text):,} characters long; give {what}")
        return text

    return short_text


def plural(n: int, word: str, many: str | None = None) -> str:
    """A count with its noun: "1 question", "2 questions", "0 questions" (``many`` for an irregular plural)."""
    return f"{n} {word if n == 1 else many or word + 's'}"


def print_json(obj) -> None:
    sys.stdout.write(json_text(json.dumps(obj, ensure_ascii=False)) + "\n")


class StderrProgress:
    """A progress bar on stderr, shown only once the work has taken longer than a moment."""

    def __init__(self, label: str | Callable[[], str], delay: float = 0.5):
        """``label``, or what makes it when the bar is first shown (work that is only needed if it is)."""
        self.label, self.delay, self.start, self.shown = label, delay, time.perf_counter(), False

    def __call__(self, done: int, total: int) -> None:
        if not self.shown and time.perf_counter() - self.start < self.delay and done < total:
            return
        if not self.shown and callable(self.label):
            self.label = self.label()
        self.shown = True
        width = 30
        filled = int(width * done / max(total, 1))
        err = unfiltered(sys.stderr)  # the bar redraws its line with \r, which printed text may not carry
        err.write(f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done >= total:
            err.write("\n")
        err.flush()


def _rebuild_label() -> str:
    """What a (re)build of the index waits for: the changed files (the manifest of the last build stays until the
    new one is written), or a first build. Worked out only when a rebuild shows its bar, not on every command."""
    changed = changed_files() if get_settings().manifest_path.exists() else []
    more = " …" if len(changed) > 3 else ""
    return f"Re-indexing {', '.join(changed[:3])}{more}" if changed else "Building the index"


def load_assistant(doc: str | None = None) -> Assistant:
    """The core, built once; a missing or stale index is (re)built with a progress bar on stderr. With ``doc``, the
    view that answers from that document (or exam) only."""
    assistant = Assistant(progress=StderrProgress(_rebuild_label))
    for w in assistant.warnings:
        print(f"warning: {w}", file=sys.stderr)
    return assistant.scoped(doc)


def add_doc_option(parser) -> None:
    """``--doc NAME`` (also spelled ``--exam``): one document of several, or one exam pack's documents."""
    parser.add_argument("--doc", "--exam", dest="doc", metavar="NAME", type=short("a document's file name"),
                        help="only this document of the corpus (its file name, with or without the extension) or "
                             "this exam (an exam pack's name); default: every document")


def doc_flag(args) -> str:
    """The ``--doc`` a command was given, as it would be typed again ("" without one)."""
    return f" --doc {shlex.quote(args.doc)}" if getattr(args, "doc", None) else ""


def progress_store() -> ProgressStore:
    """The progress database under STUDYASSIST_HOME."""
    return ProgressStore()


def level_text(level: str, probability: float | None) -> str:
    """A confidence level as a learner reads it: "likely (62%)", or "not sure" — the probability when calibrated."""
    word = "not sure" if level == "unsure" else level
    return f"{word} ({probability:.0%})" if probability is not None else word


def print_sources(citations) -> None:
    """The "Sources:" list that the [n] markers in a printed answer or explanation point to."""
    if not citations:
        return
    print("\nSources:")
    for n, c in enumerate(citations, start=1):
        where = f"{c.table}, row {c.row}" if c.table else f"{c.section}, item {c.row}"
        print(f"  [{n}] {c.id} — {where}: {c.text}")


def is_file(path: Path) -> bool:
    """Whether ``path`` is a file; a name the system refuses (too long, say) is no file rather than a traceback."""
    try:
        return path.is_file()
    except OSError:
        return False


def read_text(path: str | None) -> str:
    """A pasted question from ``path``, or from standard input when no path is given (not a terminal)."""
    if path:
        p = Path(path)
        if not is_file(p):
            raise InputError(f"No file at {shown(path)}; give the path of a text file with the question.")
        return p.read_text(encoding="utf-8", errors="replace")
    if sys.stdin.isatty():
        raise InputError("Paste the question on standard input or pass --file; nothing was given.")
    return sys.stdin.read()


def letter_index(letter: str, n: int = 4) -> int:
    """The option index of an answer letter (A-D), or a one-sentence error."""
    want = (letter or "").strip().strip("()").rstrip(").:").upper()
    if len(want) != 1 or want not in OPTION_LETTERS[:n]:
        raise InputError(f"'{shown(letter)}' is not an option letter; answer with one of "
                         f"{', '.join(OPTION_LETTERS[:n])}.")
    return OPTION_LETTERS.index(want)
