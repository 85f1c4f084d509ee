"""A teacher's non-teaching hours in a week (教师非教学工作时长), pure.

Issue 17: "A teacher's non-teaching hours a week come from these demands plus after-school
duty." A demand sent to a school is expected to cost the school ``staff_hours``; the
principal may name the teachers who handle it (承办人). Its hours are shared evenly among
those teachers, or, when none is named, among all the school's teaching staff (the work
lands on someone, and no one was named). To that each teacher's after-school duty hours
from the week's roster are added.

No Django, no clock: the caller loads the week's demands, the assignments, the school's
teaching staff and the roster's hours, and passes them in.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class SchoolDemand:
    """A demand that landed on the school this week: its expected hours for the school and
    the teachers named to handle it (empty: none named)."""

    demand_id: int
    hours: float
    handlers: frozenset[int] = frozenset()


@dataclass(frozen=True)
class TeacherWeek:
    """One teacher's non-teaching hours in the week: the share of each demand they carry
    (demand id → hours), and their after-school duty hours."""

    teacher_id: int
    shares: Mapping[int, float] = field(default_factory=dict)
    duty_hours: float = 0.0

    @property
    def demand_hours(self) -> float:
        return math.fsum(self.shares.values())

    @property
    def total(self) -> float:
        return math.fsum([*self.shares.values(), self.duty_hours])


def teacher_weeks(
    *,
    demands: Iterable[SchoolDemand],
    staff: Iterable[int],
    duty_hours: Mapping[int, float],
) -> list[TeacherWeek]:
    """Every teacher's week, ordered by teacher id: the school's teaching ``staff`` and any
    teacher named on a demand or on the roster (a teacher who left mid-week still carried
    their share). A demand's hours are split evenly among its handlers, or among ``staff``
    when it has none; a demand with no handlers at a school with no staff is carried by no
    one (the caller shows it as unassigned)."""
    staff_ids = frozenset(staff)
    shares: dict[int, dict[int, float]] = {t: {} for t in staff_ids}
    for demand in demands:
        carriers = demand.handlers or staff_ids
        if not carriers or demand.hours <= 0:
            continue
        each = demand.hours / len(carriers)
        for teacher in carriers:
            shares.setdefault(teacher, {})[demand.demand_id] = each
    for teacher in duty_hours:
        shares.setdefault(teacher, {})
    return [
        TeacherWeek(teacher, dict(sorted(by_demand.items())), float(duty_hours.get(teacher, 0.0)))
        for teacher, by_demand in sorted(shares.items())
    ]


def unassigned_hours(*, demands: Iterable[SchoolDemand], staff: Iterable[int]) -> float:
    """The hours no teacher carries: demands with no handlers at a school with no staff."""
    if frozenset(staff):
        return 0.0
    return math.fsum(d.hours for d in demands if not d.handlers and d.hours > 0)


@dataclass(frozen=True)
class Distribution:
    """How a school's teachers' weekly non-teaching hours are spread, without names (for
    reports that leave the school): count, mean, median, the highest, and how many teachers
    fall in each band of hours (``bands``: upper bounds, the last band open)."""

    teachers: int
    mean: float
    median: float
    highest: float
    bands: tuple[tuple[str, int], ...]


BANDS = (2.0, 4.0, 8.0)


def distribution(weeks: Iterable[TeacherWeek], *, bands: tuple[float, ...] = BANDS) -> Distribution:
    """The spread of the teachers' totals: no teacher is named or ranked."""
    totals = sorted(w.total for w in weeks)
    n = len(totals)
    if n == 0:
        return Distribution(0, 0.0, 0.0, 0.0, ())
    middle = n // 2
    median = totals[middle] if n % 2 else (totals[middle - 1] + totals[middle]) / 2
    labels: list[tuple[str, int]] = []
    lower = 0.0
    for upper in bands:
        labels.append((f"{lower:g}–{upper:g}", sum(1 for t in totals if lower <= t < upper)))
        lower = upper
    labels.append((f"≥{lower:g}", sum(1 for t in totals if t >= lower)))
    return Distribution(n, math.fsum(totals) / n, median, totals[-1], tuple(labels))
