"""Child servers the benchmark and the tests start and always stop: a `chroma run` or the Streamlit app on a
loopback port."""
from __future__ import annotations

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


def streamlit_app(port: int, env: dict[str, str], out=subprocess.DEVNULL) -> subprocess.Popen:
    """`streamlit run app.py` on 127.0.0.1:``port``, headless, with no usage statistics, no file watcher and the
    minimal toolbar; its output goes to ``out``. The caller waits for ``/_stcore/health`` and stops it."""
    return subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(PROJECT_ROOT / "app.py"),
                             "--server.address", "127.0.0.1", "--server.port", str(port), "--server.headless", "true",
                             "--browser.gatherUsageStats", "false", "--client.toolbarMode", "minimal",
                             "--server.fileWatcherType", "none"],
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
