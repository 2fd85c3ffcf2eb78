"""The engine without an exam pack (as if packs/ai300/ were removed): the review still ingests, answers, solves
and quizzes, more weakly but honestly, and nothing the pack would have added appears anywhere."""
from __future__ import annotations

import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from ingest.indexer import ingest
from studyassist.assistant import Assistant
from studyassist.quiz.definitions import STEM as TERM_STEM
from studyassist.quiz.scenarios import NEUTRAL
from studyassist.settings import PROJECT_ROOT, Settings, get_settings
from studyassist.solve.mcq import from_parts
from studyassist.study.practice import explain_item
from studyassist.text import tokenize

from conftest import CORPUS, GOLD, REVIEW, ai300_pack
from test_faults import cli, no_traceback

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def no_packs(tmp_path_factory):
    return tmp_path_factory.mktemp("empty-packs")


@pytest.fixture(scope="module")
def bare(no_packs, tmp_path_factory) -> Assistant:
    """An assistant over the review with no pack folder at all."""
    settings = Settings(home=tmp_path_factory.mktemp("bare") / "home", corpus=CORPUS, packs=no_packs)
    ingest(settings)
    return Assistant(settings)


def pack_only_words() -> set[str]:
    """Words the AI-300 pack would add (its organisations, workloads, models, rewordings, clue terms and aliases)
    that neither the review, nor the neutral frames, use."""
    pack = ai300_pack()
    s = pack.scenarios
    texts = [*s.organisations, *s.models, *s.constraints, *(w for v in s.workloads.values() for w in v),
             *(r.replacement for r in s.rewording), *(c.terms for c in pack.clues),
             *(a for c in pack.concepts for a in c.aliases)]
    neutral = [t for v in NEUTRAL.frames.values() for t in v]
    known = set(tokenize(REVIEW.read_text(encoding="utf-8"))) | set(tokenize(" ".join(neutral)))
    return {w for t in texts for w in tokenize(t) if len(w) >= 5} - known


def strings(value) -> list[str]:
    """Every string value in a JSON document (its keys are the contract's names, not words it says)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


def leaked(text: str, question: str = "") -> set[str]:
    asked = set(tokenize(question))
    asked |= {w[:-1] for w in asked if w.endswith("s")}  # a clue quoted from the question is singular ("trials")
    return (set(tokenize(text)) & pack_only_words()) - asked


def test_the_review_gets_its_own_areas_and_concepts(bare):
    kb = bare.kb
    assert not bare.pack.present and kb.pack is None
    titles = {a.name for a in kb.areas}
    assert "Core MLOps decision rules" in titles  # a top-level heading of the review
    assert not titles & {a.name for a in ai300_pack().areas if a.name not in REVIEW.read_text(encoding="utf-8")}
    assert {r.area for r in kb.rules} <= {a.id for a in kb.areas}
    assert len(kb.tables) == 17 and len(kb.table_rules) == 122
    assert not any(c.curated for c in kb.concepts) and not any(t.overview for t in kb.tables)
    assert len(bare.clues) == 0 and bare.clues.expand("every night") == "every night"


def test_it_answers_with_citations_and_adds_no_pack_words(bare):
    questions = [json.loads(line)["question"] for line in (GOLD / "ask.jsonl").read_text().splitlines()[:40]]
    cited = 0
    for q in questions:
        answer = bare.ask(q)
        cited += bool(answer.citations)
        assert all(bare.kb.has_rule(c.id) for c in answer.citations)
        assert not leaked(answer.answer, q), (q, answer.answer)
    assert cited >= 30  # weaker than with the pack, still grounded


def test_it_solves_and_explains_and_adds_no_pack_words(bare):
    rows = [json.loads(line) for line in (GOLD / "solve.jsonl").read_text().splitlines()]
    right = 0
    for row in rows:
        q = from_parts(row["question"], row["options"])
        wrong = next(letter for letter in q.letters if letter != row["answer"])
        solution = bare.solver.solve(q, wrong)
        right += solution.best == row["answer"]
        shown = solution.explanation + (solution.chosen_feedback or "")
        assert not leaked(shown, row["question"] + " " + " ".join(row["options"])), shown
    assert right / len(rows) >= 0.6, right  # the measured figure is in the README


def test_its_quiz_uses_neutral_frames_and_verified_keys(bare):
    items = bare.quiz.generate(40, seed=7)
    assert len(items) == 40
    frames = [re.escape(t).replace(r"\{situation\}", ".+").replace(r"\{noun\}", ".+").replace(r"\{aspect\}", ".+")
              .replace(r"\{heading\}", ".+").replace(r"\{details\}", "(?:; .+)?")
              for v in NEUTRAL.frames.values() for t in v]
    # a term its lists define, under the heading it stands under (quiz/definitions.py)
    frames.append(re.escape(TERM_STEM).replace(r"\{where\}", "(?:In “.+”, which|Which)").replace(r"\{said\}", ".+")
                  .replace(r"\{noun\}", "(?:term|command)"))
    for item in items:
        assert any(re.fullmatch(f, item.stem) for f in frames), item.stem
        term = not bare.kb.rule(item.rule_id).table  # its definition finds its own term first, its list's next
        assert bare.quiz.verifier.check(item, 1 if term else 2) is None
        assert not leaked(item.stem + " " + item.explanation), item.stem
        explained = explain_item(bare, item, (item.answer + 1) % 4).markdown
        assert not leaked(explained, item.stem + " " + " ".join(item.options)), explained  # it may quote them


def test_the_cli_ingests_answers_and_quizzes_without_a_pack(no_packs, tmp_path):
    env = {"STUDYASSIST_PACKS": str(no_packs)}
    home = tmp_path / "home"
    built = cli(home, "ingest", "--json", env=env)
    no_traceback(built)
    # the pack's 194 rows, and without a pack the review's prose too: its two prose sections ("Fast scenario-reading
    # method") and what ten sections say over their own lists ("Use sweep jobs when the scenario is about …")
    assert json.loads(built.stdout)["rules"] == 206
    answered = cli(home, "ask", "When is a batch endpoint the right choice?", "--json", env=env)
    no_traceback(answered)
    assert json.loads(answered.stdout)["citations"]
    quiz = cli(home, "quiz", "--count", "3", "--seed", "2", "--json", env=env)
    no_traceback(quiz)
    items = json.loads(quiz.stdout)
    assert len(items) == 3 and not leaked(" ".join(strings(items)))  # what it says, not the contract's key names
    helped = cli(home, "quiz", "--help", env=env)
    assert "top-level headings" in helped.stdout and "workspace, assets" not in helped.stdout


def test_the_app_runs_without_a_pack(index_home, monkeypatch):
    monkeypatch.setenv("STUDYASSIST_PACK", "none")  # the private copy of the index is rebuilt without the pack
    get_settings.cache_clear()
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=180)
    at.session_state["profile"] = "no-pack"
    at.run()
    assert not at.exception, at.exception
    assert "Quick-review coach" in "\n".join(m.value for m in at.sidebar.markdown)
    assert "AI-300" not in "\n".join(m.value for m in at.sidebar.markdown)
    at.chat_input(key="ask_input").set_value("When is a batch endpoint the right choice?").run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    answer = at.session_state["ask_history"][-1]
    assert answer.citations and not leaked(answer.text)
