"""One app process for the HTTP benchmarks, served as in production (``qingfu serve``:
granian, one worker) on loopback."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from bench.served import served
from qingfu.core.management.commands.serve import THREADS

ROOT = Path(__file__).resolve().parent.parent

__all__ = ["THREADS", "app_server", "cpu_seconds"]


@contextlib.contextmanager
def app_server(env: dict[str, str], threads: int | None = None) -> Iterator[tuple[str, list[int]]]:
    """The server's base URL and its processes' pids; ``threads`` per process if given,
    else production's."""
    with served(env, threads=threads or THREADS, cwd=ROOT) as running:
        yield running


def cpu_seconds(pids: list[int]) -> float:
    """User and system CPU the processes have used so far (Linux)."""
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")
