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


def run(monkeypatch, capsys, *args: str, stdin: str = "") -> tuple[int, str, str]:
    """``studyassist ARGS`` in this process, with ``stdin`` piped in: (exit code, stdout, stderr)."""
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
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
