"""What follows from a class-day's time logs, kept off the log write: the calibration
totals and the alerts the logs raise.

A log write only saves the log and announces its class-day (``core.changes``; the layer
above refreshes it, inline on commit or by the background worker). The refresh, holding the
class-day's rollup lock, calls ``logs_followup`` for the class-days it refreshed; a
rebuild calls it for the whole school. Every step is recomputed from the class-day's own
records, so running it twice, late, or from scratch gives the same result.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import QuerySet

from qingfu.core.reads import cache_clear
from qingfu.core.wording import Node, counted, phrase
from qingfu.homework.calibration import ShareKey, class_day_shares, share_deltas, subject_owners
from qingfu.homework.models import (
    Alert,
    Assignment,
    CalibrationShare,
    CalibrationStat,
    Item,
    ItemPlace,
    TimeLog,
    TimeLogEntry,
)
from qingfu.schools.models import SchoolClass, Student

Key = tuple[int, dt.date]  # (class id, date)
LATE_DAYS_ALERT = 3


def logs_followup(
    *, school_id: int, keys: set[Key] | None, reported_over: Iterable[ReportedOver]
) -> None:
    """Bring the school's calibration totals and log alerts up to date with the logs of
    these class-days (of every class-day when ``keys`` is None). Runs after the class-days'
    rollups were written, in the same transaction; ``reported_over`` are those of these
    class-days whose rollup finds the reported time over the cap."""
    if keys is not None and not keys:
        return
    _calibration_refresh(school_id, keys)
    _late_finish_alerts(school_id, keys)
    _over_cap_alerts(school_id, reported_over)


def _near(rows: QuerySet[Any], keys: set[Key] | None, class_field: str, date_field: str) -> Any:
    """Rows of the given class-days' classes and dates (a superset: callers keep exact keys)."""
    if keys is None:
        return rows
    return rows.filter(
        **{f"{class_field}__in": {c for c, _ in keys}, f"{date_field}__in": {d for _, d in keys}}
    )


def _calibration_refresh(school_id: int, keys: set[Key] | None) -> None:
    items = Item.objects.filter(
        assignment__school_id=school_id,
        assignment__status=Assignment.Status.PUBLISHED,
        place=ItemPlace.HOME,
    )
    owners = subject_owners(
        _near(items, keys, "assignment__targets__school_class_id", "assignment__targets__date")
        .values_list(
            "assignment__targets__school_class_id",
            "assignment__targets__date",
            "assignment__subject_id",
            "assignment__subject__code",
            "assignment__teacher_id",
            "kind",
            "minutes",
        )
        .order_by("assignment_id", "position")
    )
    entries = _near(
        TimeLogEntry.objects.filter(log__school_id=school_id, estimated_minutes__gt=0),
        keys,
        "log__school_class_id",
        "log__date",
    ).values_list("log__school_class_id", "log__date", "subject_id", "estimated_minutes", "minutes")
    new = {
        key: share
        for key, share in class_day_shares(owners, entries).items()
        if keys is None or key[:2] in keys
    }
    if keys is None:
        CalibrationShare.objects.filter(school_id=school_id).delete()
        CalibrationStat.objects.filter(school_id=school_id).delete()
        _shares_create(school_id, new)
        _stats_add(school_id, share_deltas({}, new))
        return
    old_rows = [
        row
        for row in _near(
            CalibrationShare.objects.filter(school_id=school_id), keys, "school_class_id", "date"
        ).values_list(
            "id",
            "school_class_id",
            "date",
            "teacher_id",
            "subject_code",
            "kind",
            "estimated_total",
            "reported_total",
            "observations",
        )
        if (row[1], row[2]) in keys
    ]
    old: dict[ShareKey, tuple[float, float, int]] = {
        (c, d, t, s, k): (est, rep, n) for _, c, d, t, s, k, est, rep, n in old_rows
    }
    if old == new:  # e.g. an attendance mark or a log without estimates: nothing moved
        return
    CalibrationShare.objects.filter(id__in=[row[0] for row in old_rows]).delete()
    _shares_create(school_id, new)
    _stats_add(school_id, share_deltas(old, new))


def _shares_create(school_id: int, shares: dict[ShareKey, tuple[float, float, int]]) -> None:
    CalibrationShare.objects.bulk_create(
        (
            CalibrationShare(
                school_id=school_id,
                school_class_id=class_id,
                date=day,
                teacher_id=teacher,
                subject_code=code,
                kind=kind,
                estimated_total=est,
                reported_total=rep,
                observations=n,
            )
            for (class_id, day, teacher, code, kind), (est, rep, n) in shares.items()
        ),
        batch_size=2000,
    )


def _stats_add(
    school_id: int, deltas: dict[tuple[int, str, str], tuple[float, float, int]]
) -> None:
    """Add the deltas to the running totals in one upsert; adding in SQL (not read, add,
    write) keeps two class-days refreshed at once from overwriting each other's sums."""
    rows = list(deltas.items())
    if rows:
        cache_clear("calibration", school_id)
    table = CalibrationStat._meta.db_table
    for start in range(0, len(rows), 500):
        chunk = rows[start : start + 500]
        params: list[int | float | str] = []
        for (teacher_id, code, kind), (estimated, reported, n) in chunk:
            params += [school_id, teacher_id, code, kind, estimated, reported, n]
        sql = (
            f"INSERT INTO {table} (school_id, teacher_id, subject_code, kind, estimated_total,"  # noqa: S608 - table name is ours
            " reported_total, observations) VALUES "
            + ", ".join(["(%s, %s, %s, %s, %s, %s, %s)"] * len(chunk))
            + " ON CONFLICT (teacher_id, subject_code, kind) DO UPDATE SET"
            f" estimated_total = {table}.estimated_total + excluded.estimated_total,"
            f" reported_total = {table}.reported_total + excluded.reported_total,"
            f" observations = {table}.observations + excluded.observations"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _late_finish_alerts(school_id: int, keys: set[Key] | None) -> None:
    """A student who finished after bedtime on ``LATE_DAYS_ALERT`` or more evenings of a
    week: to their class's head teacher, once per student and week (the count updated)."""
    # An evening past the retention period says no longer whose it was: no one to alert.
    late = TimeLog.objects.filter(school_id=school_id, is_late=True, student__isnull=False)
    if keys is not None:
        weeks = {
            (student_id, _monday(day))
            for student_id, class_id, day in _near(
                late, keys, "school_class_id", "date"
            ).values_list("student_id", "school_class_id", "date")
            if (class_id, day) in keys
        }
        if not weeks:
            return
        start = min(monday for _, monday in weeks)
        end = max(monday for _, monday in weeks) + dt.timedelta(days=6)
        late = late.filter(student_id__in={s for s, _ in weeks}, date__range=(start, end))
    days: Counter[tuple[int, dt.date]] = Counter()
    classes: dict[tuple[int, dt.date], int] = {}
    for student_id, class_id, day in late.values_list("student_id", "school_class_id", "date"):
        week = (student_id, _monday(day))
        days[week] += 1
        classes[week] = class_id
    due = {week: n for week, n in days.items() if n >= LATE_DAYS_ALERT}
    if not due:
        return
    names = dict(Student.objects.filter(id__in={s for s, _ in due}).values_list("id", "name"))
    heads = _heads({classes[week] for week in due})
    for (student_id, monday), n in sorted(due.items()):
        class_id = classes[(student_id, monday)]
        head = heads.get(class_id)
        if head is None:
            continue
        _alert(
            school_id, head, Alert.Kind.LATE_FINISH, class_id, monday, student_id,
            phrase(
                "{student} 在 {date}起的一周有 {days}晚于就寝时间完成作业。",
                student=names[student_id], date=Alert.day(monday),
                days=counted("{n} 天", "{n} 天", n),
            ),
        )  # fmt: skip


@dataclass(frozen=True)
class ReportedOver:
    """A class-day whose reported time (the rollup's estimate from 3 or more logs) is over
    its cap, as the layer that keeps the rollups hands it down."""

    class_id: int
    date: dt.date
    minutes: float | None
    low: float | None
    high: float | None
    cap: int
    grade: int
    number: int
    head_teacher_id: int | None


def _over_cap_alerts(school_id: int, reported_over: Iterable[ReportedOver]) -> None:
    """Each class-day reported over the cap: to the class's head teacher. Stored as a
    message id and its values, shown in the reader's language."""
    for row in reported_over:
        if row.head_teacher_id is None or row.minutes is None:
            continue
        figures = {
            "class": Alert.class_name(row.grade, row.number), "date": Alert.day(row.date),
            "minutes": round(row.minutes), "cap": row.cap,
        }  # fmt: skip
        if row.low is not None and row.high is not None:
            said = phrase(
                "{class} {date} 家长报告的作业用时约 {minutes} 分钟"
                "（90% 区间 {low}–{high}），超过 {cap} 分钟上限。",
                **figures, low=round(row.low), high=round(row.high),
            )  # fmt: skip
        else:
            said = phrase(
                "{class} {date} 家长报告的作业用时约 {minutes} 分钟，超过 {cap} 分钟上限。",
                **figures,
            )
        _alert(
            school_id, row.head_teacher_id, Alert.Kind.OVER_CAP_REPORTED, row.class_id, row.date,
            None, said,
        )  # fmt: skip


def _heads(class_ids: Iterable[int]) -> dict[int, int | None]:
    return dict(
        SchoolClass.objects.filter(id__in=set(class_ids)).values_list("id", "head_teacher_id")
    )


def _alert(
    school_id: int,
    recipient: int,
    kind: str,
    class_id: int,
    day: dt.date,
    student_id: int | None,
    said: Node,
) -> None:
    """One alert per recipient, kind, class, day and student: a re-check updates its text
    and leaves whether it was read alone."""
    lookup: dict[str, Any] = {
        "recipient_id": recipient, "kind": kind, "school_class_id": class_id, "date": day,
        "student_id": student_id,
    }  # fmt: skip
    Alert.objects.update_or_create(**lookup, defaults={"school_id": school_id, "wording": said})
