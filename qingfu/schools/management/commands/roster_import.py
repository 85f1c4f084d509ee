"""``qingfu roster_import SCHOOL_CODE FILE``: import a roster from the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from qingfu.core.actor import Actor
from qingfu.core.audit import COMMAND, channel
from qingfu.core.errors import ValidationFailed
from qingfu.schools.calendars import local_today
from qingfu.schools.models import School
from qingfu.schools.services import RosterInvalid, roster_import


class Command(BaseCommand):
    help = _("导入学生名册（XLSX 或 CSV）。任何一行有误则不导入任何数据。")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("school_code")
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            school = School.objects.get(code=options["school_code"])
        except School.DoesNotExist as exc:
            raise CommandError(
                _("没有代码为 %(code)s 的学校。") % {"code": options["school_code"]}
            ) from exc
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(_("找不到文件 %(path)s。") % {"path": path})
        # The console operator acts as a superuser, recorded in the audit log as such.
        operator = Actor(user_id=None, display_name="console", is_superuser=True)
        try:
            with channel(COMMAND):  # also when called in-process (call_command, tests)
                result = roster_import(
                    actor=operator,
                    school_id=school.pk,
                    filename=path.name,
                    data=path.read_bytes(),
                    today=local_today(),
                )
        except RosterInvalid as exc:
            for error in exc.row_errors:
                self.stderr.write(str(error))
            raise CommandError(
                ngettext(
                    "名册有 %(n)d 处错误，未导入任何数据。",
                    "名册有 %(n)d 处错误，未导入任何数据。",
                    len(exc.row_errors),
                )
                % {"n": len(exc.row_errors)}
            ) from exc
        except ValidationFailed as exc:
            raise CommandError(exc.errors["file"][0]) from exc
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "导入成功：%(rows)d 行，新增 %(created)d，更新 %(updated)d，未变 %(unchanged)d，"
                    "新建班级 %(classes)d，新增监护人 %(guardians)d。"
                )
                % {
                    "rows": result.rows,
                    "created": result.students_created,
                    "updated": result.students_updated,
                    "unchanged": result.students_unchanged,
                    "classes": result.classes_created,
                    "guardians": result.guardians_created,
                }
            )
        )
