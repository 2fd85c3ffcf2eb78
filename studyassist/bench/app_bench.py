"""Cold start of the Streamlit app: `streamlit run app.py` → health check → Ask page → first cited answer.

Run as ``python -m studyassist.bench.app_bench [--runs 3]`` with an index already built under STUDYASSIST_HOME;
needs the dev extra (Playwright) and Debian's chromium at /usr/bin/chromium. Each run starts a fresh
server and a fresh headless browser, and the clock includes both.
"""
from __future__ import annotations

import argparse
import json
import os
import time

from ingest.indexer import load_knowledge
from studyassist.bench import servers
from studyassist.pack import pack_named
from studyassist.settings import get_settings

CHROMIUM = "/usr/bin/chromium"


def first_question() -> str:
    """The exam pack's first example question, or, without one, a question about the review's first choice."""
    settings = get_settings()
    kb = load_knowledge(settings)
    pack, _ = pack_named(kb.pack, settings)
    if pack.examples.ask:
        return pack.examples.ask[0]
    return f"When is {kb.table_rules[0].choice} the right choice?"


def one_run(question: str, timeout_s: float = 120) -> dict[str, float]:
    from playwright.sync_api import expect, sync_playwright  # noqa: PLC0415 -- the dev extra: only this tool

    port = servers.free_port()
    url = f"http://127.0.0.1:{port}"
    start = time.perf_counter()
    proc = servers.streamlit_app(port, dict(os.environ, HF_HUB_OFFLINE="1"))
    try:
        servers.wait_for_http(f"{url}/_stcore/health", proc, timeout=timeout_s, what="streamlit server")
        health = time.perf_counter() - start
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            try:
                page = browser.new_page()
                page.goto(url)
                page.get_by_role("heading", name="Ask").wait_for(timeout=timeout_s * 1000)
                rendered = time.perf_counter() - start
                box = page.get_by_test_id("stChatInputTextArea")
                box.fill(question)
                box.press("Enter")
                expect(page.get_by_test_id("stChatMessage").nth(1)).to_contain_text("[1]", timeout=timeout_s * 1000)
                answered = time.perf_counter() - start
            finally:
                browser.close()
    finally:
        servers.stop(proc)
    return {"health_s": round(health, 2), "ask_page_s": round(rendered, 2), "first_answer_s": round(answered, 2)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    question = first_question()
    runs = [one_run(question) for _ in range(max(1, args.runs))]
    print(json.dumps({"runs": runs}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
