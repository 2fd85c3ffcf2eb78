"""The CLI as a learner meets it: numbered options, sources under every cited text, the review queue, piped
exams, broken pipes, batch input, help text and profile names. Real index, model and SQLite throughout."""
from __future__ import annotations

import io
import json
import re
import sys
from datetime import UTC

import pytest

from studyassist.cli.main import main

from conftest import one_sentence

NUMBERED = ("A retail team scores ten million customer records every night and writes the results to storage.\n"
            "Which deployment option should they use?\n1. Managed online endpoint\n2. Batch endpoint\n"
            "3. Compute instance\n4. Run the notebook on a schedule\n")


# How a solved question's first line starts, at each level of confidence (solve/verdict.py headline)
HEADLINE = re.compile(r"(Best answers?|Probably the best answers?|Not sure; the closest answers?): ")


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
    assert HEADLINE.match(out) and out.split("\n")[0].endswith(": B) Batch endpoint (option 2)"), out[:200]
    assert out.split("\n")[1].startswith("Confidence: ")
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
    assert HEADLINE.match(out) and out.split("\n")[0].endswith(": B) Batch endpoint (option 2)"), out[:200]
    cited(out)
    code, out, err = run(monkeypatch, capsys, "quiz", "--count", "1", "--seed", "5", stdin="A\n", tty=True)
    assert code == 0, err
    cited(out.rsplit("\n\n", 1)[0])


def test_the_review_queue_shows_what_is_coming_up_and_when(isolated_home):
    from datetime import datetime, timedelta

    from studyassist.study.progress import Attempt, ProgressStore

    t0 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
    store = ProgressStore()
    for item, rule, correct in (("q1", "r#1", False), ("q2", "r#2", True)):
        store.record(Attempt(profile="ana", item_id=item, rule_id=rule, area="deployment", chosen=int(not correct),
                             answer=0, correct=correct, source="quiz", stem="stem", answered_at=t0))
    assert store.due_rules("ana", t0) == []
    [(rule, due)] = store.upcoming_rules("ana", t0)  # a correct answer is not a rule to review
    assert rule == "r#1" and t0 < due <= t0 + timedelta(minutes=10)
    assert store.due_rules("ana", due) == ["r#1"] and store.upcoming_rules("ana", due) == []


def test_review_right_after_a_miss_says_when_the_rule_comes_back(index_home, monkeypatch, capsys):
    code, out, _ = run(monkeypatch, capsys, "quiz", "--count", "2", "--seed", "3", "--json")
    first, second = json.loads(out)
    run(monkeypatch, capsys, "answer", first["id"], "ABCD"[(first["answer"] + 1) % 4], "--profile", "ana")
    code, out, err = run(monkeypatch, capsys, "review", "--profile", "ana")
    assert code == 0, err
    assert "Profile 'ana'. Due now: nothing.\n\nComing up (1):\n  - " + first["rule_id"] + ": " in out
    assert "(due in 1 min)" in out
    code, out, _ = run(monkeypatch, capsys, "review", "--profile", "ana", "--json")
    assert [u["rule_id"] for u in json.loads(out)["upcoming"]] == [first["rule_id"]]

    run(monkeypatch, capsys, "answer", second["id"], "ABCD"[second["answer"]], "--profile", "bo")
    code, out, _ = run(monkeypatch, capsys, "review", "--profile", "bo")
    assert out == ("Profile 'bo' has 1 answer, all correct, so nothing is due for review; run `studyassist quiz` "
                   "to practise.\n")
    code, out, _ = run(monkeypatch, capsys, "review", "--profile", "bo", "--doc", "ai300")
    assert out == ("Profile 'bo' has 1 answer on ai300, all correct, so nothing is due for review; run "
                   "`studyassist quiz --doc ai300` to practise.\n")
    code, out, _ = run(monkeypatch, capsys, "review", "--profile", "cy")
    assert out == "No answers logged for profile 'cy' yet; run `studyassist quiz` to practise.\n"


def test_progress_alone_shows_how_the_learner_is_doing(index_home, monkeypatch, capsys):
    """A learner trial typed `studyassist progress` to see their progress and got an argparse error (the command only
    backed progress up); alone it now shows what `review` shows."""
    code, out, _ = run(monkeypatch, capsys, "quiz", "--count", "1", "--seed", "3", "--json")
    [item] = json.loads(out)
    run(monkeypatch, capsys, "answer", item["id"], "ABCD"[(item["answer"] + 1) % 4], "--profile", "dee")
    code, out, err = run(monkeypatch, capsys, "progress", "--profile", "dee")
    assert code == 0 and out == run(monkeypatch, capsys, "review", "--profile", "dee")[1] and item["rule_id"] in out, err
    from studyassist.study.readiness import MIN_ANSWERS  # (a third trial found no readiness in the text: it says when)

    assert out.rstrip().endswith(f"Exam readiness: estimated after {MIN_ANSWERS} answers (1 so far)."), out
    code, out, _ = run(monkeypatch, capsys, "progress", "--profile", "dee", "--json")
    assert [u["rule_id"] for u in json.loads(out)["upcoming"]] == [item["rule_id"]]


def test_a_piped_exam_says_how_to_answer_and_scores_piped_answers(index_home, monkeypatch, capsys):
    from studyassist.study.progress import ProgressStore

    code, out, err = run(monkeypatch, capsys, "exam", "--count", "3", "--seed", "4")
    assert code == 0, err
    assert out.count("\nQuestion ") == 3 and "Score" not in out
    assert out.endswith("No answers were piped in; to be scored, pipe one letter per line into the same exam, e.g. "
                        "`printf 'A\\nB\\n…' | studyassist exam --count 3 --seed 4`.\n")
    ids = [line.rsplit("(", 1)[1].rstrip(")") for line in out.splitlines() if line.startswith("Question ")]
    code, scoped, err = run(monkeypatch, capsys, "exam", "--count", "3", "--seed", "4", "--doc", "ai300")
    assert code == 0 and scoped.endswith("| studyassist exam --count 3 --seed 4 --doc ai300`.\n"), err  # as given

    code, out, err = run(monkeypatch, capsys, "exam", "--count", "3", "--seed", "4", "--profile", "ana",
                         stdin="A\n\nB\n")
    assert code == 0, err
    assert "Your answer: A\n" in out and "Your answer: B\n" in out
    assert "\nScore: " in out and "(1 unanswered, counted wrong)" in out
    attempts = ProgressStore().attempts("ana")
    assert [(a.item_id, a.source) for a in attempts] == [(i, "exam") for i in ids[:2]]
    # the report names every miss with its key and why, and the seed that gives the exam again
    wrong = [a.item_id for a in attempts if not a.correct] + [ids[2]]  # the third was left unanswered
    assert out.count("\n  Q") == len(wrong) and all(f"({i}): " in out for i in wrong), out
    assert f"Q3 ({ids[2]}): unanswered; the answer is " in out and "Why the key fits" in out
    assert out.endswith("\nSeed 4: `studyassist exam --count 3 --seed 4` gives this exam again.\n")

    # the same exam again, as its last line suggests: scored again, the two answered before not logged twice
    code, out, err = run(monkeypatch, capsys, "exam", "--count", "3", "--seed", "4", "--profile", "ana",
                         stdin="B\nC\nD\n")
    assert code == 0, err
    assert "\nScore: " in out and "2 answers to questions profile 'ana' had already answered were scored here but not " \
        "logged again." in out
    again = [(a.item_id, a.chosen) for a in ProgressStore().attempts("ana")]
    assert again == [(a.item_id, a.chosen) for a in attempts] + [(ids[2], 3)]  # the one left unanswered is new

    code, out, err = run(monkeypatch, capsys, "exam", "--count", "3", "--seed", "4", "--profile", "bo",
                         stdin="A\nZ\n")
    assert code == 2 and err == "error: 'Z' is not an option letter; answer with one of A, B, C, D.\n"


@pytest.mark.parametrize("args, message", [
    (["exam", "--time-limit", "-5"], "argument --time-limit: '-5' is below 0; give minutes, 0 for no limit"),
    (["quiz", "--count", "0"], "argument --count: '0' is below 1; give how many questions, 1 or more"),
    (["exam", "--seed", "x"], "argument --seed: 'x' is not a whole number; give any whole number from 0 up"),
])
def test_bad_numbers_are_refused_in_one_sentence(isolated_home, capsys, args, message):
    with pytest.raises(SystemExit) as exit_:
        main(args)
    assert exit_.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1].endswith(f"error: {message}")


@pytest.mark.parametrize("args, stdin", [
    (["review", "--profile", "ana"], ""),
    (["exam", "--count", "2", "--seed", "1"], ""),
    (["solve", "--no-record"], NUMBERED),
])
@pytest.mark.slow
def test_a_reader_that_stops_early_ends_the_command_quietly(index_home, args, stdin):
    """`studyassist … | head -3`: the pipe is closed before the command writes (here, before it starts)."""
    import os
    import subprocess

    from test_faults import PROJECT_ROOT

    env = {**os.environ, "STUDYASSIST_HOME": str(index_home), "HF_HUB_OFFLINE": "1", "OMP_NUM_THREADS": "1"}
    read, write = os.pipe()
    os.close(read)
    try:
        proc = subprocess.run([sys.executable, "-m", "studyassist", *args], cwd=PROJECT_ROOT, env=env, input=stdin,
                              stdout=write, stderr=subprocess.PIPE, text=True, timeout=300)
    finally:
        os.close(write)
    assert proc.stderr.strip() == "" and proc.returncode == 141, proc.stderr[-3000:]


def test_solve_jsonl_reports_every_bad_line_in_its_place(shared_index, tmp_path, monkeypatch, capsys):
    good = {"question": "We score 40M stored rows nightly. Which fits?",
            "options": ["1. Online endpoint", "2. Batch endpoint"], "chose": 1}
    path = tmp_path / "questions.jsonl"
    path.write_text("\n".join([json.dumps(good), "{not json", "[1, 2]", '{"question": "Which?", "options": ["x"]}',
                               "", json.dumps(good | {"chose": "C"})]) + "\n")
    code, out, err = run(monkeypatch, capsys, "solve", "--jsonl", str(path), "--no-record")
    assert code == 0, err
    results = [json.loads(line) for line in out.splitlines()]
    assert [r["best"] for r in results] == ["B", None, None, None, None]
    assert results[0]["chosen"] == "A"
    errors = [r["error"] for r in results[1:]]
    assert [e.split(":")[0] for e in errors] == ["line 2", "line 3", "line 4", "line 6"]
    assert "not valid JSON" in errors[0] and "not a JSON object" in errors[1]
    assert errors[2].endswith('give at least two option texts in "options".') and "own line" not in errors[2]
    assert "'C' is not one of this question's options (1-2 or A, B)." in errors[3]
    assert all(one_sentence(e.split(": ", 1)[1]) for e in errors)

    (tmp_path / "empty.jsonl").write_text("\n")
    for args in (["--jsonl", str(tmp_path / "empty.jsonl")], ["--jsonl", str(path), "--chose", "A"]):
        code, out, err = run(monkeypatch, capsys, "solve", *args)
        assert code == 2 and out == "" and one_sentence(err.removeprefix("error: ").strip()), err


@pytest.mark.parametrize("tty", [False, True])
def test_explain_without_a_question_says_so_before_asking_for_the_pick(isolated_home, monkeypatch, capsys, tty):
    code, out, err = run(monkeypatch, capsys, "explain", tty=tty)
    assert code == 2 and out == ""
    assert err == ("error: No question was given; pass --item ID for a generated question, or paste one on standard "
                   "input or with --file.\n")
    code, out, err = run(monkeypatch, capsys, "explain", stdin=NUMBERED)
    assert code == 2 and err == "error: Say which option you picked with --chose LETTER.\n"


def test_the_quiz_summary_counts_the_answered_questions(index_home, monkeypatch, capsys):
    code, out, err = run(monkeypatch, capsys, "quiz", "--count", "3", "--seed", "8", "--profile", "ana",
                         stdin="A\nq\n", tty=True)
    assert code == 0, err
    missed = " Missed rules are now in your review queue (`studyassist review`)."
    right = int("Correct!" in out)
    assert out.endswith(f"\n{right} of 1 correct; 2 skipped.{missed if right < 1 else ''}\n"), out
    code, out, err = run(monkeypatch, capsys, "quiz", "--count", "2", "--seed", "8", "--profile", "bo",
                         stdin="A\nB\n", tty=True)
    right = out.count("Correct!")
    assert out.endswith(f"\n{right} of 2 correct.{missed if right < 2 else ''}\n"), out


def test_every_command_and_option_has_help_text():
    import argparse

    from studyassist.cli.main import build_parser

    from conftest import ai300_pack

    [commands] = [a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)]
    assert len(commands.choices) == 16
    for name, parser in commands.choices.items():
        assert parser.description and parser.description.endswith("."), name
        for action in parser._actions:
            assert action.help, f"{name} {action.dest}"
    area = next(a for a in commands.choices["quiz"]._actions if a.dest == "area")
    assert all(a.id in area.help for a in ai300_pack().areas)


NAMES = ["default", "ana", "Ana María", "  kim  lee ", "a.b@c-d_e", "_x", "x" * 40, "", " ", "../../etc", "a/b",
         "x" * 41, "x" * 100, "-dash", ".dot", "tab\there", "semi;colon"]


def test_the_cli_takes_the_profile_names_the_app_takes(isolated_home, capsys):
    import argparse

    from studyassist.cli.common import profile_name
    from studyassist.ui.session import check_profile_name

    for name in NAMES:
        try:
            cli_name = profile_name(name)
        except argparse.ArgumentTypeError as exc:
            cli_name = None
            assert one_sentence(str(exc) + "."), str(exc)
        assert cli_name == check_profile_name(name), repr(name)
    for command in (["review"], ["quiz", "--count", "1"], ["solve", "--chose", "A"], ["export"], ["exam"]):
        with pytest.raises(SystemExit) as exit_:
            main([*command, "--profile", "../../etc"])
        assert exit_.value.code == 2
        assert capsys.readouterr().err.splitlines()[-1].endswith(
            "error: argument --profile: '../../etc' cannot be a profile name; use 1–40 letters, digits, spaces, "
            "dots, @, - or _, starting with a letter, digit or _")


def test_export_with_no_missed_rule_says_so_and_writes_nothing(shared_index, monkeypatch, capsys, tmp_path):
    target = tmp_path / "cards.csv"
    code, out, err = run(monkeypatch, capsys, "export", "--profile", "nobody-yet", "--format", "csv", "--out",
                         str(target))
    assert code == 1 and out == "" and not target.exists(), (out, err)
    assert err == "error: Nothing to export for profile 'nobody-yet': no missed rule yet.\n"
    assert one_sentence(err.removeprefix("error: ").strip()) and len(err) <= 80 + len("error: \n")
    code, out, err = run(monkeypatch, capsys, "export", "--profile", "nobody-yet", "--json", "--out", str(target))
    assert code == 1 and json.loads(out) == {"path": None, "cards": 0, "format": "apkg"} and not target.exists()
