"""The `studyassist` command line: a thin layer over the Python API. This entry registers every command group
(``corpus``, ``study``, ``practice``, ``review``, ``tools``) and turns domain errors into one-line messages."""
from __future__ import annotations

import argparse
import logging
import os
import re
import sys
from typing import NoReturn

from studyassist.cli import corpus, practice, review, study, tools
from studyassist.cli.common import resolve_profile
from studyassist.cli.output import terminal_output
from studyassist.errors import InputError, StudyAssistError
from studyassist.logs import quiet_libraries
from studyassist.settings import keep_private, mask_log_records
from studyassist.study.names import QUOTE_LIMIT, shown

log = logging.getLogger(__name__)


GROUPS = (corpus, study, practice, review, tools)  # each registers its commands, in --help order


# What argparse's own messages repeat of the input: the extra arguments, or one long word ('invalid choice: …',
# 'ignored explicit argument …', an unknown command).
_EXTRA_ARGUMENTS = re.compile(r"(?<=unrecognized arguments: ).+$", re.S)
_LONG_WORD = re.compile(rf"[^\s'\"]{{{QUOTE_LIMIT + 1},}}")


class Parser(argparse.ArgumentParser):
    """argparse whose own errors quote at most QUOTE_LIMIT characters of an argument (issue 16, item 10): a pasted
    5,000-character word is not echoed whole. Subcommands' parsers are of this class too (add_subparsers)."""

    def error(self, message: str) -> NoReturn:
        message = _EXTRA_ARGUMENTS.sub(lambda m: shown(m.group(0)), message)
        super().error(_LONG_WORD.sub(lambda m: shown(m.group(0)), message))


def build_parser() -> argparse.ArgumentParser:
    p = Parser(prog="studyassist", description="A grounded study assistant for decision-rule "
                      "review documents: ask, solve pasted questions, practise, review your mistakes.")
    sub = p.add_subparsers(dest="command", required=True)
    for group in GROUPS:
        group.register(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    """Run one command; everything it prints, on stdout and stderr, has its control characters dropped."""
    with terminal_output():
        return _run(argv)


def _run(argv: list[str] | None) -> int:
    keep_private()  # progress, the index and exports are the learner's own: 0600 files, 0700 folders
    os.environ.setdefault("TQDM_DISABLE", "1")
    mask_log_records()  # a base URL's user:password@ or ?key= never reaches the log
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    quiet_libraries()
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        resolve_profile(args)
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
