"""One app process for the HTTP benchmarks, served as in production (``qingfu serve``:
granian, one worker) on loopback."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from qingfu.core.management.commands.serve import THREADS

ROOT = Path(__file__).resolve().parent.parent

__all__ = ["THREADS", "app_server", "cpu_seconds"]


@contextlib.contextmanager
def app_server(env: dict[str, str], threads: int | None = None) -> Iterator[tuple[str, list[int]]]:
    """The server's base URL and its processes' pids (granian's main and its one worker),
    once it answers ``/healthz``. ``threads`` per process if given, else production's."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "qingfu"), "serve", "--bind", f"127.0.0.1:{port}",
            "--workers", "1", "--threads", str(threads or THREADS),
        ],
        cwd=ROOT, env={**env, "GRANIAN_LOG_LEVEL": "warning"},
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1)  # noqa: S310 - loopback
                break
            except OSError:
                time.sleep(0.2)
        yield base, _tree(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)


def _tree(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children")
    below = children.read_text().split() if children.exists() else []
    return [pid, *(p for child in below for p in _tree(int(child)))]


def cpu_seconds(pids: list[int]) -> float:
    """User and system CPU the processes have used so far (Linux)."""
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")
