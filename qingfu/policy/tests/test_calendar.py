"""The school calendar answers from the holiday notice and the school's changes."""

from __future__ import annotations

import datetime as dt

import pytest

from qingfu.policy.calendar import DayKind, SchoolCalendar, load_national_calendars

AUTUMN = SchoolCalendar(
    national=load_national_calendars(),
    semester_start=dt.date(2026, 9, 1),
    semester_end=dt.date(2027, 1, 22),
)


@pytest.mark.parametrize(
    ("day", "kind"),
    [
        (dt.date(2026, 9, 19), DayKind.WEEKEND),
        (dt.date(2026, 9, 20), DayKind.SCHOOL_DAY),  # Sunday, 国庆 make-up workday
        (dt.date(2026, 9, 25), DayKind.HOLIDAY),  # 中秋 on a Friday
        (dt.date(2026, 10, 1), DayKind.HOLIDAY),
        (dt.date(2026, 10, 5), DayKind.HOLIDAY),  # a Monday inside 国庆
        (dt.date(2026, 10, 7), DayKind.HOLIDAY),
        (dt.date(2026, 10, 8), DayKind.SCHOOL_DAY),
        (dt.date(2026, 10, 10), DayKind.SCHOOL_DAY),  # Saturday make-up workday
        (dt.date(2026, 10, 11), DayKind.WEEKEND),
        (dt.date(2027, 1, 1), DayKind.HOLIDAY),
        (dt.date(2026, 8, 31), DayKind.VACATION),
        (dt.date(2027, 1, 25), DayKind.VACATION),
    ],
)
def test_day_kinds(day: dt.date, kind: DayKind) -> None:
    assert AUTUMN.day_kind(day) is kind


def test_national_day_2026_is_seven_days_with_two_makeup_days() -> None:
    national = load_national_calendars()
    national_day = [d for d, name in national.holidays.items() if name == "国庆节"]
    assert len(national_day) == 7
    assert {dt.date(2026, 9, 20), dt.date(2026, 10, 10)} <= set(national.makeup_workdays)


def test_school_days_count_in_october() -> None:
    days = AUTUMN.school_days(dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    # 22 weekdays, 5 of them in the holiday (1, 2, 5, 6, 7), plus Saturday 10 October.
    assert len(days) == 22 - 5 + 1


def test_school_changes_override_the_notice() -> None:
    calendar = SchoolCalendar(
        national=load_national_calendars(),
        semester_start=dt.date(2026, 9, 1),
        semester_end=dt.date(2027, 1, 22),
        school_closures={dt.date(2026, 11, 24): "台风停课"},
        school_extra_days={dt.date(2026, 11, 28): "运动会补课"},
    )
    assert calendar.day_kind(dt.date(2026, 11, 24)) is DayKind.HOLIDAY
    assert calendar.holiday_name(dt.date(2026, 11, 24)) == "台风停课"
    assert calendar.day_kind(dt.date(2026, 11, 28)) is DayKind.SCHOOL_DAY


def test_week_numbers() -> None:
    assert AUTUMN.week_of(dt.date(2026, 9, 1)) == 1
    assert AUTUMN.week_of(dt.date(2026, 9, 6)) == 1
    assert AUTUMN.week_of(dt.date(2026, 9, 7)) == 2
    assert AUTUMN.week_of(dt.date(2026, 11, 23)) == 13
