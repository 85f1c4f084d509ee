"""A teacher's alerts inbox, how often each student of a class finished late in a week
(shown to the head teacher only), and the retention of old evenings."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count

from qingfu.core.actor import Actor
from qingfu.core.audit import audit_list
from qingfu.homework.models import Alert, TimeLog


def alerts_for(actor: Actor) -> list[Alert]:
    """The teacher's latest alerts (none for anyone who is not a teacher); those naming a
    student are audited as one list read."""
    if actor.teacher_id is None:
        return []
    alerts = list(
        Alert.objects.filter(recipient_id=actor.teacher_id)
        .select_related("school_class__grade")
        .order_by("-date", "-created_at")[:100]
    )
    named = [a.student_id for a in alerts if a.student_id is not None]
    if named:
        audit_list(actor, "alerts", named, school_id=alerts[0].school_id)
    return alerts


def late_counts(class_id: int, monday: dt.date) -> dict[int, int]:
    """Per student of the class, the evenings of the week from ``monday`` finished late."""
    rows = (
        TimeLog.objects.filter(
            school_class_id=class_id,
            date__gte=monday,
            date__lt=monday + dt.timedelta(days=7),
            is_late=True,
            student__isnull=False,  # past retention an evening is no one's
        )
        .values("student_id")
        .annotate(n=Count("id"))
    )
    return {r["student_id"]: r["n"] for r in rows}


def timelogs_anonymise(before: dt.datetime) -> int:
    """Evenings older than the retention period keep their class, day, minutes and late
    flag (every count built from them stays) and lose whose they were: the student, who
    logged it, the reason typed."""
    return (
        TimeLog.objects.filter(date__lt=before.date())
        .exclude(student=None, logged_by=None, reason="")
        .update(student=None, logged_by=None, reason="")
    )
