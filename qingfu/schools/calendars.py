"""A school's calendar and policy profile, assembled from records for the pure policy layer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from qingfu.policy.calendar import DayKind, SchoolCalendar, load_national_calendars
from qingfu.policy.profile import Level, Override, apply_overrides, load_national
from qingfu.policy.rules import Profile
from qingfu.schools.models import CalendarException, PolicyOverride, School, Semester

DAY_KIND_LABELS = {
    DayKind.SCHOOL_DAY: _("教学日"),
    DayKind.WEEKEND: _("周末"),
    DayKind.HOLIDAY: _("节假日"),
    DayKind.VACATION: _("假期"),
}


_pinned_today: ContextVar[dt.date | None] = ContextVar("pinned_today", default=None)


def local_today() -> dt.date:
    """Today in the school's time zone (Asia/Shanghai for every school for now).

    ``QINGFU_TODAY`` pins the date, so a demo or a browser test can be shown on a known
    school day whatever the machine's clock says; inside :func:`today_pinned` the block's
    day is today.
    """
    from django.conf import settings

    pinned = _pinned_today.get()
    if pinned is not None:
        return pinned
    setting = getattr(settings, "QINGFU_TODAY", "")
    return dt.date.fromisoformat(setting) if setting else timezone.localdate()


def local_now() -> dt.datetime:
    """Now in the school's time zone, on the pinned day (see :func:`local_today`) and at the
    pinned time of day when ``QINGFU_CLOCK`` ("16:05") is set; with both pinned the clock
    is not read at all."""
    from django.conf import settings

    clock = getattr(settings, "QINGFU_CLOCK", "")
    if clock:
        return dt.datetime.combine(
            local_today(), dt.time.fromisoformat(clock), tzinfo=timezone.get_current_timezone()
        )
    now = timezone.localtime()
    today = local_today()
    return (
        now
        if now.date() == today
        else now.replace(year=today.year, month=today.month, day=today.day)
    )


def stamp_now() -> dt.datetime:
    """The instant to stamp a record with: the real clock (``timezone.now``), moved onto the
    pinned day when one is pinned (``QINGFU_TODAY``, :func:`today_pinned`; at the pinned
    time with ``QINGFU_CLOCK``), so what the demo files on its day is dated that day and a
    period's report counts it. Without a pin it is ``timezone.now()``: a stamp, not a read
    of "today"."""
    from django.conf import settings

    setting = getattr(settings, "QINGFU_TODAY", "")
    pinned = _pinned_today.get() or (dt.date.fromisoformat(setting) if setting else None)
    if pinned is None:
        return timezone.now()
    if getattr(settings, "QINGFU_CLOCK", ""):
        return local_now()
    now = timezone.localtime(timezone.now())
    return now.replace(year=pinned.year, month=pinned.month, day=pinned.day)


def local_time(value: dt.datetime) -> dt.datetime:
    """A stored instant (aware, UTC in the database) in the school's time zone, for showing,
    exporting or writing it: 13:13 UTC is 21:13 at a school in Asia/Shanghai.

    The school's zone is the site's ``TIME_ZONE`` (every school is in China for now), not
    whatever zone a request may have activated. A naive value is taken as already local.
    """
    if timezone.is_naive(value):
        return value
    return timezone.localtime(value, timezone.get_default_timezone())


@contextmanager
def today_pinned(day: dt.date) -> Iterator[None]:
    """Within the block, ``day`` is today for every service: the demo builds the records of
    a chosen day through the same services that check them against today."""
    token = _pinned_today.set(day)
    try:
        yield
    finally:
        _pinned_today.reset(token)


def semester_calendar(semester: Semester) -> SchoolCalendar:
    exceptions = CalendarException.objects.filter(semester=semester)
    return SchoolCalendar(
        national=load_national_calendars(),
        semester_start=semester.start,
        semester_end=semester.end,
        school_closures={
            e.date: e.note for e in exceptions if e.kind == CalendarException.Kind.CLOSURE
        },
        school_extra_days={
            e.date: e.note for e in exceptions if e.kind == CalendarException.Kind.EXTRA_DAY
        },
    )


@dataclass(frozen=True)
class DayInfo:
    date: dt.date
    kind: DayKind
    label: str | Promise
    holiday_name: str | None
    week: int | None
    semester_name: str | None


def day_info(school_id: int, day: dt.date) -> DayInfo:
    """What kind of day ``day`` is at a school, answered by its semester calendar."""
    semester = Semester.objects.filter(school_id=school_id, start__lte=day, end__gte=day).first()
    if semester is None:
        return DayInfo(day, DayKind.VACATION, DAY_KIND_LABELS[DayKind.VACATION], None, None, None)
    calendar = semester_calendar(semester)
    kind = calendar.day_kind(day)
    return DayInfo(
        date=day,
        kind=kind,
        label=DAY_KIND_LABELS[kind],
        holiday_name=calendar.holiday_name(day),
        week=calendar.week_of(day),
        semester_name=semester.name,
    )


def profile_for_school(school: School) -> Profile:
    """National defaults overridden by the school's province, district and own settings."""
    rows = PolicyOverride.objects.filter(
        level=PolicyOverride.Level.PROVINCE, province=school.district.province
    ).union(
        PolicyOverride.objects.filter(district_id=school.district_id),
        PolicyOverride.objects.filter(school_id=school.pk),
    )
    order: dict[str, Level] = {"province": "province", "district": "district", "school": "school"}
    overrides = [
        Override(level=order[row.level], scope=str(row.pk), thresholds=row.thresholds)
        for row in sorted(rows, key=lambda r: list(order).index(r.level))
    ]
    return apply_overrides(load_national(), overrides)
