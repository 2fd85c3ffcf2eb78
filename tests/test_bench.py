"""`studyassist bench` end to end, the synthetic N× corpus, and ingesting into a `chroma run` server from an empty home."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ingest.indexer import ingest
from studyassist.bench.servers import chroma_server
from studyassist.bench.synthetic import synthetic_corpus
from studyassist.settings import Settings

from conftest import CORPUS

pytestmark = pytest.mark.slow

STUDYASSIST = str(Path(sys.executable).with_name("studyassist"))


def test_synthetic_corpus_is_deterministic_and_keeps_the_review(tmp_path):
    a = synthetic_corpus(tmp_path / "a", 3, source=CORPUS)
    b = synthetic_corpus(tmp_path / "b", 3, source=CORPUS)
    files = sorted(p.name for p in a.iterdir())
    assert files == sorted(p.name for p in b.iterdir())
    assert all((a / f).read_bytes() == (b / f).read_bytes() for f in files)
    assert "ai300-quick-review.txt" in files
    invented = "".join((a / f).read_text() for f in files if f.startswith("synthetic-"))
    assert invented.count("\n## ") + invented.startswith("## ") == 2 * 17  # (scale - 1) × 17 tables
    review = (CORPUS / "ai300-quick-review.txt").read_text()
    # the invented rows are not the review's: no table row line is shared
    rows = {line for line in review.splitlines() if line.startswith("|")}
    assert not rows & {line for line in invented.splitlines() if line.startswith("|") and "---" not in line}


def test_ingest_into_a_chroma_server_from_an_empty_home_then_ask(tmp_path):
    from studyassist.assistant import Assistant

    with chroma_server(tmp_path / "server-data", tmp_path / "server.log") as (host, port):
        s = Settings(home=tmp_path / "home", corpus=CORPUS, chroma_host=host, chroma_port=port)
        result = ingest(s)
        assert result.chunks == result.embedded > 200
        assert not (s.index_dir / "chroma").exists()  # vectors live in the server
        answer = Assistant(s, auto_ingest=False).ask("Nightly scoring of millions of stored rows: which endpoint?")
        assert any(c.id.startswith("online-endpoint-versus-batch-endpoint#") for c in answer.citations)


def test_bench_runs_two_scales_in_child_processes_and_reports_growth(tmp_path):
    env = dict(os.environ, STUDYASSIST_HOME=str(tmp_path / "home"))
    out = subprocess.run([STUDYASSIST, "bench", "--scale", "1,2", "--quick", "--json"], capture_output=True,
                         text=True, env=env, timeout=1200)
    assert out.returncode == 0, out.stderr[-2000:]
    report = json.loads(out.stdout)
    one, two = report["runs"]
    assert (one["scale"], two["scale"]) == (1, 2) and one["store"] == two["store"] == "embedded"
    assert two["ingest"]["table_rows"] > 1.9 * one["ingest"]["table_rows"]
    for run in (one, two):
        assert run["ingest"]["noop_embedded"] == 0
        assert "error" not in run["cold_cli"]
        for key in ("ask", "solve", "quiz_item", "explain", "floor_embed_search"):
            assert run[key]["n"] > 0 and run[key]["p50"] <= run[key]["p95"] <= run[key]["p99"]
    growth, = report["growth"]
    assert growth["rows_ratio"] == round(two["ingest"]["table_rows"] / one["ingest"]["table_rows"], 1)


def test_a_chroma_server_that_goes_away_mid_session_falls_back_to_keyword_search(tmp_path):
    from studyassist.assistant import Assistant
    from studyassist.solve.mcq import from_parts

    question = "Nightly scoring of millions of stored rows: which endpoint?"
    with chroma_server(tmp_path / "server-data", tmp_path / "server.log") as (host, port):
        s = Settings(home=tmp_path / "home", corpus=CORPUS, chroma_host=host, chroma_port=port)
        ingest(s)
        assistant = Assistant(s, auto_ingest=False)
        solver = assistant.solver
        before = assistant.ask(question)
        assert not before.warnings
    # the server is stopped now; the loaded assistant keeps answering from BM25 and says so
    after = assistant.ask("Which compute suits a sweep of many training trials?")
    assert any("keyword search alone" in w for w in after.warnings)
    assert after.citations and after.answer.strip()
    solved = solver.solve(from_parts("We score 40M stored rows nightly. Which fits?",
                                     ["Online endpoint", "Batch endpoint"]))
    assert solved.best in ("A", "B") and any("keyword search alone" in w for w in solved.warnings)
    # a repeat of the question answered while the server was up is still served from its remembered search
    again = assistant.ask(question)
    assert again.citations == before.citations and not again.warnings
