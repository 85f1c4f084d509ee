"""The week's duty roster (值班排班) from the program, and service hours for pay.

The roster covers every session of the week — each class's basic care group per segment and
each club meeting (a teacher-led club is its instructor's; a club led by a parent volunteer
or an outside expert needs a teacher on duty beside them) — solved by ``duty.solve_duty``
(CP-SAT) within the weekly cap and the policy's flexible days. The result is written onto
the week's sessions, which attendance and the hours account then read: one record.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from qingfu.afterschool.duty import (
    DutyInfeasible,
    DutyReason,
    DutyRules,
    DutySession,
    DutyTeacher,
    DutyUnsolved,
    solve_duty,
)
from qingfu.afterschool.models import Club, Program, RosterWeek, Session, TeacherDuty
from qingfu.core import sheets
from qingfu.core.actor import Actor
from qingfu.core.errors import NotFound, ValidationFailed
from qingfu.policy.calendar import DayKind
from qingfu.schools.calendars import day_info, profile_for_school
from qingfu.schools.models import SchoolClass, Teacher
from qingfu.schools.services import require_school_admin

DEFAULT_WEEKLY_MINUTES = 360


class RosterInfeasible(ValidationFailed):
    """No roster satisfies every rule; ``reasons`` says which rule fails and for whom."""

    def __init__(self, reasons: list[DutyReason]) -> None:
        self.reasons = reasons
        super().__init__({"__all__": [r.message for r in reasons]})


@dataclass(frozen=True)
class _Slot:
    date: dt.date
    segment_id: int
    club_id: int | None
    class_id: int | None


def _week_sessions(program: Program, monday: dt.date) -> list[tuple[_Slot, DutySession]]:
    classes = list(
        SchoolClass.objects.filter(school_id=program.school_id).order_by("grade__number", "number")
    )
    clubs = list(program.clubs.select_related("segment"))
    segments = list(program.segments.all())
    out: list[tuple[_Slot, DutySession]] = []
    for weekday in sorted(program.weekdays):
        day = monday + dt.timedelta(days=weekday)
        if weekday > 4 or day_info(program.school_id, day).kind is not DayKind.SCHOOL_DAY:
            continue
        for segment in segments:
            for c in classes:
                slot = _Slot(day, segment.pk, None, c.pk)
                out.append(
                    (
                        slot,
                        DutySession(
                            id=f"{day}:{segment.order}:c{c.pk}",
                            weekday=weekday,
                            start=segment.start,
                            end=segment.end,
                            kind="basic",
                            title=f"{c.name}{_('托管')}",
                        ),
                    )
                )
            for club in clubs:
                if club.segment_id != segment.pk or weekday not in club.weekdays:
                    continue
                fixed = (
                    (str(club.instructor_teacher_id),)
                    if club.instructor_kind == Club.Instructor.TEACHER
                    and club.instructor_teacher_id
                    else ()
                )
                out.append(
                    (
                        _Slot(day, segment.pk, club.pk, None),
                        DutySession(
                            id=f"{day}:{segment.order}:k{club.pk}",
                            weekday=weekday,
                            start=segment.start,
                            end=segment.end,
                            kind="club",
                            fixed_teacher_ids=fixed,
                            title=club.name,
                        ),
                    )
                )
    return out


def _teachers(program: Program) -> list[DutyTeacher]:
    settings = {d.teacher_id: d for d in TeacherDuty.objects.filter(school_id=program.school_id)}
    teachers = []
    for t in Teacher.objects.filter(school_id=program.school_id).order_by("id"):
        d = settings.get(t.pk)
        teachers.append(
            DutyTeacher(
                id=str(t.pk),
                name=t.name,
                first_period_days=frozenset(d.first_period_days) if d else frozenset(),
                unavailable=frozenset(d.unavailable_days) if d else frozenset(),
                max_weekly_minutes=d.max_weekly_minutes if d else None,
            )
        )
    return teachers


def roster_generate(
    *,
    actor: Actor | None,
    program_id: int,
    monday: dt.date,
    time_limit_seconds: float = 20.0,
    progress: Callable[[int, str], None] | None = None,
) -> RosterWeek:
    """Solve the week and write the duty teacher onto each session; all or nothing.
    ``progress(percent, step)`` hears how far it has got (a background job's page)."""
    report = progress or (lambda percent, step: None)
    program = Program.objects.select_related("school").filter(id=program_id).first()
    if program is None:
        raise NotFound()
    if actor is not None:
        require_school_admin(actor, program.school_id)
    if monday.weekday() != 0:
        raise ValidationFailed.single("monday", _("请选择一周的周一。"))
    slots = _week_sessions(program, monday)
    if not slots:
        raise ValidationFailed.single("monday", _("这一周没有课后服务的上学日。"))
    teachers = _teachers(program)
    flexible = profile_for_school(program.school).rule("afterschool.flexible-hours")
    rules = DutyRules(
        max_weekly_minutes=DEFAULT_WEEKLY_MINUTES,
        min_flexible_days=flexible.whole(),
        time_limit_seconds=time_limit_seconds,
    )
    report(
        15,
        _("求解 %(n)d 场、%(t)d 位教师的值班（最长约 %(s)d 秒）")
        % {"n": len(slots), "t": len(teachers), "s": round(time_limit_seconds)},
    )
    try:
        result = solve_duty([s for _, s in slots], teachers, rules)
    except DutyInfeasible as exc:
        raise RosterInfeasible(exc.reasons) from exc
    except DutyUnsolved as exc:
        raise ValidationFailed.single(
            "__all__", _("在限定时间内没有找到排班，请稍后重试或放宽条件。")
        ) from exc
    minutes = [m for m in result.minutes_by_teacher.values() if m]
    report(90, _("写入排班"))
    with transaction.atomic():
        for slot, duty in slots:
            teacher_id = int(result.assignments[duty.id][0])
            key: dict[str, Any] = {"club_id": slot.club_id, "school_class_id": slot.class_id}
            Session.objects.update_or_create(
                program=program,
                date=slot.date,
                segment_id=slot.segment_id,
                **key,
                defaults={"school_id": program.school_id, "duty_teacher_id": teacher_id},
            )
        week, _created = RosterWeek.objects.update_or_create(
            program=program,
            monday=monday,
            defaults={
                "school_id": program.school_id,
                "status": result.status,
                "objective": result.objective,
                "bound": result.bound,
                "gap": result.gap,
                "seconds": result.wall_seconds,
                "sessions": len(slots),
                "teachers": len(minutes),
                "spread_minutes": (max(minutes) - min(minutes)) if minutes else 0,
                "created_by_id": actor.user_id if actor else None,
            },
        )
    return week


# --- reading the roster and the hours ------------------------------------------------------


@dataclass(frozen=True)
class TeacherWeek:
    teacher: Teacher
    minutes: int
    sessions: int
    late_days: int
    flexible_days: int


def week_view(program: Program, monday: dt.date) -> tuple[list[Session], list[TeacherWeek]]:
    sunday = monday + dt.timedelta(days=6)
    sessions = list(
        Session.objects.filter(program=program, date__range=(monday, sunday))
        .select_related("segment", "club", "school_class__grade", "duty_teacher")
        .order_by("date", "segment__order", "club_id", "school_class__grade__number")
    )
    settings = {d.teacher_id: d for d in TeacherDuty.objects.filter(school_id=program.school_id)}
    per: dict[int, list[Session]] = defaultdict(list)
    for s in sessions:
        if s.duty_teacher_id:
            per[s.duty_teacher_id].append(s)
    rules = DutyRules()
    rows = []
    for teacher in Teacher.objects.filter(school_id=program.school_id).order_by("name"):
        mine = per.get(teacher.pk, [])
        late = {s.date.weekday() for s in mine if s.segment.end > rules.early_leave_after}
        first = set(settings[teacher.pk].first_period_days) if teacher.pk in settings else set()
        school_days = {s.date.weekday() for s in sessions}
        rows.append(
            TeacherWeek(
                teacher=teacher,
                minutes=sum(_minutes(s) for s in mine),
                sessions=len(mine),
                late_days=len(late),
                flexible_days=sum(1 for d in school_days if d not in first or d not in late),
            )
        )
    return sessions, rows


def _minutes(session: Session) -> int:
    start = session.segment.start.hour * 60 + session.segment.start.minute
    return session.segment.end.hour * 60 + session.segment.end.minute - start


@dataclass(frozen=True)
class HoursRow:
    teacher: Teacher
    basic_sessions: int
    club_sessions: int
    minutes: int

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 2)


def month_hours(program: Program, month: dt.date, today: dt.date) -> list[HoursRow]:
    """Service minutes per teacher for the sessions held in ``month`` up to ``today``."""
    first = month.replace(day=1)
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    per: dict[int, list[Session]] = defaultdict(list)
    for s in Session.objects.filter(
        program=program, date__range=(first, min(last, today)), duty_teacher__isnull=False
    ).select_related("segment"):
        assert s.duty_teacher_id is not None
        per[s.duty_teacher_id].append(s)
    return [
        HoursRow(
            teacher=t,
            basic_sessions=sum(1 for s in per[t.pk] if s.club_id is None),
            club_sessions=sum(1 for s in per[t.pk] if s.club_id is not None),
            minutes=sum(_minutes(s) for s in per[t.pk]),
        )
        for t in Teacher.objects.filter(school_id=program.school_id).order_by("staff_no", "id")
    ]


def month_hours_xlsx(*, actor: Actor, program_id: int, month: dt.date, today: dt.date) -> bytes:
    """The month's service hours as a workbook for pay (多劳多得, 优劳优酬)."""
    from openpyxl.styles import Alignment, Font

    program = Program.objects.select_related("school").filter(id=program_id).first()
    if program is None:
        raise NotFound()
    require_school_admin(actor, program.school_id)
    rows = month_hours(program, month, today)
    book = sheets.new_workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = f"{month:%Y-%m}"
    title = _("%(school)s 课后服务课时统计（%(year)d年%(month)d月）") % {
        "school": program.school.name,
        "year": month.year,
        "month": month.month,
    }
    sheets.append_row(sheet, [title])[0].font = Font(bold=True, size=14)
    header = [
        _("工号"),
        _("姓名"),
        _("托管与作业辅导（场）"),
        _("社团（场）"),
        _("服务分钟"),
        _("折合小时"),
    ]
    for cell in sheets.append_row(sheet, header):
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
    for r in rows:
        sheets.append_row(
            sheet,
            [
                r.teacher.staff_no,
                r.teacher.name,
                r.basic_sessions,
                r.club_sessions,
                r.minutes,
                r.hours,
            ],
        )
    total = len(rows) + 2
    sheets.append_row(
        sheet,
        [
            _("合计"),
            "",
            *(sheets.Formula(f"=SUM({c}3:{c}{total})") for c in "CDEF"),
        ],
    )
    sheets.append_row(
        sheet,
        [
            _("统计口径：值班排班中已到日期（截至 %(d)s）的场次；每场按时段时长计。")
            % {"d": f"{today:%Y-%m-%d}"}
        ],
    )
    for column, width in zip("ABCDEF", (12, 12, 20, 12, 12, 12), strict=True):
        sheet.column_dimensions[column].width = width
    return sheets.workbook_bytes(book)
