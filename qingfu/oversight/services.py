"""Keeping class-day rollups: refresh the days a change touched, or rebuild a school.

Both go through one fetch (``_facts``) and one pure decision (``rollups.rollup_values``),
so a rebuilt rollup equals the maintained one by construction; a test checks it.

Refreshes are scheduled on commit of the write that caused them and take the rollup
row's lock before reading, so of two writers to the same class-day the later refresh
always reads both writes: no lost update, on PostgreSQL or SQLite.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from qingfu.afterschool.models import AttendanceMark
from qingfu.core.sql import bound_cursor
from qingfu.homework.followup import ReportedOver, logs_followup
from qingfu.homework.models import Assignment, Item, ItemKind, ItemPlace, LoadException, TimeLog
from qingfu.oversight.models import ClassDayRollup, RollupQueue
from qingfu.oversight.rollups import ClassDayFacts, rollup_values
from qingfu.policy.calendar import DayKind, SchoolCalendar
from qingfu.policy.checks import HomeworkItemFacts
from qingfu.schools.calendars import profile_for_school, semester_calendar
from qingfu.schools.models import School, SchoolClass, Semester, Student

Key = tuple[int, dt.date]  # (class id, date)
ATTENDED = (AttendanceMark.Status.PRESENT, AttendanceMark.Status.EARLY)


def _day_kinds(school_id: int, dates: Iterable[dt.date]) -> dict[dt.date, DayKind]:
    semesters = list(Semester.objects.filter(school_id=school_id))
    calendars: dict[int, SchoolCalendar] = {}
    kinds = {}
    for day in set(dates):
        semester = next((s for s in semesters if s.start <= day <= s.end), None)
        if semester is None:
            kinds[day] = DayKind.VACATION
            continue
        if semester.pk not in calendars:
            calendars[semester.pk] = semester_calendar(semester)
        kinds[day] = calendars[semester.pk].day_kind(day)
    return kinds


def _facts(school: School, keys: set[Key] | None) -> list[ClassDayFacts]:
    """Facts of the given class-days of one school, or of every class-day with a record."""
    class_rows = SchoolClass.objects.filter(school=school)
    if keys is not None:
        class_rows = class_rows.filter(id__in={c for c, _ in keys})
    classes = dict(class_rows.values_list("id", "grade__number"))
    by_key = Q()
    if keys is not None:
        if not keys:
            return []
        by_key = Q(school_class_id__in={c for c, _ in keys}, date__in={d for _, d in keys})

    items: dict[Key, list[HomeworkItemFacts]] = defaultdict(list)
    item_rows = Item.objects.filter(
        assignment__school=school, assignment__status=Assignment.Status.PUBLISHED
    )
    if keys is not None:
        item_rows = item_rows.filter(
            assignment__targets__school_class_id__in={c for c, _ in keys},
            assignment__targets__date__in={d for _, d in keys},
        )
    for class_id, day, code, minutes, kind, place, mandatory in item_rows.values_list(
        "assignment__targets__school_class_id",
        "assignment__targets__date",
        "assignment__subject__code",
        "minutes",
        "kind",
        "place",
        "is_mandatory",
    ).order_by("assignment_id", "position"):
        items[(class_id, day)].append(
            HomeworkItemFacts(
                subject=code,
                minutes=minutes,
                is_written=kind == ItemKind.WRITTEN,
                at_home=place == ItemPlace.HOME,
                is_mandatory=mandatory,
            )
        )

    reported: dict[Key, list[float]] = defaultdict(list)
    late: Counter[Key] = Counter()
    unfinished: Counter[Key] = Counter()
    logs = (
        TimeLog.objects.filter(by_key, school=school)
        .annotate(total=Sum("entries__minutes"))
        .values_list("school_class_id", "date", "total", "is_late", "could_not_finish")
        .order_by("id")
    )
    for class_id, day, total, is_late, could_not_finish in logs:
        key = (class_id, day)
        reported[key].append(float(total or 0))
        late[key] += is_late
        unfinished[key] += could_not_finish

    granted = Counter(
        {
            (row["school_class_id"], row["date"]): row["n"]
            for row in LoadException.objects.filter(
                by_key, school=school, status=LoadException.Status.GRANTED
            )
            .values("school_class_id", "date")
            .annotate(n=Count("id"))
        }
    )

    # The mark in force is a student's latest in a session; it counts for their class.
    marks_in_force: dict[tuple[int, int], tuple[Key, str]] = {}
    mark_rows = AttendanceMark.objects.filter(school=school)
    if keys is not None:
        mark_rows = mark_rows.filter(
            student__school_class_id__in={c for c, _ in keys},
            session__date__in={d for _, d in keys},
        )
    for session_id, student_id, class_id, day, status in mark_rows.values_list(
        "session_id", "student_id", "student__school_class_id", "session__date", "status"
    ).order_by("marked_at", "id"):
        marks_in_force[(session_id, student_id)] = ((class_id, day), status)
    marked: Counter[Key] = Counter()
    attended: Counter[Key] = Counter()
    for key, status in marks_in_force.values():
        marked[key] += 1
        attended[key] += status in ATTENDED

    wanted = keys if keys is not None else {*items, *reported, *granted, *marked}
    wanted = {k for k in wanted if k[0] in classes}
    sizes = Counter(
        dict(
            Student.objects.filter(school=school, school_class_id__in=classes, is_active=True)
            .values_list("school_class_id")
            .annotate(n=Count("id"))
            .values_list("school_class_id", "n")
        )
    )
    kinds = _day_kinds(school.pk, {d for _, d in wanted})
    return [
        ClassDayFacts(
            class_id=class_id,
            school_id=school.pk,
            grade=classes[class_id],
            date=day,
            day_kind=kinds[day],
            items=tuple(items.get((class_id, day), ())),
            reported=tuple(reported.get((class_id, day), ())),
            class_size=sizes[class_id],
            late_finishes=late[(class_id, day)],
            not_finished=unfinished[(class_id, day)],
            exceptions_granted=granted[(class_id, day)],
            afterschool_marks=marked[(class_id, day)],
            afterschool_attended=attended[(class_id, day)],
        )
        for class_id, day in sorted(wanted)
    ]


def rollups_refresh(*, school_id: int, keys: Iterable[Key]) -> None:
    """Recompute the rollups of these class-days from their records (delete the rows of
    days left without any record), then what follows from their logs (calibration totals,
    alerts), all under the rollup rows' locks."""
    wanted = set(keys)
    if not wanted:
        return
    school = School.objects.select_related("district").get(id=school_id)
    profile = profile_for_school(school)
    with transaction.atomic():
        for class_id, day in sorted(wanted):
            ClassDayRollup.objects.get_or_create(
                school_class_id=class_id,
                date=day,
                defaults={"school_id": school_id, "grade": 0, "day_kind": ""},
            )
        q = Q()
        for class_id, day in wanted:
            q |= Q(school_class_id=class_id, date=day)
        list(
            ClassDayRollup.objects.select_for_update().filter(q).order_by("school_class_id", "date")
        )
        for facts in _facts(school, wanted):
            if facts.has_records:
                ClassDayRollup.objects.filter(
                    school_class_id=facts.class_id, date=facts.date
                ).update(**rollup_values(profile, facts))
            else:
                ClassDayRollup.objects.filter(
                    school_class_id=facts.class_id, date=facts.date
                ).delete()
        logs_followup(
            school_id=school_id, keys=wanted, reported_over=_reported_over(school_id, wanted)
        )


def _reported_over(school_id: int, keys: set[Key] | None) -> list[ReportedOver]:
    """The class-days (of these, or all the school's) whose reported time, estimated from 3
    or more logs, is over the cap: for the head teachers' alerts."""
    rows = ClassDayRollup.objects.filter(school_id=school_id, reported_over=True, logs__gte=3)
    if keys is not None:
        rows = rows.filter(school_class_id__in={c for c, _ in keys}, date__in={d for _, d in keys})
    return [
        ReportedOver(*row)
        for row in rows.values_list(
            "school_class_id",
            "date",
            "reported_minutes",
            "reported_low",
            "reported_high",
            "cap",
            "school_class__grade__number",
            "school_class__number",
            "school_class__head_teacher_id",
        )
        if keys is None or (row[0], row[1]) in keys
    ]


def rollups_refresh_on_commit(*, school_id: int, keys: Iterable[Key]) -> None:
    """Refresh after the current transaction commits (at once outside a transaction), or,
    with ``QINGFU_ROLLUPS = "queued"``, mark the class-days for the background worker."""
    wanted = set(keys)
    mark = rollups_mark_statement(school_id=school_id, keys=wanted)
    if mark is not None:
        with bound_cursor() as cursor:
            cursor.execute(mark[0], mark[1])
    elif settings.QINGFU_ROLLUPS != "queued":
        transaction.on_commit(lambda: rollups_refresh(school_id=school_id, keys=wanted))


def rollups_mark_statement(*, school_id: int, keys: Iterable[Key]) -> tuple[str, list[Any]] | None:
    """With ``QINGFU_ROLLUPS = "queued"``, the statement (SQL and parameters) that marks
    these class-days for the background worker; a writer may run it inside its own
    statement. ``None`` when rollups are refreshed on commit instead, or nothing is marked.

    An upsert: it takes the mark's row lock, which the worker skips until the writer
    commits. In SQL because it runs on every log write, where the ORM cost three times
    more; its parameters are plain column values (``bound_cursor``)."""
    rows = sorted(set(keys))
    if settings.QINGFU_ROLLUPS != "queued" or not rows:
        return None
    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    return (
        f"INSERT INTO {RollupQueue._meta.db_table} (school_id, school_class_id, date,"  # noqa: S608 - our own table
        " queued_at) VALUES "
        + ", ".join(["(%s, %s, %s, %s)"] * len(rows))
        + " ON CONFLICT (school_class_id, date) DO UPDATE SET queued_at = excluded.queued_at",
        [
            v
            for class_id, day in rows
            for v in (school_id, class_id, ops.adapt_datefield_value(day), now)
        ],
    )


def rollups_drain(*, limit: int = 500) -> int:
    """Refresh queued class-days (oldest first) and drop their marks; the worker's step.
    Returns how many were refreshed. Rows a writer still holds are left for the next step."""
    with transaction.atomic():
        rows = RollupQueue.objects.order_by("queued_at", "id")
        if connection.features.has_select_for_update_skip_locked:
            rows = rows.select_for_update(skip_locked=True)
        batch = list(rows[:limit])
        by_school: dict[int, set[Key]] = defaultdict(set)
        for row in batch:
            by_school[row.school_id].add((row.school_class_id, row.date))
        for school_id, keys in sorted(by_school.items()):
            rollups_refresh(school_id=school_id, keys=keys)
        RollupQueue.objects.filter(id__in=[row.pk for row in batch]).delete()
    return len(batch)


def rollups_rebuild(*, school_ids: Iterable[int] | None = None) -> int:
    """Drop and recompute every rollup of these schools (all schools by default) from the
    records, and the calibration totals and log alerts with them. Returns the number of
    rollups written."""
    schools = School.objects.select_related("district").order_by("id")
    if school_ids is not None:
        schools = schools.filter(id__in=list(school_ids))
    written = 0
    for school in schools:
        profile = profile_for_school(school)
        rows = [
            ClassDayRollup(
                school_class_id=facts.class_id, date=facts.date, **rollup_values(profile, facts)
            )
            for facts in _facts(school, None)
            if facts.has_records
        ]
        with transaction.atomic():
            ClassDayRollup.objects.filter(school=school).delete()
            ClassDayRollup.objects.bulk_create(rows, batch_size=2000)
            logs_followup(
                school_id=school.pk, keys=None, reported_over=_reported_over(school.pk, None)
            )
        written += len(rows)
    return written
