"""Keeping class-day rollups: refresh the days a change touched, or rebuild a school.

Both go through one fetch (``_facts``) and one pure decision (``rollups.rollup_values``),
so a rebuilt rollup equals the maintained one by construction; a test checks it.

Refreshes are scheduled on commit of the write that caused them and take the rollup
row's lock before reading, so of two writers to the same class-day the later refresh
always reads both writes: no lost update, on PostgreSQL or SQLite.

In the background (``QINGFU_ROLLUPS = "queued"``) the write only marks the class-day in
its own transaction (``RollupQueue``, the outbox) and sends it to the Celery workers on
commit; ``rollup_mark_process`` is a worker's step, ``rollups_sweep`` re-sends marks whose
message was lost, ``rollups_drain`` polls the marks without a broker (docs/background.md).
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from qingfu.afterschool.models import AttendanceMark
from qingfu.core.sql import bound_cursor
from qingfu.core.tasks import backoff_seconds, send_on_commit
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
log = logging.getLogger(__name__)


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
    with ``QINGFU_ROLLUPS = "queued"``, mark the class-days for the background workers
    (and send them the work on commit when a broker is configured)."""
    wanted = set(keys)
    mark = rollups_mark_statement(school_id=school_id, keys=wanted)
    if mark is not None:
        with bound_cursor() as cursor:
            cursor.execute(mark[0], mark[1])
            rows = cursor.fetchall()
        rollups_marked(
            school_id=school_id, keys={(class_id, day) for class_id, day, send in rows if send}
        )
    elif settings.QINGFU_ROLLUPS != "queued":
        transaction.on_commit(lambda: rollups_refresh(school_id=school_id, keys=wanted))


def rollups_mark_statement(*, school_id: int, keys: Iterable[Key]) -> tuple[str, list[Any]] | None:
    """With ``QINGFU_ROLLUPS = "queued"``, the statement (SQL and parameters) that marks
    these class-days for the background workers; a writer may run it inside its own
    statement, and then calls ``rollups_marked``. ``None`` when rollups are refreshed on
    commit instead, or nothing is marked.

    An upsert: it takes the mark's row lock, which the workers skip until the writer
    commits, and bumps the mark's version, so a refresh running meanwhile (which read an
    older version) leaves the mark for another; a new mark is tried afresh (attempts 0).
    In SQL because it runs on every log write, where the ORM cost three times more; its
    parameters are plain column values (``bound_cursor``).

    It returns each class-day with ``send``: true only where no message is on its way,
    that is when the mark is new (version 1) or had failed (its retries may have ended).
    A mark already waiting for its message needs no other: a class-day written to forty
    times in an evening is sent once, not forty times. The worker covers the rest: it sends
    again a mark that moved on while it refreshed, and waits for a mark a writer holds; the
    sweeper covers a lost message."""
    rows = sorted(set(keys))
    if settings.QINGFU_ROLLUPS != "queued" or not rows:
        return None
    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    table = RollupQueue._meta.db_table
    return (
        f"INSERT INTO {table} (school_id, school_class_id, date, queued_at) VALUES "  # noqa: S608 - our own table
        + ", ".join(["(%s, %s, %s, %s)"] * len(rows))
        + " ON CONFLICT (school_class_id, date) DO UPDATE SET queued_at = excluded.queued_at,"
        f" version = {table}.version + 1, attempts = 0, next_attempt_at = NULL"
        # A failed mark has its error (SQLite 3.40 misreads ``failed_at IS NULL`` here).
        " RETURNING school_class_id AS class_id, date, (version = 1 OR last_error <> '') AS send",
        [
            v
            for class_id, day in rows
            for v in (school_id, class_id, ops.adapt_datefield_value(day), now)
        ],
    )


REFRESH_TASK = "qingfu.oversight.refresh_class_day"
# How long a worker waits before looking again at a mark someone else holds (a writer's
# transaction, or another worker's refresh).
BUSY_SECONDS = 1.0


def rollups_marked(*, school_id: int, keys: Iterable[Key]) -> None:
    """These class-days were just marked and no message is on its way: send each one's
    refresh to the workers when the mark commits (nothing without a broker: ``qingfu
    rollups_worker`` polls the marks)."""
    for class_id, day in sorted(set(keys)):
        send_on_commit(REFRESH_TASK, class_id, day.isoformat())


class MarkOutcome(enum.StrEnum):
    DONE = "done"  # refreshed; the mark is gone (or stays for a newer version)
    ELSEWHERE = "elsewhere"  # no mark: refreshed already
    BUSY = "busy"  # the mark is locked by its writer or another worker: look again soon
    RETRY = "retry"  # failed; counted, and due again after ``delay``
    GIVEN_UP = "given_up"  # failed QINGFU_ROLLUPS_MAX_ATTEMPTS times: skipped


@dataclass(frozen=True)
class MarkResult:
    outcome: MarkOutcome
    attempts: int = 0
    delay: float = 0.0  # seconds before the next attempt (RETRY, BUSY)


def rollup_mark_process(*, class_id: int, day: dt.date) -> MarkResult:
    """Refresh one marked class-day: the background workers' step.

    The mark's row lock is held for the whole refresh, and the mark is deleted in the
    refresh's own transaction, only at the version read: so the refresh and the mark's
    removal commit together (a worker killed half-way leaves the mark), a second worker
    given the same class-day skips it, and a mark made meanwhile waits for the lock (or,
    on SQLite, for the single writer) and is refreshed again: the writer sends no second
    message for a mark already waiting, so this worker sends it when the mark has moved on.
    A locked mark is someone else's (a writer bumping it, or another worker): the outcome
    is BUSY, and the task looks again shortly, since that writer sends nothing. A failure
    is recorded on the mark (attempts, last error, failed-at, next attempt after a
    backoff) and never touches another class-day."""
    try:
        with transaction.atomic():
            rows = RollupQueue.objects.filter(school_class_id=class_id, date=day)
            if connection.features.has_select_for_update_skip_locked:
                rows = rows.select_for_update(skip_locked=True)
            mark = rows.first()
            if mark is None:
                if RollupQueue.objects.filter(school_class_id=class_id, date=day).exists():
                    return MarkResult(MarkOutcome.BUSY, delay=BUSY_SECONDS)
                return MarkResult(MarkOutcome.ELSEWHERE)
            if mark.attempts >= settings.QINGFU_ROLLUPS_MAX_ATTEMPTS:
                return MarkResult(MarkOutcome.GIVEN_UP, mark.attempts)
            rollups_refresh(school_id=mark.school_id, keys={(class_id, day)})
            done, _ = RollupQueue.objects.filter(pk=mark.pk, version=mark.version).delete()
            if not done:  # marked again meanwhile: that change's refresh is this one's to send
                send_on_commit(REFRESH_TASK, class_id, day.isoformat())
            return MarkResult(MarkOutcome.DONE, mark.attempts)
    except Exception as exc:
        log.exception("refreshing the rollup of class %s on %s failed", class_id, day)
        return _mark_failed(class_id, day, exc)


def _mark_failed(class_id: int, day: dt.date, exc: Exception) -> MarkResult:
    now = timezone.now()
    with transaction.atomic():
        mark = (
            RollupQueue.objects.select_for_update()
            .filter(school_class_id=class_id, date=day)
            .first()
        )
        if mark is None:
            return MarkResult(MarkOutcome.ELSEWHERE)
        mark.attempts += 1
        delay = backoff_seconds(
            mark.attempts,
            base=settings.QINGFU_ROLLUPS_RETRY_SECONDS,
            cap=settings.QINGFU_ROLLUPS_RETRY_MAX_SECONDS,
        )
        mark.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        mark.failed_at = now
        mark.next_attempt_at = now + dt.timedelta(seconds=delay)
        mark.save(update_fields=["attempts", "last_error", "failed_at", "next_attempt_at"])
    if mark.attempts >= settings.QINGFU_ROLLUPS_MAX_ATTEMPTS:
        return MarkResult(MarkOutcome.GIVEN_UP, mark.attempts)
    return MarkResult(MarkOutcome.RETRY, mark.attempts, delay)


def _due_marks() -> Any:
    now = timezone.now()
    return RollupQueue.objects.filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
        attempts__lt=settings.QINGFU_ROLLUPS_MAX_ATTEMPTS,
    )


def rollups_drain(*, limit: int = 500) -> int:
    """Refresh the due marks (oldest first): the polling worker's step without a broker
    (``qingfu rollups_worker``, and the benches). Returns how many were refreshed.

    The due class-days of one school are refreshed together, in one
    :func:`rollups_refresh` (whose queries hardly grow with the number of class-days),
    under their marks' locks, with the same promises as :func:`rollup_mark_process`: each
    mark is dropped only at the version read (one moved on meanwhile is refreshed again), a
    mark someone else holds is left for the next step. If the school's refresh fails, its
    class-days are refreshed one at a time, so the failing one is recorded and skipped and
    the others go through. Refreshing them one at a time always (as Celery's workers do,
    one message each) cost ten times the queries: 22 a class-day against 2 (docs/benchmarks.md)."""
    due = list(
        _due_marks()
        .order_by("queued_at", "id")
        .values_list("school_id", "school_class_id", "date")[:limit]
    )
    by_school: dict[int, list[Key]] = defaultdict(list)
    for school_id, class_id, day in due:
        by_school[school_id].append((class_id, day))
    done = 0
    for school_id, keys in by_school.items():
        try:
            done += _drain_school(school_id, keys)
        except Exception:
            log.exception(
                "refreshing %d class-days of school %s together failed", len(keys), school_id
            )
            done += sum(
                rollup_mark_process(class_id=class_id, day=day).outcome is MarkOutcome.DONE
                for class_id, day in keys
            )
    return done


def _drain_school(school_id: int, keys: list[Key]) -> int:
    """Refresh these marked class-days of one school in one transaction (see
    :func:`rollups_drain`); returns how many were refreshed."""
    with transaction.atomic():
        wanted = Q()
        for class_id, day in keys:
            wanted |= Q(school_class_id=class_id, date=day)
        rows = _due_marks().filter(wanted, school_id=school_id).order_by("school_class_id", "date")
        if connection.features.has_select_for_update_skip_locked:
            rows = rows.select_for_update(skip_locked=True)
        marks = list(rows)  # those refreshed meanwhile are gone; those held, skipped
        if not marks:
            return 0
        rollups_refresh(school_id=school_id, keys={(m.school_class_id, m.date) for m in marks})
        read = Q()
        for mark in marks:
            read |= Q(pk=mark.pk, version=mark.version)
        dropped, _ = RollupQueue.objects.filter(read).delete()
        if dropped < len(marks):  # marked again meanwhile: their refresh is ours to send
            for class_id, day in RollupQueue.objects.filter(
                pk__in=[m.pk for m in marks]
            ).values_list("school_class_id", "date"):
                send_on_commit(REFRESH_TASK, class_id, day.isoformat())
        return len(marks)


def rollups_sweep(*, older_than: dt.timedelta) -> list[Key]:
    """Send again the work of marks older than ``older_than`` that are due (their message
    was lost: a broker restart, a send that failed after the commit, a worker killed
    before the broker redelivers). Each is held back for ``older_than`` after, so a long
    queue is not flooded with copies. Returns the class-days sent."""
    now = timezone.now()
    with transaction.atomic():
        rows = _due_marks().filter(queued_at__lte=now - older_than).order_by("queued_at", "id")
        if connection.features.has_select_for_update_skip_locked:
            rows = rows.select_for_update(skip_locked=True)
        marks = list(rows)
        RollupQueue.objects.filter(pk__in=[m.pk for m in marks]).update(
            next_attempt_at=now + older_than
        )
        keys = [(m.school_class_id, m.date) for m in marks]
        for class_id, day in keys:
            send_on_commit(REFRESH_TASK, class_id, day.isoformat())
    return keys


def rollups_retry_failed() -> int:
    """Make the marks given up on due again (after a fix); returns how many."""
    return RollupQueue.objects.filter(attempts__gte=settings.QINGFU_ROLLUPS_MAX_ATTEMPTS).update(
        attempts=0, next_attempt_at=None
    )


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
