"""`progress export` / `progress import`: a learner's answers as JSON lines and back, on real SQLite stores."""
from __future__ import annotations

import io
import json
import sys
from datetime import UTC, datetime, timedelta

import pytest

from studyassist.errors import InputError
from studyassist.study.backup import export_lines, import_file
from studyassist.study.progress import Attempt, ProgressStore

from conftest import one_sentence

T0 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


def attempt(item: str, rule: str, correct: bool, minutes: int, profile: str = "ana", options=()) -> Attempt:
    return Attempt(profile=profile, item_id=item, rule_id=rule, area=rule.split("#")[0], chosen=0 if correct else 1,
                   answer=0, correct=correct, source="pasted" if options else "quiz", stem=f"stem of {item}",
                   answered_at=T0 + timedelta(minutes=minutes), options=tuple(options))


HISTORY = [attempt("q1", "deploy#1", False, 0), attempt("q2", "deploy#1", True, 60 * 24),
           attempt("q3", "secure#2", False, 5), attempt("q4", "deploy#1", False, 60 * 50),
           attempt("p1", "secure#2", True, 90, options=("a", "b", "c", "d", "e", "f")),
           attempt("q1", "train#3", True, 7, profile="ben")]


def state(store: ProgressStore, profiles=("ana", "ben")) -> dict:
    """Everything a learner sees of their progress: answers, cards (with due dates), the mistake log."""
    return {p: (store.attempts(p), {r: (c.to_json(), c.due) for r, c in store.cards(p).items()},
                store.mistakes_by_rule(p)) for p in profiles}


def recorded(new_store, name: str, attempts) -> ProgressStore:
    store = new_store(name)
    for a in sorted(attempts, key=lambda a: a.answered_at):
        store.record(a)
    return store


def test_every_profiles_answers_come_back_with_the_same_cards_and_mistake_log(tmp_path, new_store):
    source = recorded(new_store, "source", HISTORY)
    source.save_items([("q1", '{"stem": "stem of q1"}')])
    data, n = export_lines(source)
    assert n == len(HISTORY)
    (tmp_path / "all.jsonl").write_bytes(data)
    target = new_store("target")
    done = import_file(target, tmp_path / "all.jsonl")
    assert (done.profiles, done.answers, done.skipped, done.cards) == (2, 6, 0, 3)
    assert state(target) == state(source) and target.item("q1") == source.item("q1")
    [pasted] = [a for a in target.attempts("ana") if a.item_id == "p1"]
    assert pasted.options == ("a", "b", "c", "d", "e", "f")  # a pasted question's options, all six
    # the same file again adds nothing and changes no card
    again = import_file(target, tmp_path / "all.jsonl")
    assert (again.answers, again.skipped, again.cards) == (0, 6, 0) and state(target) == state(source)


def test_an_overlapping_import_merges_and_reschedules_as_if_every_answer_were_given_here(tmp_path, new_store):
    here, laptop = HISTORY[:3], HISTORY[1:]  # q2 and q3 were answered in both places' history
    target, other = recorded(new_store, "target", here), recorded(new_store, "laptop", laptop)
    (tmp_path / "laptop.jsonl").write_bytes(export_lines(other, "ana")[0])
    done = import_file(target, tmp_path / "laptop.jsonl")
    assert (done.answers, done.skipped) == (2, 2)  # q4 and p1 are new; ben's answer was not exported
    assert state(target, ("ana",)) == state(recorded(new_store, "everything", HISTORY), ("ana",))
    assert target.attempts("ben") == []


@pytest.mark.parametrize("line, problem", [
    ("{not json", "line 3 is not JSON"),
    ('["a"]', "line 3 is not a JSON object"),
    ('{"type": "attempt", "profile": "ana"}', "line 3 lacks the text fields item_id, rule_id, area, stem"),
    ('{"type": "card"}', "line 3 has an unknown type 'card'"),
    ('{"type": "profile", "name": "аnа", "created_at": "2025-03-01T09:00:00"}', "line 3 has a 'name' that cannot"),
])
def test_a_file_with_one_bad_line_is_named_by_its_line_and_imports_nothing(tmp_path, new_store, line, problem):
    source = recorded(new_store, "source", HISTORY[:2])
    lines = export_lines(source)[0].decode().splitlines()
    (tmp_path / "bad.jsonl").write_text("\n".join(lines[:2] + [line] + lines[2:]) + "\n", encoding="utf-8")
    target = recorded(new_store, "target", HISTORY[5:])
    before = state(target)
    with pytest.raises(InputError) as err:
        import_file(target, tmp_path / "bad.jsonl")
    assert problem in str(err.value) and str(err.value).endswith("nothing was imported.")
    assert one_sentence(str(err.value)) and state(target) == before


@pytest.mark.parametrize("change, problem", [
    ({"correct": False}, "'correct' that is not true exactly when"),
    ({"chosen": 4}, "'chosen' that is not a whole number from 0 to 3"),
    ({"source": "guess"}, "'source' that is not one of"),
    ({"answered_at": "yesterday"}, "'answered_at' that is not an ISO date"),
])
def test_an_answer_the_store_would_refuse_is_refused_with_its_line(tmp_path, new_store, change, problem):
    data = export_lines(recorded(new_store, "source", HISTORY[1:2]))[0].decode().splitlines()
    record = json.loads(data[2]) | change
    (tmp_path / "bad.jsonl").write_text("\n".join([data[0], data[1], json.dumps(record)]), encoding="utf-8")
    with pytest.raises(InputError, match="line 3 has a " + problem.replace("(", r"\(")):
        import_file(new_store("t"), tmp_path / "bad.jsonl")


@pytest.mark.parametrize("content, problem", [
    (b"", "is empty"),
    (b'{"type": "anki"}\n', "is not a studyassist progress file"),
    (b'{"type": "studyassist-progress", "version": 9}\n', "is version 9, newer than this studyassist reads"),
    (b"\xff\xfe\x00bin", "is not UTF-8 text"),
])
def test_a_file_that_is_not_a_progress_file_is_refused_in_one_sentence(tmp_path, new_store, content, problem):
    (tmp_path / "f.jsonl").write_bytes(content)
    with pytest.raises(InputError, match=problem) as err:
        import_file(new_store("t"), tmp_path / "f.jsonl")
    assert one_sentence(str(err.value))


def run(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    from studyassist.cli.main import main

    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_exports_the_last_profile_or_all_and_imports_into_another_home(tmp_path, isolated_home, monkeypatch,
                                                                          capsys):
    home = ProgressStore()
    for a in sorted(HISTORY, key=lambda a: a.answered_at):
        home.record(a)
    monkeypatch.chdir(tmp_path)
    code, out, err = run(monkeypatch, capsys, "progress", "export")
    # the last answer recorded was ana's (q4; ben's came earlier): her file, by default
    assert code == 0 and out == "Wrote 5 answers of profile 'ana' to studyassist-progress-ana.jsonl.\n", err
    code, out, _ = run(monkeypatch, capsys, "progress", "export", "--all", "--out", "all.jsonl", "--json")
    assert json.loads(out) == {"path": "all.jsonl", "answers": 6, "profile": None}
    monkeypatch.setenv("STUDYASSIST_HOME", str(tmp_path / "elsewhere"))
    from studyassist.settings import get_settings
    get_settings.cache_clear()
    code, out, _ = run(monkeypatch, capsys, "progress", "import", "all.jsonl")
    assert out == "Imported 6 answers for 2 profiles from all.jsonl; 3 review cards rebuilt.\n"
    assert state(ProgressStore()) == state(home)
    code, out, err = run(monkeypatch, capsys, "progress", "import", "missing.jsonl")
    assert code == 2 and out == "" and err == ("error: There is no file missing.jsonl; give the path of a file "
                                               "`progress export` wrote.\n")
