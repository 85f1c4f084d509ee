"""A teacher's alerts inbox, and how often each student of a class finished late in a
week (shown to the head teacher only)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count

from qingfu.core.actor import Actor
from qingfu.homework.models import Alert, TimeLog


def alerts_for(actor: Actor) -> list[Alert]:
    """The teacher's latest alerts (none for anyone who is not a teacher)."""
    if actor.teacher_id is None:
        return []
    return list(
        Alert.objects.filter(recipient_id=actor.teacher_id)
        .select_related("school_class__grade")
        .order_by("-date", "-created_at")[:100]
    )


def late_counts(class_id: int, monday: dt.date) -> dict[int, int]:
    """Per student of the class, the evenings of the week from ``monday`` finished late."""
    rows = (
        TimeLog.objects.filter(
            school_class_id=class_id,
            date__gte=monday,
            date__lt=monday + dt.timedelta(days=7),
            is_late=True,
        )
        .values("student_id")
        .annotate(n=Count("id"))
    )
    return {r["student_id"]: r["n"] for r in rows}
