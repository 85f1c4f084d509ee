"""Family time logs (作业日志): who is asked today, the prefilled form, saving a log, the
class-day estimate and the alerts inbox. What follows from a log (calibration totals,
alerts) is ``followup``'s, run by the class-day refresh."""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, replace
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from qingfu.core.actor import Actor
from qingfu.core.changes import (
    announce_class_days,
    class_days_mark_statement,
    class_days_marked,
)
from qingfu.core.errors import NotFound, ValidationFailed
from qingfu.core.reads import Reads
from qingfu.core.sql import bound_cursor
from qingfu.homework.cache import school_profile
from qingfu.homework.estimate import (
    POOLED_EVENINGS,
    LoadEstimate,
    estimate_class_day,
    estimate_with_paces,
    pace_of,
    written_share_of,
)
from qingfu.homework.models import (
    Alert,
    Assignment,
    ClassLogging,
    Item,
    ItemKind,
    ItemPlace,
    TimeLog,
    TimeLogEntry,
)
from qingfu.homework.sampling import PanelTooLarge, panel_for_day, panel_order
from qingfu.homework.selectors import day_items
from qingfu.policy.calendar import DayKind
from qingfu.policy.checks import check_bedtime
from qingfu.policy.verdicts import Status
from qingfu.schools.calendars import semester_calendar
from qingfu.schools.models import SchoolClass, Semester, Student

MAX_SUBJECT_MINUTES = 300


def _logging_for(school_class: SchoolClass) -> ClassLogging:
    found = ClassLogging.objects.filter(school_class=school_class).first()
    return found or ClassLogging(school_id=school_class.school_id, school_class=school_class)


@dataclass(frozen=True)
class SubjectLine:
    subject_id: int
    subject: str
    estimated: int  # the items' estimates, what the form is prefilled with
    items: tuple[str, ...]


@dataclass(frozen=True)
class ClassDay:
    """What showing and saving a log needs to know about its class-day, fetched once: the
    kind of day, the published items as form lines, the at-home minutes the estimate
    scales, the class's active students and who is asked today."""

    day_kind: DayKind
    lines: tuple[SubjectLine, ...]
    predicted: float  # at-home minutes of the day's items
    written: float  # of which written and mandatory (what the cap counts)
    students: tuple[int, ...]  # active students of the class
    asked: frozenset[int] | None  # None: everyone logs


def class_day_for(school_class: SchoolClass, day: dt.date, reads: Reads | None = None) -> ClassDay:
    """``class_day_fetch``, from the cache when it can be trusted."""
    return (reads or Reads()).get(
        f"class-day:{school_class.pk}:{day.isoformat()}",
        lambda: class_day_fetch(school_class, day),
        scopes=("roster", "calendar", "homework"),
        owner=school_class.school_id,
    )


def class_day_fetch(school_class: SchoolClass, day: dt.date) -> ClassDay:
    """Five reads: the logging setting, the semester and its calendar exceptions, the day's
    published items, the class's active students."""
    setting = _logging_for(school_class)
    semester = Semester.objects.filter(
        school_id=school_class.school_id, start__lte=day, end__gte=day
    ).first()
    calendar = semester_calendar(semester) if semester is not None else None
    day_kind = calendar.day_kind(day) if calendar is not None else DayKind.VACATION
    rows = (
        Item.objects.filter(
            assignment__status=Assignment.Status.PUBLISHED,
            assignment__targets__school_class_id=school_class.pk,
            assignment__targets__date=day,
        )
        .values_list(
            "assignment__subject_id",
            "assignment__subject__name",
            "content",
            "minutes",
            "kind",
            "place",
            "is_mandatory",
        )
        .order_by("assignment__subject__sort_order", "assignment_id", "position")
    )
    lines: dict[int, tuple[str, int, list[str]]] = {}
    predicted = written = 0.0
    for subject_id, name, content, minutes, kind, place, mandatory in rows:
        at_home = place == ItemPlace.HOME
        _name, total, contents = lines.get(subject_id, (name, 0, []))
        lines[subject_id] = (name, total + (minutes if at_home else 0), [*contents, content])
        if at_home:
            predicted += minutes
            written += minutes if kind == ItemKind.WRITTEN and mandatory else 0
    students = list(
        Student.objects.filter(school_class=school_class, is_active=True)
        .order_by("id")
        .values_list("id", "gender")
    )
    asked: frozenset[int] | None = None
    if setting.mode != ClassLogging.Mode.EVERYONE:
        asked = frozenset()
        if semester is not None and calendar is not None and day_kind is DayKind.SCHOOL_DAY:
            day_index = len(calendar.school_days(semester.start, day)) - 1
            strata: dict[str, list[int]] = defaultdict(list)
            for sid, gender in students:
                strata[gender].append(sid)
            order = panel_order(strata, seed=school_class.pk)
            try:
                asked = frozenset(
                    panel_for_day(
                        order,
                        day_index=day_index,
                        per_day=setting.per_day,
                        min_gap=setting.min_gap_days,
                    )
                )
            except PanelTooLarge:
                asked = None  # a class too small to sample: everyone logs
    return ClassDay(
        day_kind=day_kind,
        lines=tuple(SubjectLine(sid, n, m, tuple(c)) for sid, (n, m, c) in lines.items()),
        predicted=predicted,
        written=written,
        students=tuple(sid for sid, _ in students),
        asked=asked,
    )


def panel(school_class: SchoolClass, day: dt.date) -> set[int] | None:
    """Students asked to log on ``day``; None means everyone logs (no sampling)."""
    if Reads().cache is None and _logging_for(school_class).mode == ClassLogging.Mode.EVERYONE:
        return None  # one read instead of the whole class-day
    asked = class_day_for(school_class, day).asked
    return None if asked is None else set(asked)


@dataclass(frozen=True)
class LogForm:
    student: Student
    date: dt.date
    asked: bool
    lines: tuple[SubjectLine, ...]
    existing: TimeLog | None


def _student_for(actor: Actor, student_id: int) -> Student:
    if student_id not in actor.child_student_ids and student_id != actor.student_id:
        raise NotFound()
    return Student.objects.select_related("school_class__grade", "school__district").get(
        id=student_id
    )


@dataclass(frozen=True)
class StudentCard:
    """What saving a log needs to know of its student (cached like the class-day; showing
    the form puts it there, so the submit that follows does not read it again)."""

    school_id: int
    class_id: int
    stage: str

    @classmethod
    def of(cls, student: Student) -> StudentCard:
        return cls(student.school_id, student.school_class_id, student.school_class.grade.stage)


def _student_card(student_id: int) -> StudentCard:
    student = Student.objects.select_related("school_class__grade").filter(id=student_id).first()
    if student is None:
        raise NotFound()
    return StudentCard.of(student)


def _card_for(student_id: int, schools: frozenset[int], reads: Reads) -> StudentCard:
    """The student's card, kept under the roster version of the school it names. The
    reader's schools are tried in turn (a family's are its children's: the first is right
    but for a family with children in two schools); an entry that names another school only
    says where to look, and a student who moves school moves the first school's version."""
    for school_id in sorted(schools):
        card = reads.get(
            f"student:{student_id}:{school_id}",
            lambda: _student_card(student_id),
            scopes=("roster",),
            owner=school_id,
        )
        if card.school_id == school_id:
            return card
    return _student_card(student_id)


def _class_day_of(
    actor: Actor, student_id: int, day: dt.date, reads: Reads
) -> tuple[StudentCard, ClassDay]:
    """The student's card and class-day, for one of the actor's children (or themself)."""
    if student_id not in actor.child_student_ids and student_id != actor.student_id:
        raise NotFound()
    card = _card_for(student_id, actor.school_ids, reads)
    school_class = SchoolClass(pk=card.class_id, school_id=card.school_id)
    return card, class_day_for(school_class, day, reads)


def _form_for(student: Student, day: dt.date, class_day: ClassDay) -> LogForm:
    return LogForm(
        student=student,
        date=day,
        asked=class_day.asked is None or student.pk in class_day.asked,
        lines=class_day.lines,
        existing=None,
    )


def log_form(actor: Actor, student_id: int, day: dt.date) -> LogForm:
    student = _student_for(actor, student_id)
    reads = Reads(actor.school_ids)
    reads.get(
        f"student:{student_id}:{student.school_id}",
        lambda: StudentCard.of(student),
        scopes=("roster",),
        owner=student.school_id,
    )
    form = _form_for(student, day, class_day_for(student.school_class, day, reads))
    existing = TimeLog.objects.filter(student=student, date=day).prefetch_related("entries").first()
    return replace(form, existing=existing)


def timelog_submit(
    *,
    actor: Actor,
    student_id: int,
    day: dt.date,
    minutes: dict[int, int],
    finished_at: dt.time | None,
    could_not_finish: bool,
    reason: str,
    now: dt.datetime,
    at_school: Collection[int] = (),
) -> TimeLog:
    """Save (or correct) one evening's log. A second submit for the same evening updates it.

    ``at_school`` names the subjects whose homework was done at school (after-school help).
    The student, the class-day and the policy come from the cache while nothing they are
    built from has changed; the write is the log and its entries. What follows from them
    (the rollup, calibration totals, alerts) runs on commit or in the background worker.
    """
    reads = Reads(actor.school_ids)
    card, class_day = _class_day_of(actor, student_id, day, reads)
    errors: dict[str, list[str]] = {}
    today = now.date()
    if day > today:
        errors["date"] = [_("不能记录未来日期的作业。")]
    day_kind = class_day.day_kind
    if day_kind is DayKind.VACATION:
        errors["date"] = [_("日期不在本学期内。")]
    known = {line.subject_id: line for line in class_day.lines}
    for subject_id, value in minutes.items():
        if subject_id not in known:
            errors[f"minutes.{subject_id}"] = [_("这门学科当天没有布置作业。")]
        elif not 0 <= value <= MAX_SUBJECT_MINUTES:
            errors[f"minutes.{subject_id}"] = [
                _("用时应在 0 到 %(max)d 分钟之间。") % {"max": MAX_SUBJECT_MINUTES}
            ]
    for subject_id in at_school:
        if subject_id not in minutes:
            errors[f"at_school.{subject_id}"] = [_("这门学科当天没有记录用时。")]
    if finished_at is None and not could_not_finish:
        errors["finished_at"] = [_("请填写完成时间，或选择“未能完成”。")]
    if (
        finished_at is not None
        and day == today
        and finished_at > now.time()
        and finished_at.hour >= 5
    ):
        errors["finished_at"] = [_("完成时间不能晚于现在。")]
    if could_not_finish and not reason.strip():
        errors["reason"] = [_("请简单说明未能完成的原因。")]
    if errors:
        raise ValidationFailed(errors)
    profile = school_profile(card.school_id, reads)
    late = (
        finished_at is not None
        and check_bedtime(profile, stage=card.stage, finished_at=finished_at).status
        is not Status.OK
    )
    values = {
        "school_id": card.school_id,
        "school_class_id": card.class_id,
        "finished_at": finished_at,
        "could_not_finish": could_not_finish,
        "reason": reason.strip()[:200],
        "is_late": late,
        "was_sampled": class_day.asked is None or student_id in class_day.asked,
        "logged_by_id": actor.user_id,
    }
    entries = [
        (sid, value, known[sid].estimated, sid in at_school) for sid, value in minutes.items()
    ]
    keys = {(card.class_id, day)}
    # Calibration, the alerts and the rollup follow from the class-day's records.
    mark = class_days_mark_statement(school_id=card.school_id, keys=keys)
    now_utc = timezone.now()
    log_id = _log_insert(student_id, day, values, entries, mark, now=now_utc)
    if log_id is None:  # SQLite, or a correction of the evening's log
        with transaction.atomic():
            log_id = _log_save(student_id, day, values, entries, now=now_utc)
            announce_class_days(school_id=card.school_id, keys=keys)
    elif mark is None:
        announce_class_days(school_id=card.school_id, keys=keys)
    else:  # the statement made the mark; the work is sent once it commits
        class_days_marked(school_id=card.school_id, keys=keys)
    return TimeLog(pk=log_id, student_id=student_id, date=day, **values)


def _log_row(
    student_id: int, day: dt.date, values: dict[str, Any], now: dt.datetime
) -> dict[str, Any]:
    ops = connection.ops
    return {
        "student_id": student_id,
        "date": ops.adapt_datefield_value(day),
        **values,
        "finished_at": ops.adapt_timefield_value(values["finished_at"]),
        "created_at": ops.adapt_datetimefield_value(now),
        "updated_at": ops.adapt_datetimefield_value(now),
    }


# The entry fields a log write sets, in the order of its entry tuples; a test checks that
# with ``log`` they are every concrete field of the model, so a new field cannot be lost.
_ENTRY_COLUMNS = ("subject", "minutes", "estimated_minutes", "at_school")


def _entry_columns() -> list[str]:
    return [str(TimeLogEntry._meta.get_field(name).column) for name in _ENTRY_COLUMNS]  # type: ignore[union-attr]


@functools.cache
def _log_insert_sql(log_columns: tuple[str, ...]) -> str:
    """``_log_insert``'s statement up to its mark (PostgreSQL's, built once)."""
    fields = [TimeLogEntry._meta.get_field(name) for name in _ENTRY_COLUMNS]
    arrays = ", ".join(f"%s::{field.db_type(connection)}[]" for field in fields)
    columns = ", ".join(_entry_columns())
    return (
        f"WITH log AS (INSERT INTO {TimeLog._meta.db_table} ({', '.join(log_columns)})"  # noqa: S608 - our own tables and columns
        f" VALUES ({', '.join(['%s'] * len(log_columns))})"
        " ON CONFLICT (student_id, date) DO NOTHING RETURNING id),"
        f" entries AS (INSERT INTO {TimeLogEntry._meta.db_table} (log_id, {columns})"
        f" SELECT log.id, e.* FROM log, unnest({arrays}) AS e)"
    )


def _log_insert(
    student_id: int,
    day: dt.date,
    values: dict[str, Any],
    entries: list[tuple[int, int, int, bool]],
    mark: tuple[str, list[Any]] | None,
    *,
    now: dt.datetime,
) -> int | None:
    """On PostgreSQL, the evening's first log: the log, its entries and the class-day's
    rollup mark (``mark``) in one statement, so one round trip and atomic without a
    transaction. Returns the log's id, or ``None`` when the evening already has a log (or
    on SQLite): then the log and its entries were left alone (the mark, harmless twice,
    was still made) and ``_log_save`` corrects them.

    The statement's text is the same for every log (the entries travel as arrays), so the
    connection prepares it once. Two first logs at once: the second waits for the first to
    commit, inserts nothing, and replaces the first's entries in ``_log_save``."""
    if connection.vendor != "postgresql":
        return None
    row = _log_row(student_id, day, values, now)
    sql = _log_insert_sql(tuple(row))
    params = [*row.values(), *(list(column) for column in zip(*entries, strict=True))]
    if not entries:
        params += [[]] * len(_ENTRY_COLUMNS)
    if mark is not None:
        sql += f", mark AS ({mark[0]})"
        params += mark[1]
    with bound_cursor() as cursor:
        cursor.execute(sql + " SELECT id FROM log", params)  # noqa: S608 - built above
        found = cursor.fetchone()
    return None if found is None else int(found[0])


def _log_save(
    student_id: int,
    day: dt.date,
    values: dict[str, Any],
    entries: list[tuple[int, int, int, bool]],
    *,
    now: dt.datetime,
) -> int:
    """Insert the evening's log or update the one already there, and replace its entries
    (subject, minutes, estimate, done at school): three statements.

    Written in SQL because this is the evening rush's hot path: the ORM's insert machinery
    cost more than the statements themselves. ``ON CONFLICT … RETURNING`` runs on
    PostgreSQL and on SQLite 3.35+. Two guardians at once: the second upsert waits for the
    first's row lock and then replaces its entries, so a log never mixes the two."""
    row = _log_row(student_id, day, values, now)
    table, entry_table = TimeLog._meta.db_table, TimeLogEntry._meta.db_table
    changed = [c for c in row if c not in ("student_id", "date", "created_at")]
    with bound_cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(row)}) VALUES ({', '.join(['%s'] * len(row))})"  # noqa: S608 - our own table and columns
            " ON CONFLICT (student_id, date) DO UPDATE SET "
            + ", ".join(f"{c} = excluded.{c}" for c in changed)
            + " RETURNING id",
            list(row.values()),
        )
        log_id = cursor.fetchone()[0]
        cursor.execute(f"DELETE FROM {entry_table} WHERE log_id = %s", [log_id])  # noqa: S608
        if entries:
            columns = ", ".join(_entry_columns())
            cursor.execute(
                f"INSERT INTO {entry_table} (log_id, {columns}) VALUES "  # noqa: S608 - our own table and columns
                + ", ".join(["(%s" + ", %s" * len(_ENTRY_COLUMNS) + ")"] * len(entries)),
                [v for entry in entries for v in (log_id, *entry)],
            )
    return int(log_id)


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


def alerts_for(actor: Actor) -> list[Alert]:
    if actor.teacher_id is None:
        return []
    return list(
        Alert.objects.filter(recipient_id=actor.teacher_id)
        .select_related("school_class__grade")
        .order_by("-date", "-created_at")[:100]
    )


def late_counts(class_id: int, monday: dt.date) -> dict[int, int]:
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


def class_logging_set(
    *, actor: Actor, class_id: int, mode: str, per_day: int, min_gap_days: int
) -> ClassLogging:
    """The head teacher (or school admin) chooses how the class logs homework time."""
    school_class = SchoolClass.objects.filter(id=class_id).first()
    if school_class is None or not (
        class_id in actor.head_class_ids or school_class.school_id in actor.admin_school_ids
    ):
        raise NotFound()
    errors: dict[str, list[str]] = {}
    if mode not in ClassLogging.Mode.values:
        errors["mode"] = [_("请选择全员记录或轮换抽样。")]
    size = Student.objects.filter(school_class=school_class, is_active=True).count()
    if mode == ClassLogging.Mode.SAMPLE:
        if not 1 <= per_day <= size:
            errors["per_day"] = [_("每天抽样人数应在 1 到 %(n)d 之间。") % {"n": size}]
        elif not 1 <= min_gap_days <= 20:
            errors["min_gap_days"] = [_("间隔应在 1 到 20 个教学日之间。")]
        elif per_day * min_gap_days > size:
            errors["min_gap_days"] = [
                _("本班 %(size)d 人，每天 %(per_day)d 人时同一学生最多间隔 %(gap)d 个教学日。")
                % {"size": size, "per_day": per_day, "gap": size // per_day}
            ]
    if errors:
        raise ValidationFailed(errors)
    setting, _created = ClassLogging.objects.update_or_create(
        school_class=school_class,
        defaults={
            "school_id": school_class.school_id,
            "mode": mode,
            "per_day": per_day,
            "min_gap_days": min_gap_days,
        },
    )
    return setting
