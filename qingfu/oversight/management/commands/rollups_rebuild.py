"""``qingfu rollups_rebuild``: recompute every class-day rollup from the records."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from qingfu.oversight.services import rollups_rebuild
from qingfu.schools.models import School


class Command(BaseCommand):
    help = _("从作业、家长记录、例外和课后服务考勤重新计算全部班级日汇总。")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--school", action="append", default=[], help=_("学校代码（可重复）"))

    def handle(self, *args: Any, **options: Any) -> None:
        school_ids = None
        if options["school"]:
            found = dict(
                School.objects.filter(code__in=options["school"]).values_list("code", "id")
            )
            missing = sorted(set(options["school"]) - set(found))
            if missing:
                raise CommandError(_("没有这些学校代码：%(codes)s") % {"codes": ", ".join(missing)})
            school_ids = list(found.values())
        started = time.perf_counter()
        written = rollups_rebuild(school_ids=school_ids)
        self.stdout.write(
            self.style.SUCCESS(
                _("已重建 %(n)d 条班级日汇总（%(seconds).1f 秒）。")
                % {"n": written, "seconds": time.perf_counter() - started}
            )
        )
