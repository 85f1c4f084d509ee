"""``qingfu roster_import SCHOOL_CODE FILE``: import a roster from the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from qingfu.core.actor import Actor
from qingfu.core.errors import ValidationFailed
from qingfu.schools.calendars import local_today
from qingfu.schools.models import School
from qingfu.schools.services import RosterInvalid, roster_import


class Command(BaseCommand):
    help = "导入学生名册（XLSX 或 CSV）。任何一行有误则不导入任何数据。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("school_code")
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            school = School.objects.get(code=options["school_code"])
        except School.DoesNotExist as exc:
            raise CommandError(f"没有代码为 {options['school_code']} 的学校。") from exc
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"找不到文件 {path}。")
        # The console operator acts as a superuser, recorded in the audit log as such.
        operator = Actor(user_id=None, display_name="console", is_superuser=True)
        try:
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
            raise CommandError(f"名册有 {len(exc.row_errors)} 处错误，未导入任何数据。") from exc
        except ValidationFailed as exc:
            raise CommandError(exc.errors["file"][0]) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"导入成功：{result.rows} 行，新增 {result.students_created}，"
                f"更新 {result.students_updated}，未变 {result.students_unchanged}，"
                f"新建班级 {result.classes_created}，新增监护人 {result.guardians_created}。"
            )
        )
