"""``qingfu expected_alerts``: the evening before, re-check tomorrow's homework of every
school against the cap by what families report, and tell the grade leaders."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from qingfu.homework.services import expected_alerts_for_schools
from qingfu.schools.calendars import local_today


class Command(BaseCommand):
    help = _("按家长记录校准，提前检查某日（默认明天）已布置作业是否超出上限，并提醒年级组长。")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help=_("要检查的日期，YYYY-MM-DD（默认明天）"))

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            day = (
                dt.date.fromisoformat(options["date"])
                if options["date"]
                else local_today() + dt.timedelta(days=1)
            )
        except ValueError as exc:
            raise CommandError(_("日期格式应为 YYYY-MM-DD。")) from exc
        over = expected_alerts_for_schools(day=day)
        self.stdout.write(
            ngettext(
                "%(day)s：%(n)d 个班级预计实际用时超出上限，已提醒年级组长。",
                "%(day)s：%(n)d 个班级预计实际用时超出上限，已提醒年级组长。",
                over,
            )
            % {"day": day.isoformat(), "n": over}
        )
