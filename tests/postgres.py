"""A real PostgreSQL server for the tests: a throwaway cluster (Debian's ``postgresql`` binaries, which `.ci/run`
installs) listening only on a Unix socket in a temp folder, one fresh database per test."""
from __future__ import annotations

import glob
import itertools
import os
import shutil
import subprocess
from pathlib import Path

_COUNTER = itertools.count()


def _binaries() -> Path:
    found = shutil.which("initdb") or next(iter(sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)),
                                           None)
    if not found:
        raise RuntimeError("PostgreSQL is not installed (no initdb); `.ci/run` installs Debian's postgresql package.")
    return Path(found).resolve().parent


class Server:
    """``start()`` a cluster in ``root``; ``url()`` a new empty database on it; ``stop()``."""

    def __init__(self, root: Path) -> None:
        self.root, self.bin = root, _binaries()
        self.data, self.socket = root / "data", root / "socket"
        # PostgreSQL refuses to run as root: then the cluster belongs to the postgres user Debian's package adds
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def _run(self, *args: str) -> None:
        subprocess.run([*self.as_user, *args], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                       timeout=60)

    def start(self, fresh: bool = True) -> Server:
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

    def url(self) -> str:
        import psycopg  # noqa: PLC0415

        name = f"progress_{os.getpid()}_{next(_COUNTER)}"
        with psycopg.connect(host=str(self.socket), user="postgres", dbname="postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql+psycopg://postgres@/{name}?host={self.socket}"

    def stop(self) -> None:
        subprocess.run([*self.as_user, str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)
