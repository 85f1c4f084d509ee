"""The week's homework load from every role's point of view, read from class-day records.

Class-day totals are maintained when homework is published (``ClassDay.planned_minutes``),
so these views read one row per class and day, never the items themselves.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from qingfu.core.actor import Actor
from qingfu.homework.models import ClassDay
from qingfu.homework.selectors import day_items
from qingfu.policy.calendar import DayKind
from qingfu.policy.checks import daily_homework_cap
from qingfu.schools.calendars import day_info, profile_for_school
from qingfu.schools.models import School, SchoolClass


@dataclass(frozen=True)
class Cell:
    minutes: int
    cap: int

    @property
    def status(self) -> str:
        if self.minutes > self.cap:
            return "violation"
        return "warn" if self.cap and self.minutes > 0.9 * self.cap else "ok"


@dataclass
class ClassWeek:
    school_class: SchoolClass
    cells: list[Cell]

    @property
    def within(self) -> int:
        return sum(1 for c in self.cells if c.minutes <= c.cap)


@dataclass
class GradeWeek:
    grade: int
    name: str
    classes: list[ClassWeek] = field(default_factory=list)

    @property
    def class_days(self) -> int:
        return sum(len(c.cells) for c in self.classes)

    @property
    def within(self) -> int:
        return sum(c.within for c in self.classes)

    @property
    def compliance(self) -> float | None:
        return self.within / self.class_days if self.class_days else None

    @property
    def average(self) -> float | None:
        cells = [cell.minutes for c in self.classes for cell in c.cells]
        return sum(cells) / len(cells) if cells else None


@dataclass
class WeekLoad:
    monday: dt.date
    days: list[dt.date]
    grades: list[GradeWeek]


def week_load(school_id: int, class_ids: list[int], monday: dt.date) -> WeekLoad:
    school = School.objects.select_related("district").get(id=school_id)
    profile = profile_for_school(school)
    kinds = {
        monday + dt.timedelta(days=i): day_info(school_id, monday + dt.timedelta(days=i)).kind
        for i in range(7)
    }
    days = [d for d, k in kinds.items() if k is DayKind.SCHOOL_DAY]
    minutes = {
        (row.school_class_id, row.date): row.planned_minutes
        for row in ClassDay.objects.filter(school_class_id__in=class_ids, date__in=days)
    }
    grades: dict[int, GradeWeek] = {}
    classes = (
        SchoolClass.objects.filter(id__in=class_ids)
        .select_related("grade")
        .order_by("grade__number", "number")
    )
    for c in classes:
        grade = grades.setdefault(c.grade.number, GradeWeek(c.grade.number, c.grade.name))
        grade.classes.append(
            ClassWeek(
                c,
                [
                    Cell(
                        minutes.get((c.pk, d), 0),
                        daily_homework_cap(profile, grade=c.grade.number, day_kind=kinds[d]),
                    )
                    for d in days
                ],
            )
        )
    return WeekLoad(monday, days, list(grades.values()))


def subject_breakdown(class_id: int, days: list[dt.date]) -> dict[str, dict[dt.date, int]]:
    """Counted minutes per subject and day for one class (the head teacher's view)."""
    result: dict[str, dict[dt.date, int]] = defaultdict(lambda: defaultdict(int))
    for day in days:
        for item, facts in day_items([class_id], day).get(class_id, []):
            if item.counts_toward_cap:
                result[item.subject][day] += facts.minutes
    return {subject: dict(per_day) for subject, per_day in result.items()}


def views_for(actor: Actor, *, school_id: int) -> dict[str, list[int]]:
    """Which week views the actor gets in one school, each with the classes it covers."""
    from qingfu.schools.models import SchoolClass as Klass

    in_school = Klass.objects.filter(school_id=school_id)
    views: dict[str, list[int]] = {}
    if school_id in actor.admin_school_ids:
        views["school"] = list(in_school.values_list("id", flat=True))
    if actor.led_grade_ids:
        views["grade"] = list(
            in_school.filter(grade_id__in=actor.led_grade_ids).values_list("id", flat=True)
        )
    if actor.head_class_ids:
        views["class"] = list(
            in_school.filter(id__in=actor.head_class_ids)
            .order_by("id")
            .values_list("id", flat=True)
        )
    if actor.taught_class_ids:
        views["teacher"] = list(
            in_school.filter(id__in=actor.taught_class_ids)
            .order_by("id")
            .values_list("id", flat=True)
        )
    return {name: ids for name, ids in views.items() if ids}
