"""Reads for sleep and physical activity, scoped to what the actor may see: names of
students who finish late only for their head teacher; everyone else sees counts."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q

from qingfu.afterschool.models import Club, Seat
from qingfu.core.actor import Actor
from qingfu.core.audit import audit_list, audit_read
from qingfu.core.errors import NotFound
from qingfu.homework.followup import LATE_DAYS_ALERT
from qingfu.homework.models import TimeLog
from qingfu.policy.checks import (
    check_activity_day,
    check_pe_lessons,
    check_school_start,
    check_sleep_hours,
    sleep_hours,
)
from qingfu.policy.verdicts import Verdict
from qingfu.schools.calendars import profile_for_school
from qingfu.schools.models import School, SchoolClass, Student, TeachingAssignment
from qingfu.schools.selectors import can_see_student
from qingfu.wellbeing.activity import ActivityFacts, ActivityWeek, activity_week
from qingfu.wellbeing.models import SchoolDay, SleepReport
from qingfu.wellbeing.sleep import ClassSleep, Evening, weekly_sleep


def visible_classes(actor: Actor, school_id: int) -> list[SchoolClass]:
    qs = SchoolClass.objects.filter(school_id=school_id).select_related("grade")
    if school_id not in actor.admin_school_ids and not actor.is_superuser:
        qs = qs.filter(Q(id__in=actor.head_class_ids) | Q(grade_id__in=actor.led_grade_ids))
    return list(qs.order_by("grade__number", "number"))


def school_day(school_id: int) -> SchoolDay:
    return SchoolDay.objects.filter(school_id=school_id).first() or SchoolDay(school_id=school_id)


def school_day_verdicts(school: School) -> list[Verdict]:
    """Morning start per stage and the 大课间, school-wide."""
    day = school_day(school.pk)
    profile = profile_for_school(school)
    verdicts = [
        check_activity_day(profile, break_minutes=day.break_minutes, at_school_minutes=0)[0]
    ]
    for stage, start in (("primary", day.primary_start), ("junior", day.junior_start)):
        if start is not None:
            verdicts.append(check_school_start(profile, stage=stage, starts_at=start))
    return verdicts


@dataclass(frozen=True)
class SleepRow:
    school_class: SchoolClass
    sleep: ClassSleep | None
    flagged_names: list[str]  # only for the class's head teacher


def sleep_week(actor: Actor, school_id: int, monday: dt.date) -> list[SleepRow]:
    classes = visible_classes(actor, school_id)
    logs = (
        TimeLog.objects.filter(
            school_class__in=classes, date__range=(monday, monday + dt.timedelta(days=6))
        )
        .exclude(student=None)
        .values_list("school_class_id", "student_id", "is_late")
    )
    summary = weekly_sleep((Evening(c, s, late) for c, s, late in logs), repeat=LATE_DAYS_ALERT)
    rows = []
    for c in classes:
        sleep = summary.get(c.pk)
        names: list[str] = []
        if sleep and sleep.flagged and c.pk in actor.head_class_ids:
            names = list(
                Student.objects.filter(id__in=sleep.flagged)
                .order_by("id")
                .values_list("name", flat=True)
            )
            audit_list(
                actor, "late_nights", sleep.flagged, school_id=school_id, what=f"{monday} {c}"
            )
        rows.append(SleepRow(c, sleep, names))
    return rows


@dataclass(frozen=True)
class ActivityRow:
    school_class: SchoolClass
    pe_lessons: int
    week: ActivityWeek  # per weekday: PE as an average, 大课间, sports clubs on their days
    verdicts: list[Verdict]

    @property
    def daily_minutes(self) -> int:
        """Average per school day: PE, 大课间, after-school sports."""
        return self.week.average


def _sports_seat_minutes(school_id: int) -> dict[int, dict[int, int]]:
    """Class id → weekday → minutes its pupils spend in sports clubs, summed over enrolled
    seats (a seat counts its segment's length on each day its club meets)."""
    totals: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for class_id, weekdays, start, end in Seat.objects.filter(
        school_id=school_id, status=Seat.Status.ENROLLED, club__category=Club.Category.SPORTS
    ).values_list("student__school_class_id", "club__weekdays", "segment__start", "segment__end"):
        minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
        for weekday in weekdays:
            totals[class_id][weekday] += minutes
    return totals


def activity(actor: Actor, school: School) -> list[ActivityRow]:
    day = school_day(school.pk)
    profile = profile_for_school(school)
    classes = visible_classes(actor, school.pk)
    pe = dict(
        TeachingAssignment.objects.filter(school_class__in=classes, subject__code="pe").values_list(
            "school_class_id", "weekly_lessons"
        )
    )
    sizes = dict(
        Student.objects.filter(school_class__in=classes, is_active=True)
        .values_list("school_class_id")
        .annotate(n=Count("id"))
        .values_list("school_class_id", "n")
    )
    sports = _sports_seat_minutes(school.pk)
    rows = []
    for c in classes:
        lessons = pe.get(c.pk, 0)
        week = activity_week(
            ActivityFacts(
                pe_lessons=lessons,
                lesson_minutes=day.lesson_minutes,
                break_minutes=day.break_minutes,
                pupils=sizes.get(c.pk, 0),
                sports_seat_minutes=sports.get(c.pk, {}),
            )
        )
        rows.append(
            ActivityRow(
                c,
                lessons,
                week,
                [
                    check_pe_lessons(profile, grade=c.grade.number, lessons=lessons),
                    check_activity_day(
                        profile, break_minutes=day.break_minutes, at_school_minutes=week.average
                    )[1],
                ],
            )
        )
    return rows


@dataclass(frozen=True)
class NightRow:
    report: SleepReport
    hours: float
    verdict: Verdict


def child_nights(actor: Actor, student: Student, *, days: int = 14) -> list[NightRow]:
    """A child's reported nights with the hours against the stage's target, for someone who
    may see the child (their family, their school's staff); audited as a read."""
    if not can_see_student(actor, student):
        raise NotFound()
    audit_read(
        actor, "sleep_reports", [student.pk], school_id=student.school_id, object_id=student.pk
    )
    school = School.objects.select_related("district").get(pk=student.school_id)
    profile = profile_for_school(school)
    stage = student.school_class.grade.stage
    rows = []
    for report in SleepReport.objects.filter(student=student)[:days]:
        hours = sleep_hours(report.bedtime, report.wake_time)
        rows.append(NightRow(report, hours, check_sleep_hours(profile, stage=stage, hours=hours)))
    return rows


def short_nights_by_class(
    school: School, class_ids: list[int], monday: dt.date
) -> dict[int, tuple[int, int]]:
    """Class → (nights reported that week, nights below the stage's target) — counts only."""
    profile = profile_for_school(school)
    out: dict[int, tuple[int, int]] = {}
    for class_id, bed, wake, grade in SleepReport.objects.filter(
        student__school_class_id__in=class_ids,
        date__range=(monday, monday + dt.timedelta(days=6)),
    ).values_list(
        "student__school_class_id", "bedtime", "wake_time", "student__school_class__grade__number"
    ):
        stage = "primary" if grade <= 6 else "junior"
        short = check_sleep_hours(profile, stage=stage, hours=sleep_hours(bed, wake)).status != "ok"
        n, s = out.get(class_id, (0, 0))
        out[class_id] = (n + 1, s + short)
    return out
