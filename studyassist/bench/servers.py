"""Child servers the benchmark, the local deployment and the tests start and always stop: a `chroma run`, the
Streamlit app on a loopback port, or a throwaway PostgreSQL cluster on a Unix socket."""
from __future__ import annotations

import glob
import itertools
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from studyassist.errors import StudyAssistError
from studyassist.settings import PROJECT_ROOT


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop(proc: subprocess.Popen, timeout: float = 15) -> None:
    """Terminate a child process, killing it if it does not exit in ``timeout`` seconds."""
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=timeout)


def wait_for_http(url: str, proc: subprocess.Popen, timeout: float = 60, what: str = "server") -> None:
    """Poll ``url`` until it answers; fail early if ``proc`` exits, or after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            if proc.poll() is not None:
                raise StudyAssistError(f"The {what} exited with code {proc.returncode} before answering "
                                       f"{url}.") from None
            if time.monotonic() > deadline:
                raise StudyAssistError(f"The {what} did not answer {url} within {timeout:.0f} s.") from None
            time.sleep(0.3)


def streamlit_app(port: int, env: dict[str, str], out=subprocess.DEVNULL, options: tuple[str, ...] = ()
                  ) -> subprocess.Popen:
    """`streamlit run app.py` on 127.0.0.1:``port``, headless, with no usage statistics, no file watcher and the
    minimal toolbar, and any other ``options`` (``--secrets.files …``); its output goes to ``out``. The caller
    waits for ``/_stcore/health`` and stops it."""
    return subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(PROJECT_ROOT / "app.py"),
                             "--server.address", "127.0.0.1", "--server.port", str(port), "--server.headless", "true",
                             "--browser.gatherUsageStats", "false", "--client.toolbarMode", "minimal",
                             "--server.fileWatcherType", "none", *options],
                            cwd=PROJECT_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)


@contextmanager
def chroma_server(data_dir: Path, log_path: Path | None = None) -> Iterator[tuple[str, int]]:
    """Run `chroma run` on a free loopback port with its data in ``data_dir``; yields (host, port)."""
    exe = Path(sys.executable).parent / "chroma"
    if not exe.exists():
        raise StudyAssistError(f"The `chroma` command was not found next to {sys.executable}; install chromadb.")
    port = free_port()
    log = open(log_path or data_dir.parent / "chroma-server.log", "w")
    proc = subprocess.Popen([str(exe), "run", "--path", str(data_dir), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for_http(f"http://127.0.0.1:{port}/api/v2/heartbeat", proc, what="Chroma server")
        yield "127.0.0.1", port
    finally:
        stop(proc)
        log.close()


class Postgres:
    """A PostgreSQL cluster of its own in ``root`` (Debian's ``postgresql`` binaries), listening only on a Unix
    socket there: ``start()``, ``url()`` for a new empty database, ``stop()``. PostgreSQL refuses to run as root, so
    as root the cluster belongs to the ``postgres`` user Debian's package adds (``root`` must be a folder that user
    can reach, e.g. one made by ``tempfile.mkdtemp()``, not under a 0700 parent)."""

    _names = itertools.count()

    def __init__(self, root: Path) -> None:
        found = shutil.which("initdb") or next(iter(sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                                                           reverse=True)), None)
        if not found:
            raise StudyAssistError("PostgreSQL is not installed (no initdb); install Debian's postgresql package.")
        self.root, self.bin = Path(root), Path(found).resolve().parent
        self.data, self.socket = self.root / "data", self.root / "socket"
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def _run(self, *args: str) -> None:
        done = subprocess.run([*self.as_user, *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                              timeout=60)
        if done.returncode:
            raise StudyAssistError(f"{Path(args[0]).name} failed ({done.stderr.strip()[-300:]}).")

    def start(self, fresh: bool = True) -> Postgres:
        """Start the server: a new cluster, or (``fresh=False``) the one stopped before, with its data."""
        if fresh:
            self.socket.mkdir(parents=True)
            if self.as_user:
                shutil.chown(self.root, "postgres")
                shutil.chown(self.socket, "postgres")
            self._run(str(self.bin / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
                      "--no-sync")
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.root / "server.log"), "-w", "-o",
                  f"-k {self.socket} -c listen_addresses='' -c fsync=off -c max_connections=200", "start")
        return self

    def url(self, name: str | None = None, create: bool = True) -> str:
        """The SQLAlchemy URL of database ``name`` (a fresh name per call when None), created empty unless
        ``create`` is False (a database made by an earlier start)."""
        import psycopg  # noqa: PLC0415 -- only a deployment or a test starts a server

        name = name or f"progress_{os.getpid()}_{next(self._names)}"
        if create:
            with psycopg.connect(host=str(self.socket), user="postgres", dbname="postgres", autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql+psycopg://postgres@/{name}?host={self.socket}"

    def stop(self) -> None:
        subprocess.run([*self.as_user, str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "stop"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)
