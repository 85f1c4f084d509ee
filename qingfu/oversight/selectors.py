"""Dashboard reads, scoped to the actor: district → school → grade → class → day.

Every figure is a sum over class-day rollups (never raw logs), so a district's page costs
one grouped query per level however many students it has. School days come from each
school's calendar: a school day without a rollup row is a class-day with no homework,
within the cap.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Min, Q, QuerySet, Sum
from django.db.models.functions import TruncWeek
from django.utils.translation import get_language

from qingfu.afterschool.models import Signup
from qingfu.core.actor import Actor
from qingfu.core.errors import NotFound
from qingfu.homework.load import DayItem
from qingfu.homework.models import Alert
from qingfu.homework.selectors import day_items
from qingfu.oversight.figures import Figures, Period
from qingfu.oversight.models import ClassDayRollup
from qingfu.policy.calendar import DayKind, SchoolCalendar, load_national_calendars
from qingfu.schools.calendars import profile_for_school
from qingfu.schools.models import (
    CalendarException,
    District,
    School,
    SchoolClass,
    Semester,
    Student,
)
from qingfu.schools.naming import grade_display_name

SUMS = {
    "planned_total": Sum("planned_minutes"),
    "over_planned": Count("id", filter=Q(verdict=ClassDayRollup.Verdict.VIOLATION)),
    "exceptions": Sum("exceptions_granted"),
    "logs": Sum("logs"),
    "reported_days": Count("id", filter=Q(reported_minutes__isnull=False)),
    "reported_total": Sum("reported_minutes"),
    "planned_on_reported": Sum("planned_minutes", filter=Q(reported_minutes__isnull=False)),
    "reported_over": Count("id", filter=Q(reported_over=True)),
    "late": Sum("late_finishes"),
    "marks": Sum("afterschool_marks"),
    "attended": Sum("afterschool_attended"),
    "off_days": Count("id", filter=~Q(day_kind=DayKind.SCHOOL_DAY)),
}


# --- scope ---------------------------------------------------------------------------------


def district_for(actor: Actor, district_id: int) -> District:
    if actor.is_superuser or district_id in actor.district_ids:
        district = District.objects.filter(id=district_id).first()
        if district is not None:
            return district
    raise NotFound()


def overseen_schools(actor: Actor) -> QuerySet[School]:
    """Schools whose dashboard the actor may open: their district's, the ones they
    inspect, the one they run."""
    if actor.is_superuser:
        return School.objects.all()
    return School.objects.filter(
        Q(district_id__in=actor.district_ids)
        | Q(id__in=actor.inspected_school_ids | actor.admin_school_ids)
    )


def school_for(actor: Actor, school_id: int) -> School:
    school = overseen_schools(actor).select_related("district").filter(id=school_id).first()
    if school is None:
        raise NotFound()
    return school


def class_for(actor: Actor, class_id: int) -> SchoolClass:
    found = (
        SchoolClass.objects.filter(id=class_id, school__in=overseen_schools(actor))
        .select_related("grade", "school__district")
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def semester_span(school: School, today: dt.date) -> tuple[dt.date, dt.date] | None:
    """The semester in progress (or the latest one begun) at the school."""
    semester = Semester.objects.filter(school=school, start__lte=today).order_by("-start").first()
    return (semester.start, semester.end) if semester else None


# --- calendars -----------------------------------------------------------------------------


def school_days(
    school_ids: Iterable[int], start: dt.date, end: dt.date
) -> dict[int, list[dt.date]]:
    """Each school's school days from ``start`` to ``end`` (two queries for any number of
    schools); dashboards, reports and ledgers count class-days from it."""
    ids = list(school_ids)
    national = load_national_calendars()
    closures: dict[int, dict[dt.date, str]] = defaultdict(dict)
    extras: dict[int, dict[dt.date, str]] = defaultdict(dict)
    for e in CalendarException.objects.filter(school_id__in=ids, date__range=(start, end)):
        (closures if e.kind == CalendarException.Kind.CLOSURE else extras)[e.semester_id][
            e.date
        ] = e.note
    days: dict[int, list[dt.date]] = {i: [] for i in ids}
    for semester in Semester.objects.filter(school_id__in=ids, start__lte=end, end__gte=start):
        calendar = SchoolCalendar(
            national=national,
            semester_start=semester.start,
            semester_end=semester.end,
            school_closures=closures[semester.pk],
            school_extra_days=extras[semester.pk],
        )
        days[semester.school_id].extend(
            calendar.school_days(max(start, semester.start), min(end, semester.end))
        )
    return days


# --- figures -------------------------------------------------------------------------------


def _rollups(period: Period) -> QuerySet[ClassDayRollup]:
    return ClassDayRollup.objects.filter(date__range=(period.start, period.end))


def _fill(figures: Figures, sums: Mapping[str, Any], *, classes: int, days: int) -> Figures:
    figures.classes = classes
    figures.class_days = classes * days + int(sums.get("off_days") or 0)
    for name in SUMS:
        if name != "off_days":
            value = sums.get(name) or 0
            setattr(figures, name, float(value) if name == "reported_total" else int(value))
    return figures


def _min_group(school: School) -> int:
    return int(profile_for_school(school).rule("priv.min-group").whole())


def _participation(
    school_ids: list[int], day: dt.date, group: str, **where: object
) -> dict[object, tuple[int, int]]:
    """Per group: (active students, of them signed up for after-school service on ``day``).

    ``group`` and ``where`` name Student fields. Sign-ups carry their school, so the
    district's count needs no join to students beyond the active flag; a student has at
    most one sign-up version in force on a day.
    """
    students = dict(
        Student.objects.filter(school_id__in=school_ids, is_active=True, **where)
        .values_list(group)
        .annotate(n=Count("id"))
        .values_list(group, "n")
    )
    signup_group = "school_id" if group == "school_id" else f"student__{group}"
    taking = dict(
        Signup.objects.filter(
            school_id__in=school_ids,
            student__is_active=True,
            withdrawn=False,
            valid_from__lte=day,
            **{f"student__{k}": v for k, v in where.items()},
        )
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day))
        .values_list(signup_group)
        .annotate(n=Count("id"))
        .values_list(signup_group, "n")
    )
    return {key: (n, taking.get(key, 0)) for key, n in students.items()}


def _set_participation(figures: Figures, counts: tuple[int, int] | None) -> None:
    figures.students, figures.taking_part = counts or (0, 0)


def _alerts_open(filter_: Q, period: Period, group: str) -> dict[object, int]:
    rows = (
        Alert.objects.filter(filter_, read_at__isnull=True, date__range=(period.start, period.end))
        .values(group)
        .annotate(n=Count("id"))
    )
    return {row[group]: row["n"] for row in rows}


@dataclass(frozen=True)
class WeekPoint:
    monday: dt.date
    figures: Figures


Sums = dict[str, Any]


def _grouped(
    rollups: QuerySet[ClassDayRollup], key: str
) -> tuple[dict[Any, Sums], dict[dt.date, Sums], dt.date | None]:
    """One grouped scan of the rollups by ``key`` and week: sums per key, sums per week, and
    the earliest date with a record."""
    by_key: dict[Any, Sums] = defaultdict(lambda: defaultdict(float))
    by_week: dict[dt.date, Sums] = defaultdict(lambda: defaultdict(float))
    first: dt.date | None = None
    rows = (
        rollups.annotate(week=TruncWeek("date"))
        .values(key, "week")
        .annotate(first=Min("date"), **SUMS)
        .order_by()
    )
    for row in rows:
        week = row["week"].date() if isinstance(row["week"], dt.datetime) else row["week"]
        first = row["first"] if first is None else min(first, row["first"])
        for name in SUMS:
            by_key[row[key]][name] += row[name] or 0
            by_week[week][name] += row[name] or 0
    return by_key, by_week, first


def _trend(by_week: dict[dt.date, Sums], days_by_school: dict[int, list[dt.date]],
           classes_by_school: dict[int, int], min_group: int) -> list[WeekPoint]:  # fmt: skip
    """Week by week over the period: class-days and sums per ISO week."""
    class_days: dict[dt.date, int] = defaultdict(int)
    for school_id, days in days_by_school.items():
        for day in days:
            class_days[day - dt.timedelta(days=day.weekday())] += classes_by_school.get(
                school_id, 0
            )
    points: dict[dt.date, Figures] = {}
    for monday in sorted(set(by_week) | set(class_days)):
        points[monday] = _fill(Figures(label=f"{monday:%m-%d}", min_group=min_group),
                               by_week.get(monday, {}), classes=0, days=0)  # fmt: skip
        points[monday].class_days += class_days.get(monday, 0)
    return [WeekPoint(m, points[m]) for m in sorted(points)]


@dataclass(frozen=True)
class Dashboard:
    title: str
    period: Period
    total: Figures
    rows: list[Figures]  # the next level down
    trend: list[WeekPoint]
    row_kind: str  # school / grade / class
    first_record: dt.date | None = None  # the earliest class-day with any record


def district_dashboard(actor: Actor, district_id: int, period: Period) -> Dashboard:
    """Each school of the district and the district's total: aggregates only."""
    district = district_for(actor, district_id)
    schools = list(
        School.objects.filter(district=district).select_related("district").order_by("code")
    )
    ids = [s.pk for s in schools]
    classes = dict(
        SchoolClass.objects.filter(school_id__in=ids)
        .values_list("school_id")
        .annotate(n=Count("id"))
        .values_list("school_id", "n")
    )
    days = school_days(ids, period.start, period.end)
    rollups = _rollups(period).filter(school_id__in=ids)
    sums, weeks, first = _grouped(rollups, "school_id")
    alerts = _alerts_open(Q(school_id__in=ids), period, "school_id")
    taking = _participation(ids, period.end, "school_id")
    min_group = _min_group(schools[0]) if schools else 5
    total = Figures(label=district.name, min_group=min_group)
    rows = []
    for school in schools:
        figures = _fill(
            Figures(label=school.name, url=f"/oversight/school/{school.pk}/", min_group=min_group),
            sums.get(school.pk, {}),
            classes=classes.get(school.pk, 0),
            days=len(days[school.pk]),
        )
        figures.alerts_open = alerts.get(school.pk, 0)
        _set_participation(figures, taking.get(school.pk))
        figures.extra["school_id"] = school.pk
        total.add(figures)
        rows.append(figures)
    return Dashboard(
        district.name, period, total, rows, _trend(weeks, days, classes, min_group), "school",
        first,
    )  # fmt: skip


def school_dashboard(actor: Actor, school_id: int, period: Period) -> Dashboard:
    """The school by grade."""
    school = school_for(actor, school_id)
    min_group = _min_group(school)
    classes = dict(
        SchoolClass.objects.filter(school=school)
        .values_list("grade__number")
        .annotate(n=Count("id"))
        .values_list("grade__number", "n")
    )
    day_list = school_days([school.pk], period.start, period.end)[school.pk]
    rollups = _rollups(period).filter(school=school)
    sums, weeks, first = _grouped(rollups, "grade")
    alerts = _alerts_open(Q(school=school), period, "school_class__grade__number")
    taking = _participation([school.pk], period.end, "school_class__grade__number")
    total = Figures(label=school.name, min_group=min_group)
    rows = []
    for grade in sorted(classes):
        figures = _fill(
            Figures(
                label=str(grade_display_name(grade, get_language())),
                url=f"/oversight/school/{school.pk}/grade/{grade}/",
                min_group=min_group,
            ),
            sums.get(grade, {}),
            classes=classes[grade],
            days=len(day_list),
        )
        figures.alerts_open = alerts.get(grade, 0)
        _set_participation(figures, taking.get(grade))
        figures.extra["grade"] = grade
        total.add(figures)
        rows.append(figures)
    trend = _trend(weeks, {school.pk: day_list}, {school.pk: sum(classes.values())}, min_group)
    return Dashboard(school.name, period, total, rows, trend, "grade", first)


def grade_dashboard(actor: Actor, school_id: int, grade: int, period: Period) -> Dashboard:
    """A grade's classes."""
    school = school_for(actor, school_id)
    min_group = _min_group(school)
    classes = list(
        SchoolClass.objects.filter(school=school, grade__number=grade)
        .select_related("grade")
        .order_by("number")
    )
    if not classes:
        raise NotFound()
    day_list = school_days([school.pk], period.start, period.end)[school.pk]
    rollups = _rollups(period).filter(school=school, grade=grade)
    sums, weeks, first = _grouped(rollups, "school_class_id")
    alerts = _alerts_open(Q(school=school, school_class__grade__number=grade), period,
                          "school_class_id")  # fmt: skip
    taking = _participation(
        [school.pk], period.end, "school_class_id", school_class__grade__number=grade
    )
    total = Figures(label=str(grade_display_name(grade, get_language())), min_group=min_group)
    rows = []
    for c in classes:
        figures = _fill(
            Figures(label=c.name, url=f"/oversight/class/{c.pk}/", min_group=min_group),
            sums.get(c.pk, {}),
            classes=1,
            days=len(day_list),
        )
        figures.alerts_open = alerts.get(c.pk, 0)
        _set_participation(figures, taking.get(c.pk))
        total.add(figures)
        rows.append(figures)
    trend = _trend(weeks, {school.pk: day_list}, {school.pk: len(classes)}, min_group)
    title = f"{school.name} · {grade_display_name(grade, get_language())}"
    return Dashboard(title, period, total, rows, trend, "class", first)


@dataclass(frozen=True)
class DayRow:
    date: dt.date
    day_kind: str
    figures: Figures
    rollup: ClassDayRollup | None


def class_dashboard(
    actor: Actor, class_id: int, period: Period
) -> tuple[SchoolClass, Figures, list[DayRow]]:
    """A class day by day: every school day of the period, and other days with records."""
    school_class = class_for(actor, class_id)
    min_group = _min_group(school_class.school)
    day_list = set(
        school_days([school_class.school_id], period.start, period.end)[school_class.school_id]
    )
    rollups = {r.date: r for r in _rollups(period).filter(school_class=school_class)}
    total = Figures(label=school_class.name, min_group=min_group, classes=1)
    rows = []
    for day in sorted(day_list | set(rollups)):
        r = rollups.get(day)
        figures = Figures(label=f"{day:%m-%d}", url=f"/oversight/class/{class_id}/{day:%Y-%m-%d}/",
                          min_group=min_group, classes=1, class_days=1)  # fmt: skip
        if r is not None:
            figures.planned_total = r.planned_minutes
            figures.over_planned = int(r.verdict == ClassDayRollup.Verdict.VIOLATION)
            figures.exceptions = r.exceptions_granted
            figures.logs = r.logs
            figures.reported_days = int(r.reported_minutes is not None)
            figures.reported_total = r.reported_minutes or 0.0
            figures.planned_on_reported = r.planned_minutes if r.reported_minutes is not None else 0
            figures.reported_over = int(r.reported_over)
            figures.late = r.late_finishes
            figures.marks = r.afterschool_marks
            figures.attended = r.afterschool_attended
        total.add(figures)
        total.classes = 1
        rows.append(DayRow(day, r.day_kind if r else DayKind.SCHOOL_DAY.value, figures, r))
    return school_class, total, rows


@dataclass(frozen=True)
class ClassDayView:
    school_class: SchoolClass
    date: dt.date
    rollup: ClassDayRollup | None
    items: list[DayItem]
    min_group: int

    @property
    def is_reported_shown(self) -> bool:
        return self.rollup is not None and self.rollup.logs >= self.min_group


def class_day(actor: Actor, class_id: int, day: dt.date) -> ClassDayView:
    """One class-day: its rollup and the homework published for it (no student data)."""
    school_class = class_for(actor, class_id)
    rollup = ClassDayRollup.objects.filter(school_class=school_class, date=day).first()
    items = [item for item, _ in day_items([class_id], day).get(class_id, [])]
    return ClassDayView(school_class, day, rollup, items, _min_group(school_class.school))


def over_cap_class_days(school_ids: Iterable[int], period: Period) -> QuerySet[ClassDayRollup]:
    """Class-days over the cap, by plan or by families' reports (for reports and visits)."""
    return (
        _rollups(period)
        .filter(school_id__in=list(school_ids))
        .filter(Q(verdict=ClassDayRollup.Verdict.VIOLATION) | Q(reported_over=True))
        .select_related("school_class__grade")
        .order_by("date", F("school_class__grade__number"), "school_class__number")
    )
