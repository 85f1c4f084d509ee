"""``qingfu retention``: anonymise personal data older than ``QINGFU_RETENTION_DAYS`` now
(what beat's nightly ``qingfu.core.retention`` does)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from qingfu.core.audit import COMMAND, channel
from qingfu.core.retention import retention_run


class Command(BaseCommand):
    help = "Anonymise time logs, survey free text and audit entries past the retention period."

    def handle(self, *args: Any, **options: Any) -> None:
        with channel(COMMAND):
            done = retention_run(now=timezone.now())
        for name, count in done.items():
            self.stdout.write(f"{name}: {count}")
