"""``qingfu rollups_worker``: refresh marked class-day rollups in the background without a
broker (QINGFU_ROLLUPS=queued, CELERY_BROKER_URL empty), polling the marks; with a broker,
Celery workers do this (``qingfu celery worker``) and this command is not needed.

The due class-days of a school are refreshed together (``rollups_drain``); when that fails,
each is refreshed on its own, as by a Celery worker: a failing one is recorded on its mark
and retried after its backoff, never stopping the others."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from qingfu.oversight.services import rollups_drain, rollups_retry_failed


class Command(BaseCommand):
    help = _("在后台刷新已标记的班级日汇总（QINGFU_ROLLUPS=queued 且未配置消息队列时使用）。")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help=_("处理完当前到期的标记后退出"))
        parser.add_argument(
            "--interval", type=float, default=1.0, help=_("没有到期标记时等待的秒数")
        )
        parser.add_argument(
            "--retry-failed", action="store_true", help=_("先让已放弃的标记重新到期（修复后用）")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["retry_failed"]:
            count = rollups_retry_failed()
            self.stdout.write(_("%(n)d 个失败的班级日重新排队。") % {"n": count})
        total = 0
        while True:
            done = rollups_drain()
            total += done
            if done:
                continue
            if options["once"]:
                break
            time.sleep(options["interval"])
        self.stdout.write(_("已刷新 %(n)d 个班级日汇总。") % {"n": total})
