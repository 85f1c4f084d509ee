"""``qingfu serve``: run Qingfu in production with granian.

granian handles the HTTP in Rust and serves the collected static files itself, so a Python
process spends its time on Django: on the homework bench, when it replaced gunicorn, a
time-log post cost the app 2.6–3.4 ms of CPU under granian and 4.3–4.9 ms under gunicorn
(``docs/benchmarks.md``).
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

# Threads overlap one process's waits on PostgreSQL and Redis; more than a few only add
# switching between them (4 took the most time-log posts per second on the bench).
THREADS = 4


def granian_argv(bind: str, workers: int, threads: int, static_root: Path) -> list[str]:
    """The granian command line that serves the WSGI app and ``STATIC_URL`` from ``static_root``."""
    host, _colon, port = bind.rpartition(":")
    if not host or not port.isdigit():
        raise CommandError(
            _("--bind 应为 主机:端口，例如 0.0.0.0:8000，而不是 %(bind)r。") % {"bind": bind}
        )
    if workers < 1 or threads < 1:
        raise CommandError(_("--workers 和 --threads 至少为 1。"))
    static_route = "/" + settings.STATIC_URL.strip("/")
    return [
        "granian", "--interface", "wsgi", "--no-ws",
        "--host", host.strip("[]"), "--port", port,
        "--workers", str(workers), "--blocking-threads", str(threads),
        # WSGI would get the multi-threaded Rust runtime; one thread per worker moves the
        # same requests with less of the process's CPU (0.1-0.4 ms a time-log post).
        "--runtime-mode", "st",
        "--backlog", "4096", "--respawn-failed-workers",
        "--static-path-route", static_route, "--static-path-mount", str(static_root),
        "qingfu.config.wsgi:application",
    ]  # fmt: skip


class Command(BaseCommand):
    help = _("生产环境服务：收集静态文件，再用 granian 提供网页和静态文件（每核一个进程）。")

    def add_arguments(self, parser: CommandParser) -> None:
        env = os.environ.get
        parser.add_argument(
            "--bind", default=env("QINGFU_BIND", "127.0.0.1:8000"), help=_("主机:端口")
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=env("QINGFU_WORKERS"),  # a string default goes through ``type`` too
            help=_("进程数（设置了 REDIS_URL 时默认每核一个，否则一个）"),
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=env("QINGFU_THREADS", str(THREADS)),
            help=_("每进程的线程数"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        shared = not isinstance(caches["default"], LocMemCache)
        workers = options["workers"] or ((os.cpu_count() or 1) if shared else 1)
        if workers > 1 and not shared:
            # Each process would keep its own cached reads and miss the others' changes.
            raise CommandError(_("多个进程须设置 REDIS_URL（各进程共享缓存的失效）。"))
        static_root = Path(settings.STATIC_ROOT)
        argv = granian_argv(options["bind"], workers, options["threads"], static_root)
        granian = shutil.which("granian", path=str(Path(sys.executable).parent))
        if granian is None:
            raise CommandError(_("找不到 granian：请先运行 make setup。"))
        call_command("collectstatic", interactive=False, verbosity=0)
        sys.stdout.flush()
        os.execv(granian, argv)  # noqa: S606 - becomes the server; argv built above
