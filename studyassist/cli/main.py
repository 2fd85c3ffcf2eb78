"""The `studyassist` command line: a thin layer over the Python API."""
from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from pathlib import Path

from studyassist.errors import InputError, StudyAssistError
from studyassist.logs import quiet_libraries
from studyassist.settings import get_settings

log = logging.getLogger(__name__)


JSON_HELP = "print machine-readable JSON only"


def add_command(sub, name: str, summary: str):
    """A subcommand whose --help starts with ``summary`` (also its line in `studyassist --help`)."""
    return sub.add_parser(name, help=summary, description=summary[0].upper() + summary[1:] + ".")


def profile_name(text: str) -> str:
    """An argparse type: a profile name (the app's rule, progress.clean_profile_name), with its spaces tidied."""
    from studyassist.study.progress import clean_profile_name

    name = clean_profile_name(text)
    if name is None:
        shown = text if len(text) <= 40 else text[:40] + "…"
        raise argparse.ArgumentTypeError(f"'{shown}' cannot be a profile name; use 1–40 letters, digits, spaces, "
                                         "dots, @, - or _, starting with a letter, digit or _")
    return name


def _print_json(obj) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")


class _StderrProgress:
    """A progress bar on stderr, shown only once the work has taken longer than a moment."""

    def __init__(self, label: str, delay: float = 0.5):
        self.label, self.delay, self.start, self.shown = label, delay, time.perf_counter(), False

    def __call__(self, done: int, total: int) -> None:
        if not self.shown and time.perf_counter() - self.start < self.delay and done < total:
            return
        self.shown = True
        width = 30
        filled = int(width * done / max(total, 1))
        sys.stderr.write(f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()


def cmd_ingest(args) -> int:
    from ingest.indexer import ingest

    settings = get_settings()
    result = ingest(settings, corpus=Path(args.corpus) if args.corpus else None, rebuild=args.rebuild,
                    progress=_StderrProgress("Embedding chunks"))
    for line in result.skipped + result.warnings:
        print(line, file=sys.stderr)
    if args.json:
        _print_json(result.to_dict())
    else:
        print(f"Indexed {result.documents} document(s): {result.tables} tables, {result.rules} rules, "
              f"{result.chunks} chunks ({result.embedded} embedded, {result.deleted} removed) "
              f"in {result.seconds:.2f} s into {settings.index_dir}.")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="studyassist", description="Grounded AI-300 study assistant.")
    sub = p.add_subparsers(dest="command", required=True)

    ing = add_command(sub, "ingest", "parse the corpus and build or update the index")
    ing.add_argument("--corpus", help="folder of review documents (default: the project's corpus/)")
    ing.add_argument("--rebuild", action="store_true", help="drop the index and embed everything again")
    ing.add_argument("--json", action="store_true", help=JSON_HELP)
    ing.set_defaults(func=cmd_ingest)

    from studyassist.cli import study as cli_study
    cli_study.register(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    import os
    os.environ.setdefault("TQDM_DISABLE", "1")
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    quiet_libraries()
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code = args.func(args)
        sys.stdout.flush()  # here, so that a reader that went away is caught below and not at exit
        return code
    except BrokenPipeError:
        # The reader stopped early (`studyassist review | head -3`): not an error. Point stdout at devnull so
        # the interpreter's last flush stays quiet too, and exit as a command killed by SIGPIPE would.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except StudyAssistError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
