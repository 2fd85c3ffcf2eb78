"""`make deploy-local` (``python -m studyassist.deploy``): a cohort's deployment on one machine, from Debian and
PyPI packages only — a PostgreSQL cluster for everyone's progress, a `chroma run` server for the index, one
`studyassist ingest` against it, and two app replicas on two loopback ports that share both.

It prints the replicas' addresses and `studyassist health` of the whole, then keeps running until Ctrl-C or
SIGTERM and stops everything it started. Its data stays in ``--dir`` (progress and index survive a restart).
"""
from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from contextlib import ExitStack
from pathlib import Path

from studyassist.bench.servers import Postgres, chroma_server, stop, streamlit_app, wait_for_http
from studyassist.errors import StudyAssistError
from studyassist.settings import PROJECT_ROOT

DATABASE = "studyassist"
START_TIMEOUT = 120  # seconds for a replica to answer its health check


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m studyassist.deploy", description=__doc__.split("\n\n")[0])
    p.add_argument("--dir", type=Path, default=Path("/tmp/studyassist-deploy"),
                   help="where the database cluster, the Chroma data, the index and the logs live "
                        "(default /tmp/studyassist-deploy; as root, a folder the postgres user can reach)")
    p.add_argument("--ports", default="8601,8602", help="the replicas' loopback ports, comma-separated")
    p.add_argument("--database-url", help="an existing PostgreSQL (postgresql+psycopg://…) instead of starting one")
    return p


def _postgres(root: Path, stack: ExitStack) -> str:
    """Start (or restart) the cluster in ``root``; the URL of its studyassist database."""
    server = Postgres(root)
    fresh = not server.data.exists()
    server.start(fresh=fresh)
    stack.callback(server.stop)
    return server.url(DATABASE, create=fresh)


def run(args: argparse.Namespace) -> int:
    ports = [int(p) for p in args.ports.split(",") if p.strip()]
    root = args.dir.resolve()
    root.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:  # the cluster runs as the postgres user, who must be able to pass through the folder
        root.chmod(root.stat().st_mode | 0o011)
    (root / "logs").mkdir(exist_ok=True)
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    with ExitStack() as stack:
        url = args.database_url or _postgres(root / "postgres", stack)
        host, port = stack.enter_context(chroma_server(root / "chroma", root / "logs" / "chroma.log"))
        env = {k: v for k, v in os.environ.items() if not k.startswith("STUDYASSIST_") or k == "STUDYASSIST_CACHE_DIR"}
        env.update(STUDYASSIST_HOME=str(root / "home"), STUDYASSIST_CHROMA_HOST=host, STUDYASSIST_CHROMA_PORT=str(port),
                   STUDYASSIST_DATABASE_URL=url, HF_HUB_OFFLINE="1", STREAMLIT_BROWSER_GATHER_USAGE_STATS="false")
        print(f"progress: PostgreSQL ({url.split('@', 1)[-1]}); index: Chroma at {host}:{port}", flush=True)
        cli = [sys.executable, "-m", "studyassist"]
        subprocess.run([*cli, "ingest"], env=env, cwd=PROJECT_ROOT, check=True)
        replicas = []
        for p in ports:
            log = stack.enter_context(open(root / "logs" / f"app-{p}.log", "w"))
            proc = streamlit_app(p, env, log)
            stack.callback(stop, proc)
            replicas.append(proc)
        for p, proc in zip(ports, replicas):
            wait_for_http(f"http://127.0.0.1:{p}/_stcore/health", proc, timeout=START_TIMEOUT, what=f"replica on {p}")
        health = subprocess.run([*cli, "health"], env=env, cwd=PROJECT_ROOT, capture_output=True, text=True)
        print(health.stdout, end="", flush=True)
        print("ready: " + " ".join(f"http://127.0.0.1:{p}" for p in ports) + " (Ctrl-C stops everything)", flush=True)
        while all(proc.poll() is None for proc in replicas):
            time.sleep(1)
        dead = [p for p, proc in zip(ports, replicas) if proc.poll() is not None]
        print(f"the replica on port {dead[0]} exited (its log: {root / 'logs' / f'app-{dead[0]}.log'}); stopping",
              file=sys.stderr)
        return 1


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return run(args)
    except KeyboardInterrupt:
        print("stopped", flush=True)
        return 0
    except (StudyAssistError, subprocess.CalledProcessError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
