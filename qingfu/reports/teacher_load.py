"""Load teachers' non-teaching hours (教师非教学工作时长) from the records, for the teacher's
home, the principal's spread and the work summary.

Two sources, neither of which knows the other: the burden registry's demands sent to the
school with the teachers the principal named to handle them (``burden.DemandHandler``), and
the after-school sessions each teacher is on duty for (``afterschool.Session``, each counted
for its segment's length). The burden app may not import afterschool (the layers in
``pyproject.toml``), so the two meet here, a layer above both; the shares and the spread are
``qingfu.policy.teacher_hours``'s.

A demand counts in the period holding its day (the day it lands on the school, as the
receiver's month counts it); its expected hours for the school are shared by its handlers
there, or by all the school's teachers when none is named.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count

from qingfu.afterschool.models import Segment, Session
from qingfu.burden.models import Demand, DemandHandler
from qingfu.policy.teacher_hours import (
    Distribution,
    SchoolDemand,
    TeacherWeek,
    distribution,
    teacher_weeks,
    unassigned_hours,
)
from qingfu.schools.models import Teacher


@dataclass(frozen=True)
class LandedDemand:
    """A demand sent to the school in the period, as the teacher's home lists it."""

    id: int
    title: str
    issuer: str
    kind: str
    day: dt.date
    hours: float  # expected of the school


@dataclass(frozen=True)
class SchoolHours:
    """Every teacher's non-teaching hours at the schools over ``first``..``last``."""

    first: dt.date
    last: dt.date
    weeks: list[TeacherWeek]
    demands: dict[int, LandedDemand]
    unassigned: float

    def of(self, teacher_id: int) -> TeacherWeek:
        for week in self.weeks:
            if week.teacher_id == teacher_id:
                return week
        return TeacherWeek(teacher_id)

    @property
    def week_count(self) -> float:
        """The period's length in weeks (7 days a week)."""
        return ((self.last - self.first).days + 1) / 7

    def spread(self) -> Distribution:
        """The spread of each teacher's hours a week over the period, with no names."""
        weeks = self.week_count
        return distribution(TeacherWeek(w.teacher_id, {}, w.total / weeks) for w in self.weeks)


def week_of(day: dt.date) -> tuple[dt.date, dt.date]:
    """Monday and Sunday of the week holding ``day``."""
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def _minutes(segment: Segment) -> int:
    start = segment.start.hour * 60 + segment.start.minute
    end = segment.end.hour * 60 + segment.end.minute
    return max(end - start, 0)


def duty_hours(*, school_ids: Iterable[int], first: dt.date, last: dt.date) -> dict[int, float]:
    """Each teacher's after-school duty hours: their sessions × the session's length."""
    rows = list(
        Session.objects.filter(
            school_id__in=list(school_ids),
            date__gte=first,
            date__lte=last,
            duty_teacher__isnull=False,
        )
        .values("duty_teacher_id", "segment_id")
        .annotate(n=Count("id"))
        .values_list("duty_teacher_id", "segment_id", "n")
    )
    lengths = {
        s.pk: _minutes(s) for s in Segment.objects.filter(pk__in={seg for _t, seg, _n in rows})
    }
    minutes: dict[int, int] = defaultdict(int)
    for teacher, segment, n in rows:
        minutes[teacher] += lengths[segment] * n
    return {teacher: m / 60 for teacher, m in minutes.items()}


def school_hours(*, school_ids: Iterable[int], first: dt.date, last: dt.date) -> SchoolHours:
    """Every teacher's non-teaching hours at these schools from ``first`` to ``last``."""
    ids = sorted(set(school_ids))
    links = list(
        Demand.receiver_schools.through.objects.filter(
            school_id__in=ids,
            demand__status=Demand.Status.SENT,
            demand__day__gte=first,
            demand__day__lte=last,
        ).values_list("school_id", "demand_id")
    )
    demand_ids = {d for _s, d in links}
    handlers: dict[tuple[int, int], set[int]] = defaultdict(set)
    for school, demand, teacher in DemandHandler.objects.filter(
        school_id__in=ids, demand_id__in=demand_ids
    ).values_list("school_id", "demand_id", "teacher_id"):
        handlers[(school, demand)].add(teacher)
    demands = {d.pk: d for d in Demand.objects.filter(pk__in=demand_ids).select_related("issuer")}
    staff: dict[int, list[int]] = defaultdict(list)
    for teacher, school in Teacher.objects.filter(school_id__in=ids).values_list("pk", "school_id"):
        staff[school].append(teacher)
    duty = duty_hours(school_ids=ids, first=first, last=last)
    weeks: list[TeacherWeek] = []
    unassigned = 0.0
    seen: set[int] = set()
    for school in ids:
        landed = [
            SchoolDemand(d, demands[d].staff_hours, frozenset(handlers[(school, d)]))
            for s, d in links
            if s == school
        ]
        on_duty = {t: duty[t] for t in staff[school] if t in duty}
        for week in teacher_weeks(demands=landed, staff=staff[school], duty_hours=on_duty):
            if week.teacher_id not in seen:
                seen.add(week.teacher_id)
                weeks.append(week)
        unassigned += unassigned_hours(demands=landed, staff=staff[school])
    listed = {
        pk: LandedDemand(
            id=pk,
            title=d.title,
            issuer=d.issuer.name,
            kind=d.get_kind_display(),
            day=d.day,
            hours=d.staff_hours,
        )
        for pk, d in demands.items()
    }
    return SchoolHours(first, last, sorted(weeks, key=lambda w: w.teacher_id), listed, unassigned)
