"""A changed corpus is re-indexed behind the assistant already answering: questions asked meanwhile are answered
from the previous index, the app names the files being re-indexed (or why that failed), and a server told to stop
does not wait for the build. Real ingest, real Chroma, the real page (AppTest) and a real `streamlit run`."""
from __future__ import annotations

import json
import os
import re
import signal
import threading
import time
import uuid
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ingest import indexer
from studyassist import assistant as assistant_module
from studyassist.assistant import Assistant
from studyassist.bench import servers
from studyassist.settings import PROJECT_ROOT, get_settings
from studyassist.ui import loading

from conftest import PASTED_BATCH, point_index_at_corpus_copy

pytestmark = pytest.mark.slow

APP = str(PROJECT_ROOT / "app.py")
QUESTION = "When is a batch endpoint the wrong choice?"
SHIPPING = """# Shipping quick review

## Ledger storage

| Requirement | Better fit |
|---|---|
| Archived shipment ledger kept for customs audits | Ledger vault |
| Live parcel positions updated every second | Stream table |
"""
LEDGER_Q = "Where should the archived shipment ledger kept for customs audits go?"
CHROMIUM = Path("/usr/bin/chromium")
ROWS = 8_000  # rows of a file that takes ~35 s to embed on a laptop's CPU (its first ~4,500 within its budget)


def widgets(rows: int) -> str:
    """A review with one table of ``rows`` distinct rows (a file that takes a while to embed)."""
    lines = "\n".join(f"| Scenario {n} needs gadget {n * 7} inspected | Widget tool {n} |" for n in range(rows))
    return f"# Widgets\n\n## Widget selection\n\n| Requirement | Better fit |\n|---|---|\n{lines}\n"


@pytest.fixture
def own_corpus(index_home, tmp_path, monkeypatch) -> Path:
    """A private copy of the session index over a private copy of the corpus; any build it starts is stopped
    before its folders go."""
    corpus = point_index_at_corpus_copy(index_home, tmp_path, monkeypatch)
    assert indexer.index_status(get_settings()) == "ready"
    try:
        yield corpus
    finally:
        loading.stop_rebuild(timeout=120)


def wait_until(condition, timeout: float = 180, what: str = "the index build") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"{what} did not finish within {timeout:.0f} s"
        time.sleep(0.2)


def open_app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["profile"] = f"test-{uuid.uuid4().hex[:8]}"
    at.run()
    assert not at.exception, at.exception
    return at


def ask(at: AppTest, question: str):
    at.chat_input(key="ask_input").set_value(question).run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    return at.session_state["ask_history"][-1]


def sources(answer, kb) -> set[str]:
    return {kb.rule(c.id).source_file for c in answer.citations}


def hold_ingest(monkeypatch) -> tuple[threading.Event, threading.Event]:
    """Make every ingest stop after its first embedded batch until released: (set once a batch is embedded, the
    release)."""
    embedded, release = threading.Event(), threading.Event()
    real_ingest = indexer.ingest

    def held_after_the_first_batch(settings=None, progress=None, **kwargs):
        def report(done: int, total: int) -> None:
            progress(done, total)
            embedded.set()
            release.wait(120)
        return real_ingest(settings, progress=report, **kwargs)

    monkeypatch.setattr(indexer, "ingest", held_after_the_first_batch)
    return embedded, release


def test_questions_asked_during_a_real_rebuild_are_answered_from_the_previous_index(own_corpus):
    """The caveat of rebuilding in place: ingest upserts and deletes chunks in the collection a loaded assistant
    searches. It keeps answering, from the chunks it loaded only, while the build writes (embedded Chroma, one
    process, two threads), and a fresh assistant afterwards answers from the new content."""
    settings = get_settings()
    old = Assistant(settings=settings, auto_ingest=False)
    before = old.ask(QUESTION)
    review = own_corpus / "ai300-quick-review.txt"
    review.write_text(review.read_text(encoding="utf-8").replace(  # a changed row: one chunk deleted, one added
        "| Periodic scoring of stored datasets | Batch endpoint |",
        "| Periodic re-scoring of the archived shipment ledger | Batch endpoint |"), encoding="utf-8")
    (own_corpus / "widgets.md").write_text(widgets(400), encoding="utf-8")  # several batches of new chunks
    assert indexer.changed_files(settings) == ["ai300-quick-review.txt", "widgets.md"]
    failures: list[BaseException] = []

    def rebuild() -> None:
        try:
            indexer.ingest(settings)
        except BaseException as exc:  # noqa: BLE001 -- reported by the test below
            failures.append(exc)

    build = threading.Thread(target=rebuild)
    build.start()
    answers, solutions, widget_hits = [], [], []
    try:
        while build.is_alive():
            old.retriever.clear_cache()  # search Chroma every time, not the cache of recent searches
            answers.append(old.ask(QUESTION))
            solutions.append(old.solve(PASTED_BATCH, "A"))
            widget_hits += old.retriever.search("Scenario 12 needs gadget 84 inspected", k=5)
            time.sleep(0.05)
    finally:
        build.join()
    assert not failures, failures
    assert len(answers) >= 3
    assert all(a.decision == before.decision and a.citations for a in answers)
    assert all(sources(a, old.kb) == {"ai300-quick-review.txt"} for a in answers)
    assert all(s.best == solutions[0].best for s in solutions)
    assert all(h.metadata["source_file"] == "ai300-quick-review.txt" for h in widget_hits)  # never a chunk it lacks
    assert indexer.index_status(settings) == "ready"
    new = Assistant(settings=settings, auto_ingest=False)
    assert "Widget tool 12" in new.ask("Which tool fits scenario 12 that needs gadget 84 inspected?").answer
    assert any("archived shipment ledger" in c.text for c in new.ask(
        "Which option fits periodic re-scoring of the archived shipment ledger?").citations)


def test_the_app_answers_from_the_previous_index_while_it_rebuilds_then_from_the_new_one(own_corpus, monkeypatch):
    at = open_app()
    previous = indexer.load_knowledge(get_settings())
    embedded, release = hold_ingest(monkeypatch)
    (own_corpus / "shipping.md").write_text(SHIPPING, encoding="utf-8")
    try:
        at.run()
        assert embedded.wait(120), "the background build never embedded a batch"
        # its new chunks are in the collection now; the page still answers from the index it loaded
        answer = ask(at, QUESTION)
        assert sources(answer, previous) == {"ai300-quick-review.txt"}
        ledger = ask(at, LEDGER_Q)
        assert "Ledger vault" not in ledger.text
        [notice] = [i.value for i in at.sidebar.info]
        assert notice.startswith("Re-indexing shipping.md in the background; answers come from the previous index "
                                 "until it is done. Embedded "), notice
    finally:
        release.set()
    wait_until(lambda: indexer.index_status(get_settings()) == "ready")
    at.run()
    assert not at.sidebar.info
    ledger = ask(at, LEDGER_Q)
    assert "Ledger vault" in ledger.text
    assert sources(ledger, indexer.load_knowledge(get_settings())) == {"shipping.md"}


def test_a_failed_rebuild_keeps_the_previous_index_and_says_why_once(own_corpus, monkeypatch):
    at = open_app()
    previous = indexer.load_knowledge(get_settings())
    calls = []

    def disk_full(*args, **kwargs):
        calls.append(1)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(indexer, "ingest", disk_full)
    (own_corpus / "shipping.md").write_text(SHIPPING, encoding="utf-8")
    at.run()
    wait_until(lambda: loading.rebuilding() is not None and loading.rebuilding().error is not None)
    at.run()
    [warning] = [w.value for w in at.sidebar.warning]
    assert warning == ("Re-indexing shipping.md failed, so answers come from the previous index. The index could "
                       "not be rebuilt (OSError); the details are in the server log.")
    answer = ask(at, QUESTION)
    assert answer.citations and sources(answer, previous) == {"ai300-quick-review.txt"}
    assert len(calls) == 1  # not tried again on every run: only once a file changes
    assert indexer.index_status(get_settings()) == "stale"


def test_a_deleted_document_is_not_answered_from_when_nothing_readable_is_left(own_corpus):
    """The review is deleted and the only file left is unreadable: the rebuild fails, and the previous index held
    only the deleted review, so the page says why instead of answering from it (issue 16, item 4)."""
    at = open_app()
    assert ask(at, QUESTION).citations
    (own_corpus / "ai300-quick-review.txt").unlink()
    (own_corpus / "notes.md").write_bytes(b"\x00\x01binary" * 100)
    at.run()
    wait_until(lambda: indexer.index_status(get_settings()) == "missing")
    at.run()
    [error] = [e.value for e in at.error]
    assert error.startswith("The corpus folder ") and error.endswith(
        "has no readable .md or .txt review document (notes.md: the file is binary, not text; skipped.); add one, "
        "saved as UTF-8."), error
    answered = len(at.session_state["ask_history"])
    at.chat_input(key="ask_input").set_value(QUESTION).run()
    assert len(at.session_state["ask_history"]) == answered  # nothing answered from the deleted review
    assert [e.value for e in at.error] == [error] and not at.sidebar.info


def ask_in_browser(page, question: str, reply: int) -> None:
    from playwright.sync_api import expect

    box = page.get_by_test_id("stChatInputTextArea")
    box.fill(question)
    box.press("Enter")
    expect(page.get_by_test_id("stChatMessage").nth(reply)).to_contain_text("[1]", timeout=120_000)


def test_a_server_started_on_a_stale_index_answers_at_once_and_rebuilds_it_in_the_background(own_corpus,
                                                                                             monkeypatch):
    """The corpus changed before this server's first page: the page loads the previous index without ingesting it
    (no progress bar), says which file is being re-indexed, answers from the previous index meanwhile, and from the
    new one once the build is over."""
    (own_corpus / "shipping.md").write_text(SHIPPING, encoding="utf-8")
    assert indexer.index_status(get_settings()) == "stale"
    previous = indexer.load_knowledge(get_settings())

    def in_view(*args, **kwargs):
        raise AssertionError("the page ingested the stale index before it answered")

    monkeypatch.setattr(assistant_module, "ingest", in_view)  # Assistant.__init__'s own ingest
    embedded, release = hold_ingest(monkeypatch)
    try:
        at = open_app()
        assert not at.get("progress")  # no progress bar: nothing waited for the build
        [notice] = [i.value for i in at.sidebar.info]
        assert notice.startswith("Re-indexing shipping.md in the background; answers come from the previous index "
                                 "until it is done."), notice
        assert embedded.wait(120), "the background build never embedded a batch"
        answer = ask(at, QUESTION)
        assert answer.citations and sources(answer, previous) == {"ai300-quick-review.txt"}
        assert "Ledger vault" not in ask(at, LEDGER_Q).text
        assert indexer.index_status(get_settings()) == "stale"
    finally:
        release.set()
    wait_until(lambda: indexer.index_status(get_settings()) == "ready")
    at.run()
    assert not at.sidebar.info and not at.sidebar.warning
    ledger = ask(at, LEDGER_Q)
    assert "Ledger vault" in ledger.text
    assert sources(ledger, indexer.load_knowledge(get_settings())) == {"shipping.md"}


def test_an_index_of_another_embedding_model_is_never_loaded_stale(own_corpus, monkeypatch):
    """Its vectors do not fit the model set now: even the app's load-as-it-is path re-embeds it first (the page
    shows a progress bar for that), while an index the corpus changed under is loaded without ingesting."""
    settings = get_settings()
    (own_corpus / "shipping.md").write_text(SHIPPING, encoding="utf-8")
    ingested = []
    monkeypatch.setattr(assistant_module, "ingest", lambda *a, **k: ingested.append(1))
    stale = Assistant(settings=settings, rebuild_stale=False)
    assert ingested == [] and "shipping.md" not in stale.documents and stale.ask(QUESTION).citations
    manifest_path = settings.manifest_path
    manifest = json.loads(manifest_path.read_text())
    manifest_path.write_text(json.dumps({**manifest, "embedding_model": "/models/another-one"}))
    assert indexer.index_status(settings) == "stale" and not indexer.serves_while_stale(settings)
    Assistant(settings=settings, rebuild_stale=False)
    assert ingested == [1]


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium")
def test_the_server_stops_promptly_on_sigterm_during_a_background_rebuild(own_corpus, index_home, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    port = servers.free_port()
    url = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("STUDYASSIST_")}
    env.update(STUDYASSIST_HOME=str(index_home), STUDYASSIST_CORPUS=str(own_corpus), HF_HUB_OFFLINE="1",
               STUDYASSIST_CACHE_DIR=os.environ["STUDYASSIST_CACHE_DIR"])
    log = tmp_path / "server.log"
    with open(log, "w") as out:
        proc = servers.streamlit_app(port, env, out)
    try:
        servers.wait_for_http(f"{url}/_stcore/health", proc, timeout=90, what="streamlit server")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--headless=new"])
            try:
                page = browser.new_page()
                page.goto(url)
                ask_in_browser(page, QUESTION, 1)  # answered: the assistant of the built index is loaded
                (own_corpus / "widgets.md").write_text(widgets(ROWS), encoding="utf-8")  # minutes to embed
                ask_in_browser(page, QUESTION, 3)  # from the previous index, while the rebuild starts
                sidebar = page.get_by_test_id("stSidebar")
                expect(sidebar).to_contain_text("Re-indexing widgets.md in the background; answers come from the "
                                                "previous index until it is done.")
                expect(sidebar).to_contain_text(re.compile(r"Embedded \d+ of \d+ chunks"),  # it is embedding
                                                timeout=120_000)
            finally:
                browser.close()
        manifest = json.loads((index_home / "index" / "manifest.json").read_text())
        proc.send_signal(signal.SIGTERM)
        started = time.monotonic()
        proc.wait(timeout=30)
        took = time.monotonic() - started
    finally:
        servers.stop(proc)
    text = log.read_text()
    assert took < 10, f"the server took {took:.1f} s to stop:\n{text[-3000:]}"
    assert "the index build stopped with the server" in text, text[-3000:]
    assert json.loads((index_home / "index" / "manifest.json").read_text()) == manifest  # left stale: the next
    assert indexer.index_status(get_settings()) == "stale"  # start builds it again
