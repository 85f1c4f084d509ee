"""``qingfu rollups_worker``: refresh queued class-day rollups in the background
(with QINGFU_ROLLUPS=queued), so a write request only marks the class-day."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from qingfu.oversight.services import rollups_drain


class Command(BaseCommand):
    help = "在后台刷新排队的班级日汇总（QINGFU_ROLLUPS=queued 时使用）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="处理完当前队列后退出")
        parser.add_argument("--interval", type=float, default=1.0, help="队列为空时等待的秒数")

    def handle(self, *args: Any, **options: Any) -> None:
        total = 0
        while True:
            done = rollups_drain()
            total += done
            if done:
                continue
            if options["once"]:
                break
            time.sleep(options["interval"])
        self.stdout.write(f"已刷新 {total} 个班级日汇总。")
