"""A class's physical activity at school, per weekday (pure).

There is no timetable by weekday, only each class's PE lessons per week, so the PE part of a
day is the week's PE minutes spread evenly over five school days — an average, and the page
says so. The 大课间 is the same every school day. Sports clubs meet on known weekdays, so
that part is exact per weekday: the minutes of the class's enrolled seats in sports clubs
meeting that day, per pupil of the class.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

SCHOOL_WEEKDAYS = (0, 1, 2, 3, 4)  # Monday to Friday


@dataclass(frozen=True)
class ActivityFacts:
    pe_lessons: int  # per week
    lesson_minutes: int
    break_minutes: int  # 大课间, every school day
    pupils: int
    sports_seat_minutes: Mapping[int, int]  # weekday (0 = Monday) → minutes over all seats


@dataclass(frozen=True)
class ActivityWeek:
    pe_daily: float  # the average PE minutes of a school day
    break_minutes: int
    sports: tuple[float, ...]  # per pupil, Monday to Friday, on the clubs' own days
    sports_weekly: float  # per pupil, every meeting day (a weekend club included)

    @property
    def days(self) -> tuple[int, ...]:
        """Minutes of each school day, Monday to Friday."""
        return tuple(round(self.pe_daily + self.break_minutes + s) for s in self.sports)

    @property
    def average(self) -> int:
        """Minutes of an average school day."""
        return round(self.pe_daily + self.break_minutes + self.sports_weekly / 5)


def activity_week(facts: ActivityFacts) -> ActivityWeek:
    def per_pupil(minutes: int) -> float:
        return minutes / facts.pupils if facts.pupils else 0.0

    return ActivityWeek(
        pe_daily=facts.pe_lessons * facts.lesson_minutes / 5,
        break_minutes=facts.break_minutes,
        sports=tuple(per_pupil(facts.sports_seat_minutes.get(d, 0)) for d in SCHOOL_WEEKDAYS),
        sports_weekly=per_pupil(sum(facts.sports_seat_minutes.values())),
    )
