"""Oversight's background work on Celery: the refresh of one marked class-day (with
retries and backoff) and the sweep that sends again the marks whose message was lost.

The marks are the durable record (``RollupQueue``, written with the change); a message
only says "look at this class-day now", so a duplicate is harmless and a lost one is swept.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from celery import shared_task
from django.conf import settings

from qingfu.oversight.services import (
    REFRESH_TASK,
    MarkOutcome,
    rollup_mark_process,
    rollups_sweep,
)


@shared_task(bind=True, name=REFRESH_TASK, max_retries=None)
def refresh_class_day(self: Any, class_id: int, day: str) -> str:
    """Refresh one marked class-day; a failure is recorded on the mark and retried after
    its backoff, up to ``QINGFU_ROLLUPS_MAX_ATTEMPTS`` times; a mark someone else holds is
    looked at again shortly (its writer sends no message of its own)."""
    result = rollup_mark_process(class_id=class_id, day=dt.date.fromisoformat(day))
    if result.outcome in (MarkOutcome.RETRY, MarkOutcome.BUSY):
        raise self.retry(countdown=result.delay)
    return result.outcome.value


@shared_task(name="qingfu.oversight.sweep_marks")
def sweep_marks(older_than: float | None = None) -> int:
    """Send again the refresh of every due mark older than ``older_than`` seconds
    (``QINGFU_ROLLUPS_SWEEP_AFTER_SECONDS`` by default); beat runs it every minute."""
    seconds = settings.QINGFU_ROLLUPS_SWEEP_AFTER_SECONDS if older_than is None else older_than
    return len(rollups_sweep(older_than=dt.timedelta(seconds=seconds)))
