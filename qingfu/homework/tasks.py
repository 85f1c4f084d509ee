"""Homework's scheduled work on Celery: the evening check of tomorrow's homework."""

from __future__ import annotations

import datetime as dt

from celery import shared_task

from qingfu.homework.services import expected_alerts_for_schools
from qingfu.schools.calendars import local_today


@shared_task(name="qingfu.homework.expected_alerts")
def expected_alerts(day: str | None = None) -> int:
    """``qingfu expected_alerts`` as a task (beat sends it nightly): re-check ``day``
    (tomorrow by default) in every school; returns the number of classes over."""
    when = dt.date.fromisoformat(day) if day else local_today() + dt.timedelta(days=1)
    return expected_alerts_for_schools(day=when)
