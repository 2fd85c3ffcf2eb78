"""Concurrency: four processes asking through one `chroma run` server while a fifth re-ingests a grown corpus
into it, and app sessions (threads) sharing one progress store. Answers stay right; nothing is lost.

Concurrent *processes* writing the progress database, and SIGKILL mid-burst, are in test_progress.py."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from studyassist.bench import servers
from studyassist.settings import PROJECT_ROOT, Settings
from studyassist.study.progress import Attempt, ProgressStore

pytestmark = pytest.mark.slow

READERS = 4
QUESTIONS = [
    ("Which endpoint should score our nightly archive?", "Batch endpoint"),
    ("Our mobile app has to show a loan decision while the customer is still on the screen. Which endpoint?",
     "Online endpoint"),
    ("What is shadow testing?", "Shadow testing"),
]
EXTRA_DOC = textwrap.dedent("""\
    # Feature, labeling and serving decisions

    ## Serving choices from the team's notes
    | Requirement | Better fit |
    |---|---|
    | Re-score the whole nightly archive in bulk while nobody waits | Batch endpoint |
    | Show a loan decision while the customer is still on the screen | Online endpoint |

    ## Feature reuse
    | Requirement | Better fit |
    |---|---|
    | Reuse the same engineered features across several teams | Managed feature store |
    | Keep training and serving feature values consistent | Feature store with materialization |

    ## Data labeling
    | If the scenario says… | Prefer… | Why |
    |---|---|---|
    | "Label thousands of images with a human workforce" | Azure ML data labeling project | Labels become a versioned data asset |
""")

READER = textwrap.dedent("""
    import json, sys, time
    from pathlib import Path

    import torch
    torch.set_num_threads(1)
    from studyassist.assistant import Assistant

    stop, questions = Path(sys.argv[1]), json.loads(sys.argv[2])
    assistant = Assistant(auto_ingest=False)  # the index is built; readers never write
    print(json.dumps({"ready": time.time()}), flush=True)
    n = after = 0
    while after <= len(questions):  # once told to stop, one more round of every question
        after += stop.exists()
        question, _ = questions[n % len(questions)]
        start = time.time()
        try:
            answer = assistant.ask(question)
            row = {"q": question, "decision": answer.decision, "citations": [c.id for c in answer.citations]}
        except Exception as exc:  # recorded, and the test fails on it
            row = {"q": question, "error": f"{type(exc).__name__}: {exc}"}
        row.update(start=start, end=time.time())
        print(json.dumps(row), flush=True)
        n += 1
    # Dense retrieval alone, aimed at a row only the re-ingested collection has: the loaded snapshot must
    # skip chunks it does not know rather than fail on them.
    try:
        hits = assistant.retriever.search("", k=8, vector=assistant.embeddings.query_vector(sys.argv[3]))
        print(json.dumps({"probe": [h.chunk_id for h in hits]}), flush=True)
    except Exception as exc:
        print(json.dumps({"probe_error": f"{type(exc).__name__}: {exc}"}), flush=True)
""")
NEW_ROW = "Re-score the whole nightly archive in bulk while nobody waits"


@pytest.fixture
def chroma_server(tmp_path):
    """A `chroma run` server on a free loopback port, stopped afterwards whatever happens."""
    with servers.chroma_server(tmp_path / "server-data", tmp_path / "chroma-server.log") as address:
        yield address


def _env(home: Path, host: str, port: int) -> dict:
    env = {**os.environ, "STUDYASSIST_HOME": str(home), "STUDYASSIST_CHROMA_HOST": host,
           "STUDYASSIST_CHROMA_PORT": str(port), "HF_HUB_OFFLINE": "1", "OMP_NUM_THREADS": "1",
           "TOKENIZERS_PARALLELISM": "false"}
    env.pop("STUDYASSIST_LLM", None)
    env.pop("STUDYASSIST_CORPUS", None)
    return env


def _ingest(env: dict, *args: str) -> dict:
    proc = subprocess.run([sys.executable, "-m", "studyassist", "ingest", "--json", *args], cwd=PROJECT_ROOT,
                          env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr[-3000:]
    return json.loads(proc.stdout)


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def test_four_readers_stay_correct_while_a_fifth_process_re_ingests(chroma_server, built_home, tmp_path):
    host, port = chroma_server
    home = tmp_path / "home"
    # The session's knowledge base and concept vectors (so only the chunks are embedded), no local Chroma.
    shutil.copytree(built_home / "index", home / "index", ignore=shutil.ignore_patterns("chroma"))
    env = _env(home, host, port)
    first = _ingest(env)
    assert first["embedded"] == first["chunks"] > 200 and first["documents"] == 1

    grown = tmp_path / "grown-corpus"
    shutil.copytree(PROJECT_ROOT / "corpus", grown)
    (grown / "feature-decisions.md").write_text(EXTRA_DOC, encoding="utf-8")

    stop = tmp_path / "stop"
    outputs = [tmp_path / f"reader{i}.jsonl" for i in range(READERS)]
    readers = []
    try:
        for out in outputs:
            with open(out, "w") as fh, open(out.with_suffix(".err"), "w") as err:
                readers.append(subprocess.Popen([sys.executable, "-c", READER, str(stop), json.dumps(QUESTIONS), NEW_ROW],
                                                cwd=PROJECT_ROOT, env=env, stdout=fh, stderr=err))
        deadline = time.monotonic() + 300
        while not all(out.read_text().strip() for out in outputs):  # every reader has loaded and said so
            assert all(r.poll() is None for r in readers), [o.with_suffix(".err").read_text()[-2000:] for o in outputs]
            assert time.monotonic() < deadline, "readers did not start within 300 s"
            time.sleep(0.5)

        writer_start = time.time()
        second = _ingest(env, "--corpus", str(grown))
        writer_end = time.time()
        stop.touch()  # each reader then asks every question once more, against the grown collection
        for r in readers:
            r.wait(timeout=120)
    finally:
        stop.touch()
        for r in readers:
            if r.poll() is None:
                r.kill()
                r.wait(timeout=30)

    assert second["documents"] == 2 and second["embedded"] == second["chunks"] - first["chunks"] > 0
    assert second["deleted"] == 0
    expected = dict(QUESTIONS)
    total = overlapping = 0
    for out, reader in zip(outputs, readers):
        assert reader.returncode == 0, out.with_suffix(".err").read_text()[-3000:]
        ready, *answers, probe = _rows(out)
        assert "ready" in ready and probe.get("probe"), probe
        errors = [a for a in answers if "error" in a]
        assert not errors, errors[:3]
        wrong = [a for a in answers if a["decision"] != expected[a["q"]]]
        assert not wrong, wrong[:3]
        during = [a for a in answers if a["start"] < writer_end and a["end"] > writer_start]
        assert during, f"{out.name} asked nothing while the writer ran"
        assert len([a for a in answers if a["start"] > writer_end]) >= len(QUESTIONS)
        total += len(answers)
        overlapping += len(during)
    assert total >= READERS * len(QUESTIONS)
    print(f"\nconcurrency: {READERS} reader processes + 1 re-ingesting process; {total} answers, {overlapping} "
          f"while re-ingesting, 0 wrong, 0 errors; {second['embedded']} chunks added live")

    # A process started after the re-ingest sees the grown corpus and still answers right.
    from studyassist.assistant import Assistant

    fresh = Assistant(Settings(home=home, corpus=grown, chroma_host=host, chroma_port=port), auto_ingest=False)
    assert len(fresh.kb.documents) == 2 and fresh.collection.count() == second["chunks"]
    for question, decision in QUESTIONS:
        assert fresh.ask(question).decision == decision
    assert fresh.ask("Which option lets several teams reuse the same engineered features?").decision \
        == "Managed feature store"


def test_app_sessions_sharing_one_store_in_threads_lose_nothing(tmp_path):
    """The app keeps one ProgressStore per server process; its sessions write from their own threads."""
    store = ProgressStore(tmp_path / "progress.sqlite3", timeout=30)
    sessions, per_session = 8, 25
    barrier = threading.Barrier(sessions)

    def session(n: int) -> int:
        barrier.wait()  # all start at once
        for i in range(per_session):
            store.record(Attempt(profile=f"learner{n % 3}", item_id=f"s{n}-q{i}", rule_id=f"rule#{i % 6}",
                                 area="deployment" if i % 2 else "security", chosen=i % 4, answer=0,
                                 correct=i % 4 == 0, source="quiz", stem=f"question {i}"))
            store.area_accuracy(f"learner{n % 3}")  # reads interleaved with the writes
        return per_session

    with ThreadPoolExecutor(max_workers=sessions) as pool:
        written = sum(pool.map(session, range(sessions)))
    stored = [a.item_id for p in ("learner0", "learner1", "learner2") for a in store.attempts(p)]
    assert written == len(stored) == sessions * per_session
    assert set(stored) == {f"s{n}-q{i}" for n in range(sessions) for i in range(per_session)}
    for p in ("learner0", "learner1", "learner2"):
        assert sum(t for _, t in store.area_accuracy(p).values()) == len(store.attempts(p))
