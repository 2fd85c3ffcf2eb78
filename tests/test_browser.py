"""The app in a real browser: Playwright drives Debian's chromium against `streamlit run app.py`.

Saves docs/screenshots/ask.png and practise.png (the README shows them). CI installs chromium with apt.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from studyassist.bench import servers
from studyassist.errors import StudyAssistError
from studyassist.settings import PROJECT_ROOT

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
        proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(PROJECT_ROOT / "app.py"),
                                 "--server.address", "127.0.0.1", "--server.port", str(port),
                                 "--server.headless", "true", "--browser.gatherUsageStats", "false",
                                 "--client.toolbarMode", "minimal", "--server.fileWatcherType", "none"],
                                cwd=PROJECT_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
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
    # The key is hidden until an answer is submitted: pick A, and take a new question while A was right.
    for _ in range(12):
        page.get_by_role("button", name="Submit").wait_for(timeout=LOAD_TIMEOUT)
        page.get_by_test_id("stRadio").get_by_text("A) ", exact=False).first.click()
        page.get_by_role("button", name="Submit").click()
        verdict = page.get_by_text(re.compile(r"^(Correct —|Not quite:)"))
        expect(verdict).to_be_visible(timeout=30_000)
        if verdict.inner_text().startswith("Not quite"):
            break
        page.get_by_role("button", name="Next question").click()
        expect(page.get_by_role("button", name="Submit")).to_be_enabled(timeout=30_000)
    else:
        pytest.fail("option A was the key of 12 questions in a row")
    explanation = page.get_by_test_id("stChatMessage").first
    expect(explanation).to_contain_text("Why not your answer")
    expect(explanation).to_contain_text("[1]")
    citation = explanation.get_by_test_id("stExpander").first
    citation.get_by_text("[1] ").click()
    expect(citation).to_contain_text("➤")
    page.wait_for_timeout(800)
    page.screenshot(path=SCREENSHOTS / "practise.png", full_page=True)
