"""The CLI as a learner meets it: numbered options, sources under every cited text, the review queue, piped
exams, broken pipes, batch input, help text and profile names. Real index, model and SQLite throughout."""
from __future__ import annotations

import io
import json
import sys

import pytest
from test_faults import cli, no_traceback, one_sentence

from studyassist.cli import main

NUMBERED = ("A retail team scores ten million customer records every night and writes the results to storage.\n"
            "Which deployment option should they use?\n1. Managed online endpoint\n2. Batch endpoint\n"
            "3. Compute instance\n4. Run the notebook on a schedule\n")


class Terminal(io.StringIO):
    """Standard input that a person types at (the CLI asks questions one by one only then)."""

    def isatty(self) -> bool:
        return True


def run(monkeypatch, capsys, *args: str, stdin: str = "", tty: bool = False) -> tuple[int, str, str]:
    """``studyassist ARGS`` in this process, with ``stdin`` piped in (or typed, with ``tty``): (exit code, stdout,
    stderr)."""
    monkeypatch.setattr(sys, "stdin", (Terminal if tty else io.StringIO)(stdin))
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_solve_takes_numbered_options_and_a_numbered_pick(shared_index, monkeypatch, capsys):
    code, out, err = run(monkeypatch, capsys, "solve", "--chose", "1", "--no-record", stdin=NUMBERED)
    assert code == 0, err
    assert out.startswith("Best answer: B) Batch endpoint (option 2)\n")
    assert "You chose A) Managed online endpoint (option 1):" in out
    code, out, _ = run(monkeypatch, capsys, "solve", "--chose", "A", "--no-record", "--json", stdin=NUMBERED)
    assert code == 0 and json.loads(out)["chosen"] == "A" and json.loads(out)["best"] == "B"


def cited(out: str) -> None:
    """Every [n] marker in the text has its line under "Sources:"."""
    import re

    body, _, sources = out.partition("\nSources:\n")
    markers = set(re.findall(r"\[(\d+)\]", body))
    assert markers, out
    assert markers <= set(re.findall(r"^  \[(\d+)\] ", sources, re.M)), out


def test_every_text_with_citation_markers_lists_its_sources(index_home, monkeypatch, capsys):
    code, out, _ = run(monkeypatch, capsys, "quiz", "--count", "2", "--seed", "3", "--json")
    first, second = json.loads(out)
    wrong = "ABCD"[(first["answer"] + 1) % 4]
    code, out, err = run(monkeypatch, capsys, "answer", first["id"], wrong)
    assert code == 0, err
    cited(out)
    code, out, err = run(monkeypatch, capsys, "explain", "--item", second["id"], "--chose", wrong)
    assert code == 0, err
    cited(out)
    code, out, err = run(monkeypatch, capsys, "explain", "--chose", "A", "--no-record", stdin=NUMBERED)
    assert code == 0, err
    assert out.startswith("Best answer: B) Batch endpoint (option 2)")
    cited(out)
    code, out, err = run(monkeypatch, capsys, "quiz", "--count", "1", "--seed", "5", stdin="A\n", tty=True)
    assert code == 0, err
    cited(out.rsplit("\n\n", 1)[0])
