"""`python -m studyassist.bench.load`: a cohort answering through two app replicas that share one PostgreSQL.

``--through app`` (the default): two real `streamlit run app.py` replicas, each learner a session on one of them
spoken to over Streamlit's websocket protocol (page_client.py) as a browser tab would — create a profile on the
Settings page, then on the Practise page read a question, pick, Submit (the answer recorded and explained, the
verdict drawn), Next question. ``--through core``: each replica is a process holding what an app replica holds — the
assistant and the progress store — behind a small HTTP server with the Practise page's two calls, without
Streamlit. Midway one replica is killed (SIGKILL) and its learners carry on through the other (through the app: a
new session, as a reloaded tab; through the core: the answer that got no reply is sent again). Reported: answers per
second, p50/p95 of answer-and-record (Submit until the verdict is on the page, as a learner waits for it), and lost
and duplicated attempts: every answer a learner was told was recorded must be in the database, once.
"""
from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from studyassist.assistant import Assistant
from studyassist.bench import servers
from studyassist.bench.page_client import PageSession
from studyassist.bench.servers import Postgres
from studyassist.errors import InputError
from studyassist.settings import get_settings
from studyassist.study.practice import explain_item, load_item, next_items, record_answer, save_items
from studyassist.study.progress import ProgressStore


def _replica(url: str, home: str, ready) -> None:
    """One replica (a spawned process): the core, and an HTTP server on a free loopback port it reports."""
    os.environ.update(STUDYASSIST_HOME=home, STUDYASSIST_DATABASE_URL=url, HF_HUB_OFFLINE="1")
    get_settings.cache_clear()  # settings are read on first use: this replica's, not the parent's
    assistant, store = Assistant(), ProgressStore(url=url)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 -- http.server's name
            ask = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            if self.path == "/question":
                [item] = next_items(assistant, store, ask["profile"], 1, ask["seed"])
                save_items(store, [item])
                reply = {"id": item.id, "options": len(item.options)}
            else:
                item = load_item(store, ask["id"])
                try:
                    reply = {"correct": record_answer(store, ask["profile"], item, ask["chosen"])}
                except InputError:  # sent again after a replica died: it was recorded before
                    reply = {"correct": None}
                explain_item(assistant, item, ask["chosen"])
            data = json.dumps(reply).encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    ready.put(server.server_address[1])
    server.serve_forever()


# what a request to a replica that is being killed may raise: refused, reset, or a reply cut off mid-body
_GONE = (urllib.error.URLError, ConnectionError, TimeoutError, http.client.HTTPException)


def _post(port: int, path: str, body: dict) -> dict:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=json.dumps(body).encode(), method="POST")
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def run(url: str, home: Path, learners: int, seconds: float, kill_after: float | None, think: float = 0.0) -> dict:
    """Start two replicas, let ``learners`` answer for ``seconds`` (each reading a question for about ``think``
    seconds before answering), kill one after ``kill_after``; the figures."""
    ctx = multiprocessing.get_context("spawn")
    ready = ctx.Queue()
    procs = [ctx.Process(target=_replica, args=(url, str(home), ready), daemon=True) for _ in range(2)]
    for p in procs:
        p.start()
    ports = [ready.get(timeout=300) for _ in procs]
    ready.close()
    alive = [True, True]
    latencies: list[tuple[float, float]] = []  # (when the answer was sent, how long its reply took)
    told: list[tuple[str, str]] = []  # (profile, item id) of every answer a learner was told was recorded
    after_kill = [0]
    lock = threading.Lock()
    start = time.perf_counter()
    end = start + seconds

    def learner(n: int) -> None:
        rng, profile, home_replica = random.Random(n), f"learner{n:03d}", n % 2
        while time.perf_counter() < end:
            replica = home_replica if alive[home_replica] else 1 - home_replica
            try:
                question = _post(ports[replica], "/question", {"profile": profile, "seed": rng.randrange(2**31)})
            except _GONE:
                alive[replica] = False
                continue
            answer = {"profile": profile, "id": question["id"], "chosen": rng.randrange(question["options"])}
            time.sleep(think * rng.uniform(0.5, 1.5))
            began = time.perf_counter()
            try:
                _post(ports[replica], "/answer", answer)
            except _GONE:  # its replica died: the other one
                alive[replica] = False
                _post(ports[1 - replica], "/answer", answer)
            with lock:
                latencies.append((began, time.perf_counter() - began))
                told.append((profile, question["id"]))
                if not all(alive):
                    after_kill[0] += 1

    killed_at = _play(learner, learners, procs, alive, kill_after)
    elapsed = time.perf_counter() - start
    for p in procs:
        p.kill()
    return _report(url, learners, elapsed, think, latencies, killed_at, after_kill[0], told)


def _play(learner, learners: int, procs, alive: list[bool], kill_after: float | None) -> float:
    """``learner(n)`` on a thread for each learner; after ``kill_after`` seconds replica 0 is killed (SIGKILL) and
    marked dead. Returns once every learner is done: when the replica was killed (inf: never)."""
    threads = [threading.Thread(target=learner, args=(n,)) for n in range(learners)]
    for t in threads:
        t.start()
    killed_at = float("inf")
    if kill_after is not None:
        time.sleep(kill_after)
        procs[0].kill()
        alive[0] = False
        killed_at = time.perf_counter()
    for t in threads:
        t.join()
    return killed_at


def run_app(url: str, home: Path, learners: int, seconds: float, kill_after: float | None, think: float = 0.0
            ) -> dict:
    """As run(), through two real `streamlit run app.py` replicas, each learner a websocket session on one."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("STUDYASSIST_")}
    env.update(STUDYASSIST_HOME=str(home), STUDYASSIST_DATABASE_URL=url, HF_HUB_OFFLINE="1")
    if "STUDYASSIST_CACHE_DIR" in os.environ:  # the model export: found, not made again
        env["STUDYASSIST_CACHE_DIR"] = os.environ["STUDYASSIST_CACHE_DIR"]
    log_dir = Path(tempfile.mkdtemp(prefix="studyassist-load-logs-"))
    ports = [servers.free_port(), servers.free_port()]
    procs = [servers.streamlit_app(p, env, open(log_dir / f"replica-{p}.log", "w")) for p in ports]
    try:
        for p, proc in zip(ports, procs):
            servers.wait_for_http(f"http://127.0.0.1:{p}/_stcore/health", proc, timeout=120, what="app replica")
        for port in ports:  # the first Practise page of a replica loads the index and the question maker
            warm = PageSession(port)
            warm.rerun(page="Practise")
            warm.close()
        before = [_cpu_seconds(p.pid) for p in procs]
        report = _drive_app(url, ports, procs, learners, seconds, kill_after, think)
        if kill_after is None:  # both replicas served every answer: what one answer costs them
            spent = sum(_cpu_seconds(p.pid) - b for p, b in zip(procs, before))
            report["replica_cpu_ms_per_answer"] = round(1000 * spent / max(1, report["answers"]), 1)
        return report
    finally:
        for proc in procs:
            servers.stop(proc)


def _drive_app(url, ports, procs, learners, seconds, kill_after, think) -> dict:
    alive = [True, True]
    latencies: list[tuple[float, float]] = []
    told: list[tuple[str, str]] = []
    after_kill, failures = [0], []
    lock = threading.Lock()
    start = time.perf_counter()
    end = start + seconds

    def learner(n: int) -> None:
        rng, profile, replica = random.Random(n), f"learner{n:03d}", n % 2
        page = None
        while time.perf_counter() < end:
            try:
                if page is None:
                    replica = replica if alive[replica] else 1 - replica
                    page = PageSession(ports[replica])
                    page.open_practise(profile)
                item_id, options = page.question()
                time.sleep(think * rng.uniform(0.5, 1.5))
                began = time.perf_counter()
                page.answer(rng.randrange(len(options)))
                with lock:
                    latencies.append((began, time.perf_counter() - began))
                    told.append((profile, item_id))
                    after_kill[0] += not all(alive)
                page.next_question()
            except (OSError, TimeoutError) as exc:  # its replica died (websocket closed): a new tab on the other
                try:
                    procs[replica].wait(timeout=5)  # a killed process may take a moment to be gone
                except subprocess.TimeoutExpired:
                    failures.append(f"{profile}: {exc!r}")
                    return
                alive[replica], page = False, None
            except Exception as exc:  # a page that is not what a learner expects: reported, not hidden
                failures.append(f"{profile}: {exc!r}")
                return
        if page is not None:
            page.close()

    killed_at = _play(learner, learners, procs, alive, kill_after)
    elapsed = time.perf_counter() - start
    report = _report(url, learners, elapsed, think, latencies, killed_at, after_kill[0], told)
    return {"through": "app", **report, "failures": failures[:5]}


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of process ``pid`` so far (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _report(url, learners, elapsed, think, latencies, killed_at, after_kill, told) -> dict:
    return {"learners": learners, "seconds": round(elapsed, 1), "answers": len(told),
            "answers_per_second": round(len(told) / elapsed, 1),
            "think_seconds": think, **_percentiles("", [d for _, d in latencies]),
            **_percentiles("two_replicas_", [d for t, d in latencies if t < killed_at]),
            **_percentiles("one_replica_", [d for t, d in latencies if t >= killed_at]),
            "answers_after_kill": after_kill, **_check(url, told)}


def _percentiles(prefix: str, seconds: list[float]) -> dict:
    if len(seconds) < 2:
        return {}
    return {f"{prefix}p50_ms": round(1000 * statistics.median(seconds), 1),
            f"{prefix}p95_ms": round(1000 * statistics.quantiles(seconds, n=20)[-1], 1)}


def _check(url: str, told: list[tuple[str, str]]) -> dict:
    store = ProgressStore(url=url)
    with store.db.read() as s:
        stored = [tuple(r) for r in s.execute("SELECT profile, item_id FROM attempts")]
    return {"stored": len(stored), "lost": len(set(told) - set(stored)), "duplicated": len(stored) - len(set(stored))}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m studyassist.bench.load", description=__doc__.split("\n\n")[0])
    p.add_argument("--learners", type=int, default=50)
    p.add_argument("--seconds", type=float, default=120)
    p.add_argument("--kill-after", type=float, default=None, help="kill one replica this many seconds in "
                   "(default: halfway; a negative number keeps both)")
    p.add_argument("--think", type=float, default=0.0, help="seconds a learner reads a question before answering "
                   "(on average; default 0: as fast as the replicas answer)")
    p.add_argument("--through", choices=("app", "core"), default="app", help="real `streamlit run` replicas "
                   "driven over the websocket (default), or the core behind a small HTTP server")
    p.add_argument("--database-url", help="an existing, empty PostgreSQL database (default: start a cluster)")
    p.add_argument("--home", type=Path, default=None, help="STUDYASSIST_HOME with a built index (default: the usual)")
    args = p.parse_args(argv)
    home = args.home or get_settings().home
    kill = args.seconds / 2 if args.kill_after is None else (None if args.kill_after < 0 else args.kill_after)
    server = None
    if not args.database_url:
        server = Postgres(Path(tempfile.mkdtemp(prefix="studyassist-load-"))).start()
    try:
        drive = run_app if args.through == "app" else run
        report = drive(args.database_url or server.url(), home, args.learners, args.seconds, kill, args.think)
    finally:
        if server is not None:
            server.stop()
    json.dump(report, sys.stdout, indent=1)
    print()
    return 0 if report["lost"] == 0 and report["duplicated"] == 0 and not report.get("failures") else 1


if __name__ == "__main__":
    raise SystemExit(main())
