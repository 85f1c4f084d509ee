"""One app process for the HTTP benchmarks: gunicorn with one gthread worker on loopback."""

from __future__ import annotations

import contextlib
import os
import runpy
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@contextlib.contextmanager
def app_server(env: dict[str, str], threads: int | None = None) -> Iterator[tuple[str, int]]:
    """The server's base URL and its worker's pid, once it answers ``/healthz``. Served as
    in production (``gunicorn.conf.py``), with one worker and ``threads`` if given."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"), "qingfu.config.wsgi",
            "--config", str(ROOT / "gunicorn.conf.py"), "--bind", f"127.0.0.1:{port}",
            "--workers", "1", *(["--threads", str(threads)] if threads else []),
            "--log-level", "warning",
        ],
        cwd=ROOT, env=env,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1)  # noqa: S310 - loopback
                break
            except OSError:
                time.sleep(0.2)
        children = Path(f"/proc/{server.pid}/task/{server.pid}/children")
        worker = int(children.read_text().split()[0]) if children.exists() else server.pid
        yield base, worker
    finally:
        server.terminate()
        server.wait(timeout=30)


def configured(name: str) -> object:
    """A setting of ``gunicorn.conf.py`` as production reads it."""
    return runpy.run_path(str(ROOT / "gunicorn.conf.py"))[name]


def cpu_seconds(pid: int) -> float:
    """User and system CPU the process has used so far (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
