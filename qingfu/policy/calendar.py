"""School calendars: is a date a school day, a weekend, a holiday or vacation?

Answered from data, not the weekday: the State Council's yearly holiday notice moves
weekend days into workdays (调休), and a school adds its own closures and extra days.
Pure; the caller passes dates, nothing reads the clock.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from importlib import resources


class DayKind(StrEnum):
    SCHOOL_DAY = "school_day"
    WEEKEND = "weekend"
    HOLIDAY = "holiday"
    VACATION = "vacation"


@dataclass(frozen=True)
class NationalCalendar:
    """Public holidays (date → name) and make-up workdays from the yearly notices."""

    holidays: Mapping[dt.date, str] = field(default_factory=dict)
    makeup_workdays: Mapping[dt.date, str] = field(default_factory=dict)


def _parse(text: str) -> NationalCalendar:
    data = tomllib.loads(text)
    holidays: dict[dt.date, str] = {}
    for entry in data.get("holidays", []):
        day, end = entry["start"], entry["end"]
        if end < day:
            raise ValueError(f"holiday {entry['name_zh']} ends before it starts")
        while day <= end:
            holidays[day] = entry["name_zh"]
            day += dt.timedelta(days=1)
    makeup = {entry["date"]: entry["name_zh"] for entry in data.get("makeup_workdays", [])}
    overlap = set(holidays) & set(makeup)
    if overlap:
        raise ValueError(f"dates both holiday and workday: {sorted(overlap)}")
    return NationalCalendar(holidays=holidays, makeup_workdays=makeup)


def load_national_calendar(year: int) -> NationalCalendar:
    """The notice for one year (``calendars/cn-<year>.toml``)."""
    text = resources.files("qingfu.policy").joinpath(f"calendars/cn-{year}.toml").read_text("utf-8")
    return _parse(text)


@cache
def load_national_calendars() -> NationalCalendar:
    """Every year's notice shipped with the package, merged."""
    holidays: dict[dt.date, str] = {}
    makeup: dict[dt.date, str] = {}
    folder = resources.files("qingfu.policy").joinpath("calendars")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.startswith("cn-") and entry.name.endswith(".toml"):
            year = _parse(entry.read_text("utf-8"))
            holidays.update(year.holidays)
            makeup.update(year.makeup_workdays)
    return NationalCalendar(holidays=holidays, makeup_workdays=makeup)


@dataclass(frozen=True)
class SchoolCalendar:
    """One semester of one school: national notices plus the school's own changes."""

    national: NationalCalendar
    semester_start: dt.date
    semester_end: dt.date
    school_closures: Mapping[dt.date, str] = field(default_factory=dict)
    school_extra_days: Mapping[dt.date, str] = field(default_factory=dict)

    def day_kind(self, day: dt.date) -> DayKind:
        if not self.semester_start <= day <= self.semester_end:
            return DayKind.VACATION
        if day in self.school_closures or day in self.national.holidays:
            return DayKind.HOLIDAY
        if day in self.school_extra_days or day in self.national.makeup_workdays:
            return DayKind.SCHOOL_DAY
        return DayKind.WEEKEND if day.weekday() >= 5 else DayKind.SCHOOL_DAY

    def is_school_day(self, day: dt.date) -> bool:
        return self.day_kind(day) is DayKind.SCHOOL_DAY

    def school_days(self, start: dt.date, end: dt.date) -> list[dt.date]:
        days, day = [], start
        while day <= end:
            if self.is_school_day(day):
                days.append(day)
            day += dt.timedelta(days=1)
        return days

    def week_of(self, day: dt.date) -> int:
        """Teaching week: week 1 is the Monday-based week containing the first day."""
        first_monday = self.semester_start - dt.timedelta(days=self.semester_start.weekday())
        return (day - first_monday).days // 7 + 1

    def holiday_name(self, day: dt.date) -> str | None:
        return (
            self.school_closures.get(day)
            or self.national.holidays.get(day)
            or (self.school_extra_days.get(day) or self.national.makeup_workdays.get(day))
        )
