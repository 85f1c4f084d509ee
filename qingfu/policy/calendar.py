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
    """Public holidays and make-up workdays (调休) from the State Council's yearly notices.

    ``holidays`` maps each day off to its Chinese name; ``makeup_workdays`` maps each
    weekend day that is worked to its note (membership tests work as on a set).
    """

    holidays: Mapping[dt.date, str] = field(default_factory=dict)
    makeup_workdays: Mapping[dt.date, str] = field(default_factory=dict)
    holiday_names_en: Mapping[dt.date, str] = field(default_factory=dict)


def _date(entry: Mapping[str, object], name: str) -> dt.date:
    value = entry.get(name)
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise ValueError(f"calendar entry {dict(entry)}: {name} must be a date")
    return value


def parse_national_calendar(text: str) -> NationalCalendar:
    """A notice from TOML: ``[[holidays]]`` name_zh, name_en, start, end (inclusive) and
    ``[[makeup_workdays]]`` date, name_zh."""
    data = tomllib.loads(text)
    holidays: dict[dt.date, str] = {}
    names_en: dict[dt.date, str] = {}
    for entry in data.get("holidays", []):
        day, end = _date(entry, "start"), _date(entry, "end")
        if end < day:
            raise ValueError(f"holiday {entry['name_zh']} ends before it starts")
        while day <= end:
            if day in holidays:
                raise ValueError(f"{day} is in two holidays")
            holidays[day] = entry["name_zh"]
            names_en[day] = entry.get("name_en", entry["name_zh"])
            day += dt.timedelta(days=1)
    makeup = {_date(e, "date"): e["name_zh"] for e in data.get("makeup_workdays", [])}
    overlap = set(holidays) & set(makeup)
    if overlap:
        raise ValueError(f"dates both holiday and workday: {sorted(overlap)}")
    return NationalCalendar(holidays=holidays, makeup_workdays=makeup, holiday_names_en=names_en)


@cache
def load_national_calendars() -> NationalCalendar:
    """Every notice shipped with the package (``calendars/cn-*.toml``), merged."""
    holidays: dict[dt.date, str] = {}
    makeup: dict[dt.date, str] = {}
    names_en: dict[dt.date, str] = {}
    folder = resources.files("qingfu.policy").joinpath("calendars")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.startswith("cn-") and entry.name.endswith(".toml"):
            notice = parse_national_calendar(entry.read_text("utf-8"))
            holidays.update(notice.holidays)
            makeup.update(notice.makeup_workdays)
            names_en.update(notice.holiday_names_en)
    return NationalCalendar(holidays=holidays, makeup_workdays=makeup, holiday_names_en=names_en)


def load_national_calendar(year: int) -> NationalCalendar:
    """The holidays and make-up workdays that fall in ``year``.

    Raises LookupError when no notice covers the year: treating every weekday as a school
    day would silently be wrong around Spring Festival and National Day.
    """
    merged = load_national_calendars()
    holidays = {d: n for d, n in merged.holidays.items() if d.year == year}
    if not holidays:
        raise LookupError(f"no national holiday notice loaded for {year}")
    return NationalCalendar(
        holidays=holidays,
        makeup_workdays={d: n for d, n in merged.makeup_workdays.items() if d.year == year},
        holiday_names_en={d: merged.holiday_names_en[d] for d in holidays},
    )


@dataclass(frozen=True)
class SchoolCalendar:
    """One semester of one school: national notices plus the school's own changes.

    Precedence, most binding first: outside the semester is vacation; a public holiday or
    a school closure is a holiday (a school cannot teach on a public holiday); a make-up
    workday or a school's extra day is a school day; otherwise the weekday decides.
    """

    national: NationalCalendar
    semester_start: dt.date
    semester_end: dt.date
    school_closures: Mapping[dt.date, str] = field(default_factory=dict)
    school_extra_days: Mapping[dt.date, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.semester_end < self.semester_start:
            raise ValueError("the semester ends before it starts")
        both = set(self.school_closures) & set(self.school_extra_days)
        if both:
            raise ValueError(f"dates both closed and extra school days: {sorted(both)}")

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
        """The school days from ``start`` to ``end``, both included."""
        days, day = [], start
        while day <= end:
            if self.is_school_day(day):
                days.append(day)
            day += dt.timedelta(days=1)
        return days

    def week_of(self, day: dt.date) -> int:
        """Teaching week: week 1 is the Monday-based week containing the first day.

        Counted on through holidays (the National Day week is still a week); a day before
        the semester gives 0 or less.
        """
        first_monday = self.semester_start - dt.timedelta(days=self.semester_start.weekday())
        return (day - first_monday).days // 7 + 1

    def holiday_name(self, day: dt.date, lang: str = "zh-hans") -> str | None:
        """Why the day is not an ordinary one: the holiday, closure, make-up or extra day.

        School notes are shown as the school wrote them, in either language.
        """
        if day in self.school_closures:
            return self.school_closures[day]
        if day in self.national.holidays:
            if lang.startswith("en"):
                return self.national.holiday_names_en.get(day, self.national.holidays[day])
            return self.national.holidays[day]
        if day in self.school_extra_days:
            return self.school_extra_days[day]
        if day in self.national.makeup_workdays:
            if lang.startswith("en"):
                return "Make-up workday"
            return self.national.makeup_workdays[day]
        return None
