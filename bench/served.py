"""``qingfu serve`` as a child process on a free loopback port, for the tests and benches
that go through the real server."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from pathlib import Path


@contextlib.contextmanager
def served(
    env: Mapping[str, str], *, threads: int, cwd: Path | None = None
) -> Iterator[tuple[str, list[int]]]:
    """The base URL and the server's pids (granian's main and its one worker), once it
    answers ``/healthz``; stopped on exit."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "qingfu"), "serve",
            "--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", str(threads),
        ],
        cwd=cwd, env={**env, "GRANIAN_LOG_LEVEL": "warning"},
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1)  # noqa: S310 - loopback
                break
            except OSError:
                if server.poll() is not None:
                    raise RuntimeError(f"qingfu serve stopped (exit {server.returncode})") from None
                time.sleep(0.2)
        else:
            raise RuntimeError("qingfu serve did not answer /healthz within a minute")
        yield base, _tree(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)


def _tree(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children")
    below = children.read_text().split() if children.exists() else []
    return [pid, *(p for child in below for p in _tree(int(child)))]
