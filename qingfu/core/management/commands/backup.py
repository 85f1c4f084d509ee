"""``qingfu backup ARCHIVE``: the database and the uploaded files in one archive, with a
manifest of every table's rows and every file's checksum, while the site is in use
(``qingfu.core.backup``, ``docs/operations.md``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from qingfu.core.backup import BackupError, backup


class Command(BaseCommand):
    help = "Write a consistent backup (database and uploaded files, with a manifest) to ARCHIVE."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="the archive to write (.tar.gz); never overwritten")
        parser.add_argument("--database", default="default", help="the database alias")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            done = backup(Path(options["archive"]), alias=options["database"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _("已备份：%(tables)d 张表、%(rows)d 行、%(files)d 个文件，共 %(size)d 字节。")
            % {"tables": done.tables, "rows": done.rows, "files": done.files, "size": done.size}
        )
