"""`make deploy-local` really starts: PostgreSQL, a `chroma run` server, one ingest and two app replicas; a miss
answered on one replica is in the mistake log the other replica shows, in a real browser; SIGTERM stops it all."""
from __future__ import annotations

import queue
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from test_browser import CHROMIUM, CHROMIUM_ARGS, LOAD_TIMEOUT, _go, _miss_one

from studyassist.bench.servers import free_port
from studyassist.settings import PROJECT_ROOT

pytestmark = [pytest.mark.slow, pytest.mark.browser,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium")]
READY_TIMEOUT = 400  # seconds: a cluster, a Chroma server, an ingest of the review and two Streamlit starts


def _lines(proc: subprocess.Popen) -> queue.Queue:
    out: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [out.put(line) for line in proc.stdout], daemon=True).start()
    return out


def _until_ready(proc: subprocess.Popen, lines: queue.Queue) -> list[str]:
    seen, deadline = [], time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=1)
        except queue.Empty:
            if proc.poll() is not None:
                pytest.fail(f"deploy-local exited with code {proc.returncode}: {seen[-10:]}")
            continue
        seen.append(line.rstrip())
        if line.startswith("ready: "):
            return seen
    pytest.fail(f"deploy-local was not ready within {READY_TIMEOUT} s: {seen[-10:]}")


def test_two_replicas_share_one_learners_progress_and_stop_together():
    from playwright.sync_api import expect, sync_playwright

    root = Path(tempfile.mkdtemp(prefix="studyassist-deploy-"))  # under /tmp: the postgres user must reach it
    a, b = free_port(), free_port()
    proc = subprocess.Popen([sys.executable, "-m", "studyassist.deploy", "--dir", str(root), "--ports", f"{a},{b}"],
                            cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        said = _until_ready(proc, _lines(proc))
        assert [line for line in said if line.startswith("ok ")] and not [s for s in said if s.startswith("FAILED")]
        assert any(re.match(r"ok +vector index: 'rules' in the Chroma server at 127\.0\.0\.1:\d+: 219 chunks", s)
                   for s in said), said
        assert any(s.startswith("ok     progress database: PostgreSQL at ") for s in said), said
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                first = browser.new_context().new_page()
                first.goto(f"http://127.0.0.1:{a}")
                first.get_by_role("heading", name="Ask").wait_for(timeout=LOAD_TIMEOUT)
                _go(first, "Practise")
                _miss_one(first)  # a miss, answered on the first replica
                second = browser.new_context().new_page()  # another browser session, on the other replica
                second.goto(f"http://127.0.0.1:{b}")
                second.get_by_role("heading", name="Ask").wait_for(timeout=LOAD_TIMEOUT)
                _go(second, "Review")
                expect(second.get_by_role("heading", name="Mistake log")).to_be_visible(timeout=LOAD_TIMEOUT)
                expect(second.get_by_text("No missed rules yet")).to_have_count(0)
            finally:
                browser.close()
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == 0
        for port in (a, b):  # nothing it started is left answering
            with pytest.raises(OSError):
                urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)
        shutil.rmtree(root, ignore_errors=True)
