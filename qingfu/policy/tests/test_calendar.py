"""The school calendar answers from the 2026 holiday notice and the school's own changes."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qingfu.policy.calendar import (
    DayKind,
    NationalCalendar,
    SchoolCalendar,
    load_national_calendar,
    load_national_calendars,
    parse_national_calendar,
)

NATIONAL = load_national_calendars()
AUTUMN = SchoolCalendar(
    national=NATIONAL,
    semester_start=dt.date(2026, 9, 1),
    semester_end=dt.date(2027, 1, 22),
)
SPRING = SchoolCalendar(
    national=NATIONAL,
    semester_start=dt.date(2026, 3, 2),
    semester_end=dt.date(2026, 7, 10),
)


def days(start: str, end: str) -> set[dt.date]:
    first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    return {first + dt.timedelta(n) for n in range((last - first).days + 1)}


@pytest.mark.parametrize(
    ("name", "start", "end"),
    [
        ("元旦", "2026-01-01", "2026-01-03"),
        ("春节", "2026-02-15", "2026-02-23"),
        ("清明节", "2026-04-04", "2026-04-06"),
        ("劳动节", "2026-05-01", "2026-05-05"),
        ("端午节", "2026-06-19", "2026-06-21"),
        ("中秋节", "2026-09-25", "2026-09-27"),
        ("国庆节", "2026-10-01", "2026-10-07"),
    ],
)
def test_2026_holidays(name: str, start: str, end: str) -> None:
    notice = load_national_calendar(2026)
    assert {d for d, n in notice.holidays.items() if n == name} == days(start, end)


def test_2026_makeup_workdays() -> None:
    notice = load_national_calendar(2026)
    assert set(notice.makeup_workdays) == {
        dt.date(2026, 1, 4),
        dt.date(2026, 2, 14),
        dt.date(2026, 2, 28),
        dt.date(2026, 5, 9),
        dt.date(2026, 9, 20),
        dt.date(2026, 10, 10),
    }
    assert all(d.weekday() >= 5 for d in notice.makeup_workdays)


def test_2027_new_year_and_unknown_years() -> None:
    assert load_national_calendar(2027).holidays == {dt.date(2027, 1, 1): "元旦"}
    assert dt.date(2027, 1, 1) not in load_national_calendar(2026).holidays
    with pytest.raises(LookupError, match="2025"):
        load_national_calendar(2025)


@pytest.mark.parametrize(
    ("day", "kind"),
    [
        (dt.date(2026, 9, 19), DayKind.WEEKEND),  # Saturday
        (dt.date(2026, 9, 20), DayKind.SCHOOL_DAY),  # Sunday, 国庆 make-up workday
        (dt.date(2026, 9, 25), DayKind.HOLIDAY),  # 中秋 on a Friday
        (dt.date(2026, 10, 1), DayKind.HOLIDAY),
        (dt.date(2026, 10, 5), DayKind.HOLIDAY),  # a Monday inside 国庆
        (dt.date(2026, 10, 7), DayKind.HOLIDAY),
        (dt.date(2026, 10, 8), DayKind.SCHOOL_DAY),
        (dt.date(2026, 10, 10), DayKind.SCHOOL_DAY),  # Saturday make-up workday
        (dt.date(2026, 10, 11), DayKind.WEEKEND),
        (dt.date(2027, 1, 1), DayKind.HOLIDAY),
        (dt.date(2026, 9, 1), DayKind.SCHOOL_DAY),  # first day
        (dt.date(2027, 1, 22), DayKind.SCHOOL_DAY),  # last day, a Friday
        (dt.date(2026, 8, 31), DayKind.VACATION),
        (dt.date(2027, 1, 25), DayKind.VACATION),
    ],
)
def test_autumn_day_kinds(day: dt.date, kind: DayKind) -> None:
    assert AUTUMN.day_kind(day) is kind
    assert AUTUMN.is_school_day(day) is (kind is DayKind.SCHOOL_DAY)


@pytest.mark.parametrize(
    ("day", "kind"),
    [
        (dt.date(2026, 4, 6), DayKind.HOLIDAY),  # 清明, Monday
        (dt.date(2026, 5, 5), DayKind.HOLIDAY),  # 劳动节, Tuesday
        (dt.date(2026, 5, 9), DayKind.SCHOOL_DAY),  # Saturday make-up workday
        (dt.date(2026, 6, 19), DayKind.HOLIDAY),  # 端午, Friday
        (dt.date(2026, 2, 28), DayKind.VACATION),  # a make-up day, but in winter vacation
    ],
)
def test_spring_day_kinds(day: dt.date, kind: DayKind) -> None:
    assert SPRING.day_kind(day) is kind


def test_school_days_count_in_october() -> None:
    october = AUTUMN.school_days(dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    # 22 weekdays, 5 of them in the holiday (1, 2, 5, 6, 7), plus Saturday 10 October.
    assert len(october) == 22 - 5 + 1
    assert october[0] == dt.date(2026, 10, 8) and dt.date(2026, 10, 10) in october


def test_school_changes_override_the_notice() -> None:
    calendar = SchoolCalendar(
        national=NATIONAL,
        semester_start=dt.date(2026, 9, 1),
        semester_end=dt.date(2027, 1, 22),
        school_closures={dt.date(2026, 11, 24): "台风停课", dt.date(2026, 10, 10): "运动会调休"},
        school_extra_days={dt.date(2026, 11, 28): "运动会补课", dt.date(2026, 10, 3): "补课"},
    )
    assert calendar.day_kind(dt.date(2026, 11, 24)) is DayKind.HOLIDAY
    assert calendar.holiday_name(dt.date(2026, 11, 24)) == "台风停课"
    assert calendar.day_kind(dt.date(2026, 11, 28)) is DayKind.SCHOOL_DAY
    assert calendar.holiday_name(dt.date(2026, 11, 28)) == "运动会补课"
    assert calendar.day_kind(dt.date(2026, 10, 10)) is DayKind.HOLIDAY  # closed on a make-up day
    # A school cannot teach on a public holiday.
    assert calendar.day_kind(dt.date(2026, 10, 3)) is DayKind.HOLIDAY


def test_holiday_names() -> None:
    assert AUTUMN.holiday_name(dt.date(2026, 10, 2)) == "国庆节"
    assert AUTUMN.holiday_name(dt.date(2026, 10, 2), lang="en") == "National Day"
    assert AUTUMN.holiday_name(dt.date(2026, 10, 10)) == "国庆节调休上班"
    assert AUTUMN.holiday_name(dt.date(2026, 10, 10), lang="en") == "Make-up workday"
    assert AUTUMN.holiday_name(dt.date(2026, 10, 12)) is None


def test_inconsistent_calendars_are_refused() -> None:
    with pytest.raises(ValueError, match="ends before"):
        SchoolCalendar(NATIONAL, dt.date(2026, 9, 1), dt.date(2026, 8, 1))
    with pytest.raises(ValueError, match="both"):
        SchoolCalendar(
            NATIONAL,
            dt.date(2026, 9, 1),
            dt.date(2027, 1, 22),
            school_closures={dt.date(2026, 11, 2): "x"},
            school_extra_days={dt.date(2026, 11, 2): "y"},
        )
    with pytest.raises(ValueError, match="both holiday and workday"):
        parse_national_calendar(
            '[[holidays]]\nname_zh = "x"\nstart = 2026-01-01\nend = 2026-01-02\n'
            '[[makeup_workdays]]\ndate = 2026-01-02\nname_zh = "y"\n'
        )
    with pytest.raises(ValueError, match="must be a date"):
        parse_national_calendar('[[holidays]]\nname_zh = "x"\nstart = "2026-01-01"\nend = 1\n')


def test_week_numbers() -> None:
    assert AUTUMN.week_of(dt.date(2026, 9, 1)) == 1  # a Tuesday
    assert AUTUMN.week_of(dt.date(2026, 9, 6)) == 1
    assert AUTUMN.week_of(dt.date(2026, 9, 7)) == 2
    assert AUTUMN.week_of(dt.date(2026, 10, 5)) == 6  # holiday weeks still count
    assert AUTUMN.week_of(dt.date(2026, 11, 23)) == 13


semester_days = st.dates(min_value=dt.date(2026, 9, 1), max_value=dt.date(2027, 1, 22))


@settings(max_examples=200, deadline=None)
@given(day=semester_days)
def test_weekdays_outside_the_notice_are_school_days(day: dt.date) -> None:
    kind = AUTUMN.day_kind(day)
    if day in NATIONAL.holidays:
        assert kind is DayKind.HOLIDAY
    elif day in NATIONAL.makeup_workdays or day.weekday() < 5:
        assert kind is DayKind.SCHOOL_DAY
    else:
        assert kind is DayKind.WEEKEND


@settings(max_examples=100, deadline=None)
@given(a=semester_days, b=semester_days)
def test_weeks_and_school_days_are_consistent(a: dt.date, b: dt.date) -> None:
    first, last = min(a, b), max(a, b)
    assert AUTUMN.week_of(first) <= AUTUMN.week_of(last)
    if (last - first).days == 7:
        assert AUTUMN.week_of(last) == AUTUMN.week_of(first) + 1
    listed = AUTUMN.school_days(first, last)
    assert listed == sorted(listed)
    assert all(AUTUMN.is_school_day(d) for d in listed)
    assert len(listed) == sum(
        AUTUMN.is_school_day(first + dt.timedelta(n)) for n in range((last - first).days + 1)
    )


def test_an_empty_national_calendar_falls_back_to_weekdays() -> None:
    bare = SchoolCalendar(NationalCalendar(), dt.date(2026, 9, 1), dt.date(2027, 1, 22))
    assert bare.day_kind(dt.date(2026, 10, 1)) is DayKind.SCHOOL_DAY
    assert bare.day_kind(dt.date(2026, 10, 10)) is DayKind.WEEKEND
