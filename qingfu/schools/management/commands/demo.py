"""``qingfu demo``: build the demo school (or, with --schools N, a district for benchmarks)."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from qingfu.schools import demo
from qingfu.schools.models import School


class Command(BaseCommand):
    help = "创建演示学校（九年一贯制，每年级 4 个班，每班约 45 名学生）或演示区县。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--schools", type=int, default=1, help="学校数量（用于性能测试）")
        parser.add_argument("--classes-per-grade", type=int, default=4)
        parser.add_argument("--students-per-class", type=int, default=45)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--today",
            type=dt.date.fromisoformat,
            default=None,
            help="演示活动截止的日期（默认今天），格式 2026-11-23",
        )
        parser.add_argument(
            "--weeks", type=int, default=16, help="演示活动覆盖的周数（默认覆盖本学期开学至今）"
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="数据库已有学校时什么也不做（供 make run 使用）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if School.objects.exists():
            if options["if_empty"]:
                self.stdout.write("数据库中已有学校，跳过演示数据。")
                self._print_accounts(None)
                return
            raise CommandError(
                "数据库中已有学校。演示数据只能建在空数据库上（可删除 var/qingfu.sqlite3 后重试）。"
            )
        if not 1 <= options["schools"] <= 2000:
            raise CommandError("--schools 应在 1 到 2000 之间。")
        started = time.perf_counter()
        accounts = demo.build(
            demo.BuildOptions(
                seed=options["seed"],
                schools=options["schools"],
                classes_per_grade=options["classes_per_grade"],
                students_per_class=options["students_per_class"],
                today=options["today"],
                weeks=options["weeks"],
            )
        )
        if connection.vendor == "postgresql":
            # A bulk load leaves the planner's statistics empty until autovacuum comes by;
            # without them it scans whole tables for one class's day.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(
            self.style.SUCCESS(f"演示数据已创建（{time.perf_counter() - started:.1f} 秒）。")
        )
        self._print_accounts(accounts)

    def _print_accounts(self, accounts: demo.DemoAccounts | None) -> None:
        rows = accounts.rows if accounts else demo.existing_accounts()
        if not rows:
            return
        self.stdout.write(f"\n演示账号（密码均为 {settings.QINGFU_DEMO_PASSWORD}）：")
        for role, username, who in rows:
            self.stdout.write(f"  {role:<8}\t{username:<10}\t{who}")
