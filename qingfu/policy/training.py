"""Off-campus training (校外培训): sessions, prices, prepaid charges and registration checked.

The same shape as ``checks``: the caller loads what an institution filed, passes plain
values, the profile and the district's calendar, and gets verdicts back (rule id, measured,
limit, bilingual message, citation). Nothing here reads the clock: a weekly schedule is
checked against the dates of the term the caller names.

Rest days are the *students'* rest days. The 2021 opinion forbids academic training on
"国家法定节假日、休息日及寒暑假期" to give school children their rest back, so a day counts
as a rest day exactly when the students of the district do not attend school that day, as
the school calendar says (``SchoolCalendar.day_kind``):

- an ordinary Saturday or Sunday, a public holiday (including the weekdays 调休 turns into
  days off), a closure of the district's schools, and every day outside the semester
  (寒假、暑假) are rest days: academic training is refused;
- a make-up workday (调休上班, e.g. Saturday 2026-10-10) is a school day: students sit in
  class that day, so an academic session that evening is an ordinary weekday session,
  held to the time rules like any other, and not refused as a rest-day session.

Non-academic (非学科类) training is not limited to school days; the time rules apply to
every session of either category (the 2018 opinion's 20:30 covers all institutions).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal
from typing import Literal

from qingfu.policy.calendar import DayKind, SchoolCalendar
from qingfu.policy.checks import _hhmm, _verdict
from qingfu.policy.rules import Profile, is_later
from qingfu.policy.verdicts import Verdict

Category = Literal["academic", "non-academic"]
Mode = Literal["online", "offline"]
CATEGORIES: tuple[Category, ...] = ("academic", "non-academic")
MODES: tuple[Mode, ...] = ("online", "offline")
# The district's semester, or its semesters (any order) when a training term spans two.
Calendars = SchoolCalendar | Sequence[SchoolCalendar]

_WEEKDAYS_ZH = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
_WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# Dates a message lists before "等" / "and N more"; ``rest_days`` gives them all.
_SHOWN_DATES = 6


def _session_minutes(start: dt.time, end: dt.time) -> int:
    """Minutes from start to end; an end at or after midnight belongs to the same evening."""
    minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
    return minutes % (24 * 60)


# --- sessions --------------------------------------------------------------------------


@dataclass(frozen=True)
class TrainingSession:
    """One session as filed: what kind, how, when, and how it is cut into lessons.

    ``lessons`` lessons of ``lesson_minutes`` each, with ``break_minutes`` between two of
    them, must fit between ``start`` and ``end``.
    """

    category: Category
    mode: Mode
    start: dt.time
    end: dt.time
    lesson_minutes: int
    lessons: int = 1
    break_minutes: int = 0

    def __post_init__(self) -> None:
        if self.category not in CATEGORIES:
            raise ValueError(f"unknown training category {self.category!r}")
        if self.mode not in MODES:
            raise ValueError(f"unknown training mode {self.mode!r}")
        if self.start == self.end:
            raise ValueError("a training session must end after it starts")
        if self.lesson_minutes <= 0 or self.lessons < 1 or self.break_minutes < 0:
            raise ValueError("lessons need a positive length and breaks cannot be negative")
        filled = self.lessons * self.lesson_minutes + (self.lessons - 1) * self.break_minutes
        if filled > self.minutes:
            raise ValueError(
                f"{self.lessons} lessons of {self.lesson_minutes} min with {self.break_minutes}"
                f"-min breaks do not fit in {self.minutes} min ({self.start}–{self.end})"
            )

    @property
    def minutes(self) -> int:
        return _session_minutes(self.start, self.end)

    @property
    def is_academic(self) -> bool:
        return self.category == "academic"


@dataclass(frozen=True)
class RestDay:
    """A date students do not attend school, and why, as a person names it."""

    day: dt.date
    kind: DayKind
    name_zh: str
    name_en: str


def _vacation_names(calendar: SchoolCalendar, day: dt.date) -> tuple[str, str]:
    """Winter or summer vacation, told by which end of the semester the day lies beyond.

    A spring semester starts after the winter vacation and ends before the summer one; an
    autumn semester starts after the summer vacation and ends before the winter one.
    """
    if day < calendar.semester_start:
        winter = calendar.semester_start.month <= 6
    else:
        winter = not 3 <= calendar.semester_end.month <= 9
    return ("寒假", "winter vacation") if winter else ("暑假", "summer vacation")


def _calendar_for(calendars: Calendars, day: dt.date) -> SchoolCalendar:
    """The semester a day belongs to: the one holding it, else the next to start (the
    vacation before it), else the last. A term over two semesters passes both."""
    if isinstance(calendars, SchoolCalendar):
        return calendars
    if not calendars:
        raise ValueError("at least one semester's calendar is needed")
    ordered = sorted(calendars, key=lambda c: c.semester_start)
    for calendar in ordered:
        if day <= calendar.semester_end:
            return calendar
    return ordered[-1]


def rest_day(calendars: Calendars, day: dt.date) -> RestDay | None:
    """The day as a rest day of the district's students, or None when they attend school.

    A make-up workday (调休上班) is a school day and so not a rest day (module docstring).
    """
    calendar = _calendar_for(calendars, day)
    kind = calendar.day_kind(day)
    if kind is DayKind.SCHOOL_DAY:
        return None
    if kind is DayKind.VACATION:
        zh, en = _vacation_names(calendar, day)
    elif kind is DayKind.HOLIDAY:
        zh = calendar.holiday_name(day) or "节假日"
        en = calendar.holiday_name(day, "en") or "holiday"
    else:
        zh, en = _WEEKDAYS_ZH[day.weekday()], _WEEKDAYS_EN[day.weekday()]
    return RestDay(day=day, kind=kind, name_zh=zh, name_en=en)


def rest_days(calendars: Calendars, days: Iterable[dt.date]) -> list[RestDay]:
    """The rest days among ``days``, in date order (each date once)."""
    found = (rest_day(calendars, d) for d in sorted(set(days)))
    return [r for r in found if r is not None]


def term_dates(*, weekday: int, first: dt.date, last: dt.date) -> list[dt.date]:
    """Every date from ``first`` to ``last`` (both included) falling on ``weekday`` (0 = Monday)."""
    if not 0 <= weekday <= 6:
        raise ValueError(f"weekday must be 0 (Monday) to 6 (Sunday), got {weekday}")
    if last < first:
        raise ValueError("the term ends before it starts")
    day = first + dt.timedelta(days=(weekday - first.weekday()) % 7)
    dates = []
    while day <= last:
        dates.append(day)
        day += dt.timedelta(days=7)
    return dates


def _dates_shown(days: Sequence[dt.date], lang: str) -> str:
    shown = [d.isoformat() for d in days[:_SHOWN_DATES]]
    more = len(days) - len(shown)
    if lang == "en":
        return ", ".join(shown) + (f" and {more} more" if more else "")
    return "、".join(shown) + ("等" if more else "")


def _rest_day_verdicts(profile: Profile, found: Sequence[RestDay]) -> list[Verdict]:
    """One verdict per reason (周六, 国庆节, 寒假 …) naming its dates; one OK if none."""
    rule = profile.rule("trn.no-holiday")
    cap = rule.whole()
    if not found:
        return [
            _verdict(
                rule,
                breached=False,
                measured=0,
                limit=cap,
                kind=("学科类培训", "Academic training"),
            )
        ]
    groups: dict[tuple[str, str], list[dt.date]] = {}
    for rest in found:
        groups.setdefault((rest.name_zh, rest.name_en), []).append(rest.day)
    verdicts = []
    for (zh, en), days in groups.items():
        label = (
            f"{zh}（{_dates_shown(days, 'zh')}）",
            f"{en} ({_dates_shown(days, 'en')})",
        )
        verdicts.append(
            _verdict(rule, breached=len(days) > cap, measured=len(days), limit=cap, kind=label)
        )
    return verdicts


def _time_verdicts(profile: Profile, session: TrainingSession) -> list[Verdict]:
    if session.mode == "offline":
        end_rule = profile.rule("trn.times")
    else:
        end_rule = profile.rule("trn.times.online")
    latest = end_rule.clock()
    verdicts = [
        _verdict(
            end_rule,
            breached=is_later(session.end, latest, "latest"),
            measured=_hhmm(session.end),
            limit=_hhmm(latest),
        )
    ]
    if session.mode == "online":
        lesson = profile.rule("trn.times.lesson")
        longest = lesson.number()
        verdicts.append(
            _verdict(
                lesson,
                breached=session.lesson_minutes > longest,
                measured=session.lesson_minutes,
                limit=longest,
            )
        )
        if session.lessons > 1:
            pause = profile.rule("trn.times.break")
            shortest = pause.number()
            verdicts.append(
                _verdict(
                    pause,
                    breached=session.break_minutes < shortest,
                    measured=session.break_minutes,
                    limit=shortest,
                )
            )
    return verdicts


def check_training_session(
    profile: Profile,
    *,
    session: TrainingSession,
    days: Iterable[dt.date],
    calendar: Calendars,
) -> list[Verdict]:
    """A session held on each of ``days``: its times, and for academic training its dates.

    The time verdicts come once (the session is the same every day it is held); the
    rest-day verdicts come one per reason with the dates, e.g. "周六（2026-09-05、…）" and
    "国庆节（2026-10-03）", so a refusal says which dates and why.
    """
    verdicts = _time_verdicts(profile, session)
    if session.is_academic:
        verdicts += _rest_day_verdicts(profile, rest_days(calendar, days))
    return verdicts


def check_weekly_session(
    profile: Profile,
    *,
    session: TrainingSession,
    weekday: int,
    term_first: dt.date,
    term_last: dt.date,
    calendar: Calendars,
) -> list[Verdict]:
    """A session filed for a weekday over a term, checked on every date of the term it covers.

    ``calendar`` is the district's semester, or its semesters when the term spans two
    (a winter class from January into the spring semester); days outside every semester
    are vacation.
    """
    days = term_dates(weekday=weekday, first=term_first, last=term_last)
    return check_training_session(profile, session=session, days=days, calendar=calendar)


# --- prices ------------------------------------------------------------------------------


def price_markup_percent(*, benchmark: Decimal | int, price: Decimal | int) -> Decimal:
    """How far ``price`` is above ``benchmark``, in percent (negative when below)."""
    base = Decimal(benchmark)
    if base <= 0:
        raise ValueError(f"the benchmark price must be positive, got {benchmark}")
    if Decimal(price) < 0:
        raise ValueError(f"a price cannot be negative, got {price}")
    return (Decimal(price) - base) * 100 / base


def check_course_price(
    profile: Profile, *, benchmark: Decimal | int, price: Decimal | int
) -> Verdict:
    """An academic course's filed price against the government-guided benchmark (指导价).

    Both in the same unit (yuan per lesson-hour, as the district publishes them). Compared
    exactly; the measured markup is shown rounded *up* to hundredths, so a refused price
    never reads as equal to the limit (10.001% shows as 10.01%).
    """
    rule = profile.rule("trn.prices")
    markup = price_markup_percent(benchmark=benchmark, price=price)
    limit = rule.number()
    shown = markup.quantize(Decimal("0.01"), rounding=ROUND_CEILING).normalize()
    return _verdict(
        rule,
        breached=markup > Decimal(str(limit)),
        measured=float(shown),
        limit=limit,
    )


# --- prepaid charges ---------------------------------------------------------------------


def months_covered(first: dt.date, last: dt.date) -> int:
    """Calendar months a charge's period spans, any part counted: 9-01..11-30 is 3,
    9-01..12-01 is 4, 9-15..12-14 is 3 (a month runs to the day before the same date)."""
    if last < first:
        raise ValueError("the period ends before it starts")
    months = 0
    while True:
        months += 1
        year, month = divmod(first.month - 1 + months, 12)
        year += first.year
        day = min(first.day, _month_length(year, month + 1))
        if dt.date(year, month + 1, day) > last:
            return months


def _month_length(year: int, month: int) -> int:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return (following - dt.timedelta(days=1)).day


@dataclass(frozen=True)
class PrepaidCharge:
    """One prepaid charge as filed (no student data: the policy needs none)."""

    amount: Decimal
    lesson_hours: int | float
    months: int
    into_supervised_account: bool

    def __post_init__(self) -> None:
        if self.amount < 0 or self.lesson_hours < 0 or self.months < 0:
            raise ValueError("a charge's amount, lesson-hours and months cannot be negative")


def check_prepaid_charge(profile: Profile, *, charge: PrepaidCharge) -> list[Verdict]:
    """The period and lesson-hours one charge covers, and where the money goes.

    The amount itself is not limited here: a charge within both limits and paid into a
    supervised account passes whatever it costs (the price is ``trn.prices``' business).
    """
    months = profile.rule("trn.prepaid")
    hours = profile.rule("trn.prepaid.hours")
    account = profile.rule("trn.prepaid.account")
    required = account.flag()
    return [
        _verdict(
            months,
            breached=charge.months > months.whole(),
            measured=charge.months,
            limit=months.whole(),
        ),
        _verdict(
            hours,
            breached=charge.lesson_hours > hours.number(),
            measured=charge.lesson_hours,
            limit=hours.number(),
        ),
        _verdict(
            account,
            breached=required and not charge.into_supervised_account,
            measured=charge.into_supervised_account,
            limit=required,
        ),
    ]


# --- registration ------------------------------------------------------------------------


@dataclass(frozen=True)
class TrainerFacts:
    """A trainer as the registry shows them: a label (name or staff number), whether they
    teach academic subjects, and their teaching-certificate number if any."""

    label: str
    teaches_academic: bool
    certificate_number: str = ""

    @property
    def holds_certificate(self) -> bool:
        return bool(self.certificate_number.strip())


@dataclass(frozen=True)
class InstitutionFacts:
    category: Category
    is_nonprofit: bool
    trainers: Sequence[TrainerFacts] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        if self.category not in CATEGORIES:
            raise ValueError(f"unknown training category {self.category!r}")


def check_institution_registration(
    profile: Profile, *, institution: InstitutionFacts
) -> list[Verdict]:
    """Non-profit registration (academic institutions) and teaching certificates (every
    trainer who teaches academic subjects, whatever the institution's category says)."""
    verdicts: list[Verdict] = []
    if institution.category == "academic":
        rule = profile.rule("trn.nonprofit")
        required = rule.flag()
        verdicts.append(
            _verdict(
                rule,
                breached=required and not institution.is_nonprofit,
                measured=institution.is_nonprofit,
                limit=required,
            )
        )
    academic = [t for t in institution.trainers if t.teaches_academic]
    if institution.category == "academic" or academic:
        rule = profile.rule("trn.nonprofit.certificate")
        required = rule.flag()
        missing = [t.label for t in academic if not t.holds_certificate]
        verdicts.append(
            _verdict(
                rule,
                breached=required and bool(missing),
                measured=len(missing),
                limit=0 if required else None,
                kind=("、".join(missing), ", ".join(missing)),
            )
        )
    return verdicts


# Ordered names, for pages that list the checks' rules together.
RULE_IDS: tuple[str, ...] = (
    "trn.no-holiday",
    "trn.times",
    "trn.times.online",
    "trn.times.lesson",
    "trn.times.break",
    "trn.prices",
    "trn.prepaid",
    "trn.prepaid.hours",
    "trn.prepaid.account",
    "trn.nonprofit",
    "trn.nonprofit.certificate",
)
