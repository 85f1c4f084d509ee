"""``qingfu restore ARCHIVE``: put a ``qingfu backup`` archive back into an empty database
(migrating it first, then forward to this version), and check every table and file
against the archive's manifest (``qingfu.core.backup``, ``docs/operations.md``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from qingfu.core.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restore a backup archive into an empty database and verify it against its manifest."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="the archive written by `qingfu backup`")
        parser.add_argument("--database", default="default", help="the database alias")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            done = restore(Path(options["archive"]), alias=options["database"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _("已恢复并核对：%(tables)d 张表、%(rows)d 行、%(files)d 个文件与备份清单一致。")
            % {"tables": done.tables, "rows": done.rows, "files": done.files}
        )
