"""The app in a real browser: Playwright drives Debian's chromium against `streamlit run app.py`.

Saves docs/screenshots/ask.png and practise.png (the README shows them). CI installs chromium with apt.
"""
from __future__ import annotations

import json
import os
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from test_rendering import PASTED_HOSTILE, hostile_review

from ingest.indexer import ingest
from studyassist.bench import servers
from studyassist.errors import StudyAssistError
from studyassist.settings import PROJECT_ROOT, Settings

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = PROJECT_ROOT / "docs" / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--headless=new"]
START_TIMEOUT = 90  # seconds for the server to answer its health check
LOAD_TIMEOUT = 120_000  # ms for the first answer (the model and index load on first use)

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium "
                                 "(apt-get install chromium; .ci/run does this)")]


@pytest.fixture(scope="module")
def server(built_home, tmp_path_factory):
    """`streamlit run app.py` on a free loopback port, over the session's built index."""
    port = servers.free_port()
    url = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("STUDYASSIST_")}
    env.update(STUDYASSIST_HOME=str(built_home), STUDYASSIST_CACHE_DIR=os.environ["STUDYASSIST_CACHE_DIR"],
               HF_HUB_OFFLINE="1", STREAMLIT_BROWSER_GATHER_USAGE_STATS="false")
    log = tmp_path_factory.mktemp("streamlit") / "server.log"
    with open(log, "w") as out:
        proc = servers.streamlit_app(port, env, out)
        try:
            try:
                servers.wait_for_http(f"{url}/_stcore/health", proc, timeout=START_TIMEOUT, what="streamlit server")
            except StudyAssistError as exc:
                pytest.fail(f"{exc} Its log:\n{log.read_text()[-3000:]}")
            yield url
        finally:
            servers.stop(proc)


@pytest.fixture
def page(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 1600})
            page = context.new_page()
            page.goto(server)
            yield page
        finally:
            browser.close()


def _go(page, name: str) -> None:
    page.get_by_test_id("stSidebar").get_by_text(name, exact=True).click()
    page.get_by_role("heading", name=name).wait_for()


def _idle(page) -> None:
    """Wait until the app's script has finished its run (a click during a rerun may land on the old page)."""
    page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(timeout=LOAD_TIMEOUT)


def _answer_a(page) -> None:
    """Pick option A of the question on screen and submit it, once the pick has reached the app."""
    from playwright.sync_api import expect

    page.get_by_role("button", name="Submit").wait_for(timeout=LOAD_TIMEOUT)
    _idle(page)
    page.get_by_test_id("stRadio").get_by_text("A) ", exact=False).first.click()
    expect(page.get_by_role("radio", name=re.compile(r"^A\) "))).to_be_checked()
    _idle(page)
    page.get_by_role("button", name="Submit").click()


def _miss_one(page) -> None:
    """On the Practise page, answer questions until one is missed (recorded as a miss). The key is hidden until an
    answer is submitted: pick A, and take a new question while A was right."""
    from playwright.sync_api import expect

    for _ in range(12):
        _answer_a(page)
        verdict = page.get_by_text(re.compile(r"^(Correct —|Not quite:)"))
        expect(verdict).to_be_visible(timeout=30_000)
        if verdict.inner_text().startswith("Not quite"):
            return
        page.get_by_role("button", name="Next question").click()
        expect(page.get_by_role("button", name="Submit")).to_be_enabled(timeout=30_000)
    pytest.fail("option A was the key of 12 questions in a row")


def test_ask_shows_a_cited_answer(page):
    from playwright.sync_api import expect

    page.get_by_role("heading", name="Ask").wait_for(timeout=LOAD_TIMEOUT)
    box = page.get_by_test_id("stChatInputTextArea")
    box.fill("When is a batch endpoint the wrong choice?")
    box.press("Enter")
    answer = page.get_by_test_id("stChatMessage").nth(1)
    expect(answer).to_contain_text("[1]", timeout=LOAD_TIMEOUT)
    citation = answer.get_by_test_id("stExpander").first
    expect(citation).to_contain_text("[1] ")
    citation.get_by_text("[1] ").click()
    expect(citation).to_contain_text("➤")
    page.wait_for_timeout(800)  # let the expander finish opening before the screenshot
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "ask.png", full_page=True)


def test_a_wrong_answer_is_explained(page):
    from playwright.sync_api import expect

    page.get_by_role("heading", name="Ask").wait_for(timeout=LOAD_TIMEOUT)
    _go(page, "Practise")
    _miss_one(page)
    explanation = page.get_by_test_id("stChatMessage").first
    expect(explanation).to_contain_text("Why not your answer")
    expect(explanation).to_contain_text("[1]")
    citation = explanation.get_by_test_id("stExpander").first
    citation.get_by_text("[1] ").click()
    expect(citation).to_contain_text("➤")
    page.wait_for_timeout(800)
    page.screenshot(path=SCREENSHOTS / "practise.png", full_page=True)


# ---- a hostile corpus, a hostile paste and a hostile LLM: the browser asks nothing of anyone but the app ------

class Tracker(ThreadingHTTPServer):
    """A loopback server that counts every request a browser makes of it (an image, a followed link) and plays an
    OpenAI-compatible LLM for the app's server (POST …/chat/completions) whose answers carry images and HTML."""

    daemon_threads = True

    def __init__(self):
        self.hits: list[str] = []
        super().__init__(("127.0.0.1", 0), _TrackerHandler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def llm_reply(self) -> str:
        return json.dumps({"decision": "Read cache", "sentences": [{
            "text": f"Use a Read cache ![l]({self.url}/llm.png) for many small reads of the same records "
                    f"<img src={self.url}/llm-img.png>, see [why]({self.url}/llm-link).",
            "citations": ["store-selection#1"]}]})


class _TrackerHandler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 -- http.server's name
        self.server.hits.append(self.path)
        self.send_response(404)
        self.end_headers()

    def do_POST(self):  # noqa: N802
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if not self.path.endswith("/chat/completions"):
            return self.do_GET()
        body = json.dumps({"id": "c1", "object": "chat.completion", "created": 0, "model": "stand-in",
                           "choices": [{"index": 0, "finish_reason": "stop",
                                        "message": {"role": "assistant", "content": self.server.llm_reply()}}],
                           "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):  # quiet
        pass


@pytest.fixture
def tracker():
    server = Tracker()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def hostile_app(tracker, tmp_path):
    """`streamlit run app.py` over an index of the hostile review (its addresses point at the tracker), with the
    tracker as its LLM."""
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "storage-review.md").write_text(hostile_review(tracker.url), encoding="utf-8")
    settings = Settings(home=tmp_path / "home", corpus=tmp_path / "corpus", packs=tmp_path / "no-packs")
    ingest(settings)
    port = servers.free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("STUDYASSIST_")}
    env.update(STUDYASSIST_HOME=str(settings.home), STUDYASSIST_CORPUS=str(settings.corpus),
               STUDYASSIST_PACKS=str(settings.packs), STUDYASSIST_CACHE_DIR=os.environ["STUDYASSIST_CACHE_DIR"],
               STUDYASSIST_LLM="openai:stand-in", STUDYASSIST_LLM_BASE_URL=f"{tracker.url}/v1",
               STUDYASSIST_LLM_TIMEOUT="10", OPENAI_API_KEY="not-a-real-key", HF_HUB_OFFLINE="1",
               STREAMLIT_BROWSER_GATHER_USAGE_STATS="false")
    with open(tmp_path / "server.log", "w") as out:
        proc = servers.streamlit_app(port, env, out)
        try:
            servers.wait_for_http(f"http://127.0.0.1:{port}/_stcore/health", proc, timeout=START_TIMEOUT,
                                  what="streamlit server")
            yield f"http://127.0.0.1:{port}"
        finally:
            servers.stop(proc)


def test_no_request_leaves_the_app_on_any_page_with_a_hostile_corpus(hostile_app, tracker):
    from playwright.sync_api import expect, sync_playwright

    app = urlsplit(hostile_app)
    elsewhere: list[str] = []

    def watch(request) -> None:
        where = urlsplit(request.url)
        if where.scheme not in ("data", "blob") and (where.hostname, where.port) != (app.hostname, app.port):
            elsewhere.append(request.url)

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(viewport={"width": 1280, "height": 1600}).new_page()
            page.on("request", watch)
            page.goto(hostile_app)
            page.get_by_role("heading", name="Ask").wait_for(timeout=LOAD_TIMEOUT)
            box = page.get_by_test_id("stChatInputTextArea")
            box.fill("Which store for many small reads of the same records?")
            box.press("Enter")
            answer = page.get_by_test_id("stChatMessage").nth(1)
            expect(answer).to_contain_text("Read cache", timeout=LOAD_TIMEOUT)
            answer.get_by_test_id("stExpander").first.get_by_text("[1] ").click()  # the cited table
            _go(page, "Practise")
            _answer_a(page)
            expect(page.get_by_text(re.compile(r"^(Correct —|Not quite:)"))).to_be_visible(timeout=30_000)
            _go(page, "Paste a question")
            page.get_by_label("Question and options").fill(PASTED_HOSTILE.replace("TRACKER", tracker.url))
            page.get_by_role("button", name="Find the best answer").click()
            expect(page.get_by_text("How each option scored")).to_be_visible(timeout=30_000)
            for name in ("Review", "Sources"):
                _go(page, name)
            expect(page.get_by_text("Archive tier").first).to_be_visible(timeout=30_000)
            _go(page, "Mock exam")  # the pages the run above did not reach: a finished exam's report, charts
            page.get_by_role("button", name="Start mock exam").click()
            finish = page.get_by_role("button", name=re.compile(r"^Finish exam"))
            finish.wait_for(timeout=LOAD_TIMEOUT)
            _idle(page)
            page.get_by_test_id("stRadio").filter(has_text="A) ").first.get_by_text("A) ").first.click()
            _idle(page)
            finish.click()
            expect(page.get_by_text("Score per area")).to_be_visible(timeout=30_000)
            for name in ("Progress", "Settings"):
                _go(page, name)
                _idle(page)
            page.wait_for_timeout(1000)  # anything still to load has been asked for by now
            linked = page.locator(f'a[href*="{tracker.url}"], img[src*="{tracker.url}"]').count()
        finally:
            browser.close()
    assert tracker.hits == [] and elsewhere == [] and linked == 0, (tracker.hits, elsewhere, linked)
