"""The class's real homework time on an evening, from the families' logs, with a 90%
interval (the pure arithmetic is ``qingfu.homework.estimate``; this loads its facts)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Sum

from qingfu.homework.estimate import (
    POOLED_EVENINGS,
    LoadEstimate,
    estimate_class_day,
    estimate_with_paces,
    pace_of,
    written_share_of,
)
from qingfu.homework.models import TimeLogEntry
from qingfu.homework.selectors import day_items
from qingfu.schools.models import SchoolClass, Student


def class_day_estimate(
    school_class: SchoolClass, day: dt.date, *, use_paces: bool = True, written_only: bool = True
) -> LoadEstimate | None:
    """The class's real homework time that evening, from the logs, with a 90% interval.

    Known facts sharpen it: the day's at-home estimates and each student's own pace
    (reported / estimated minutes over their earlier logs, which also absorbs how the
    teachers' estimates run). The alert check on every log write skips the paces, which
    only narrow the interval and cost a read of the class's earlier logs.
    """
    rows = list(
        TimeLogEntry.objects.filter(log__school_class=school_class, log__date__lte=day)
        .values("log__student_id", "log__date")
        .annotate(reported=Sum("minutes"), estimated=Sum("estimated_minutes"))
        if use_paces
        else TimeLogEntry.objects.filter(log__school_class=school_class, log__date=day)
        .values("log__student_id", "log__date")
        .annotate(reported=Sum("minutes"), estimated=Sum("estimated_minutes"))
    )
    today = [r for r in rows if r["log__date"] == day]
    if not today:
        return None
    items = [
        f for _item, f in day_items([school_class.pk], day).get(school_class.pk, []) if f.at_home
    ]
    predicted = float(sum(f.minutes for f in items))
    written = float(sum(f.minutes for f in items if f.is_written and f.is_mandatory))
    # Families report minutes per subject, not per kind of task; the cap counts written,
    # mandatory work only, so that share of the estimate is what is compared with it.
    share = written / predicted if written_only and predicted else 1.0
    students = list(
        Student.objects.filter(school_class=school_class, is_active=True).values_list(
            "id", flat=True
        )
    )
    size = max(len(students), len(today))
    if not use_paces or predicted <= 0:
        return written_share_of(
            estimate_class_day(
                reported=[float(r["reported"]) for r in today], predicted=predicted, class_size=size
            ),
            share,
        )
    # Walk the earlier evenings in order: each evening's day ratios use the paces known
    # before it (as tonight's do), so their spread holds the paces' error honestly.
    by_date: dict[dt.date, list[tuple[int, float, float]]] = defaultdict(list)
    for r in rows:
        if r["log__date"] < day and r["estimated"]:
            by_date[r["log__date"]].append(
                (r["log__student_id"], float(r["reported"]), float(r["estimated"]))
            )
    history: dict[int, list[tuple[dt.date, float, float]]] = defaultdict(list)
    totals = [0.0, 0.0]
    earlier: list[list[float]] = []
    dates = sorted(by_date)
    for date in dates:
        if date >= dates[max(0, len(dates) - POOLED_EVENINGS)]:
            pace_then = totals[0] / totals[1] if totals[1] else 1.0
            earlier.append(
                [
                    reported / (pace_of(history[sid], class_pace=pace_then).value * estimated)
                    for sid, reported, estimated in by_date[date]
                ]
            )
        for sid, reported, estimated in by_date[date]:
            history[sid].append((date, reported, estimated))
            totals[0] += reported
            totals[1] += estimated
    class_pace = totals[0] / totals[1] if totals[1] else 1.0
    paces = {sid: pace_of(history.get(sid, []), class_pace=class_pace) for sid in students}
    reporters = {r["log__student_id"] for r in today}
    return written_share_of(
        estimate_with_paces(
            reported=[
                (
                    float(r["reported"]),
                    paces.get(r["log__student_id"]) or pace_of([], class_pace=class_pace),
                )
                for r in today
            ],
            predicted=predicted,
            unreported=[pace for sid, pace in paces.items() if sid not in reporters],
            earlier=earlier,
        ),
        share,
    )
