"""Off-campus training checks (qingfu.policy.training), without a database.

The calendars are the district's semesters built on the 2026 State Council notice: autumn
2026-09-01..2027-01-22 (National Day 10-01..07, 调休 workdays Sunday 09-20 and Saturday
10-10) and spring 2026-03-02..2026-07-10.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qingfu.policy.calendar import DayKind, SchoolCalendar, load_national_calendars
from qingfu.policy.profile import Override, PolicyOverrideError, apply_overrides
from qingfu.policy.rules import Profile, evening_minutes
from qingfu.policy.tests.strategies import NATIONAL, stricter_profiles
from qingfu.policy.training import (
    RULE_IDS,
    InstitutionFacts,
    PrepaidCharge,
    TrainerFacts,
    TrainingSession,
    check_course_price,
    check_institution_registration,
    check_prepaid_charge,
    check_training_session,
    check_weekly_session,
    months_covered,
    price_markup_percent,
    rest_day,
    rest_days,
    term_dates,
)
from qingfu.policy.verdicts import Status, Verdict, worst

SHUANGJIAN = "《关于进一步减轻义务教育阶段学生作业负担和校外培训负担的意见》（2021）"
AUTUMN = SchoolCalendar(
    national=load_national_calendars(),
    semester_start=dt.date(2026, 9, 1),
    semester_end=dt.date(2027, 1, 22),
)
SPRING = SchoolCalendar(
    national=load_national_calendars(),
    semester_start=dt.date(2026, 3, 2),
    semester_end=dt.date(2026, 7, 10),
)
SATURDAY = dt.date(2026, 9, 5)
MAKEUP_SATURDAY = dt.date(2026, 10, 10)  # 国庆节调休上班
MAKEUP_SUNDAY = dt.date(2026, 9, 20)
NATIONAL_DAY = dt.date(2026, 10, 1)  # a Thursday
SCHOOL_DAY = dt.date(2026, 9, 8)  # a Tuesday


def session(
    *,
    category: str = "academic",
    mode: str = "offline",
    start: str = "18:30",
    end: str = "20:00",
    lesson: int = 45,
    lessons: int = 1,
    pause: int = 0,
) -> TrainingSession:
    return TrainingSession(
        category=category,  # type: ignore[arg-type]
        mode=mode,  # type: ignore[arg-type]
        start=dt.time.fromisoformat(start),
        end=dt.time.fromisoformat(end),
        lesson_minutes=lesson,
        lessons=lessons,
        break_minutes=pause,
    )


def by_rule(verdicts: list[Verdict], rule_id: str) -> list[Verdict]:
    return [v for v in verdicts if v.rule_id == rule_id]


def one(verdicts: list[Verdict], rule_id: str) -> Verdict:
    (found,) = by_rule(verdicts, rule_id)
    return found


def on(day: dt.date, s: TrainingSession, profile: Profile = NATIONAL) -> list[Verdict]:
    return check_training_session(profile, session=s, days=[day], calendar=AUTUMN)


# --- the profile's training rules --------------------------------------------------------


def test_every_training_rule_is_in_the_national_profile_with_its_document() -> None:
    for rule_id in RULE_IDS:
        rule = NATIONAL.rule(rule_id)
        assert rule.source == "national", rule_id
    assert NATIONAL.rule("trn.no-holiday").citation == SHUANGJIAN
    assert (
        NATIONAL.rule("trn.times").citation
        == "《国务院办公厅关于规范校外培训机构发展的意见》（2018）"
    )
    for rule_id in ("trn.times.online", "trn.times.lesson", "trn.times.break", "trn.nonprofit"):
        assert NATIONAL.rule(rule_id).citation == SHUANGJIAN, rule_id
    assert "收费监管" in NATIONAL.rule("trn.prices").citation
    for rule_id in ("trn.prepaid", "trn.prepaid.hours", "trn.prepaid.account"):
        assert "预收费监管" in NATIONAL.rule(rule_id).citation, rule_id
    assert "从业人员管理办法" in NATIONAL.rule("trn.nonprofit.certificate").citation


# --- times ------------------------------------------------------------------------------


@pytest.mark.parametrize(("end", "status"), [("20:30", Status.OK), ("20:31", Status.VIOLATION)])
def test_offline_training_ends_by_half_past_eight(end: str, status: Status) -> None:
    verdict = one(on(SCHOOL_DAY, session(end=end)), "trn.times")
    assert (verdict.status, verdict.measured, verdict.limit) == (status, end, "20:30")


def test_offline_training_past_midnight_is_later_not_earlier() -> None:
    verdict = one(on(SCHOOL_DAY, session(start="23:00", end="00:30")), "trn.times")
    assert verdict.status is Status.VIOLATION


@pytest.mark.parametrize(("end", "status"), [("21:00", Status.OK), ("21:01", Status.VIOLATION)])
def test_online_training_ends_by_nine(end: str, status: Status) -> None:
    verdicts = on(SCHOOL_DAY, session(mode="online", start="20:00", end=end, lesson=30))
    assert one(verdicts, "trn.times.online").status is status
    assert not by_rule(verdicts, "trn.times")


@pytest.mark.parametrize(("minutes", "status"), [(30, Status.OK), (31, Status.VIOLATION)])
def test_online_lessons_last_at_most_thirty_minutes(minutes: int, status: Status) -> None:
    verdicts = on(SCHOOL_DAY, session(mode="online", lesson=minutes))
    verdict = one(verdicts, "trn.times.lesson")
    assert (verdict.status, verdict.measured, verdict.limit) == (status, minutes, 30)


@pytest.mark.parametrize(("pause", "status"), [(10, Status.OK), (9, Status.VIOLATION)])
def test_breaks_between_online_lessons_last_ten_minutes(pause: int, status: Status) -> None:
    s = session(mode="online", start="19:00", end="20:30", lesson=30, lessons=2, pause=pause)
    verdict = one(on(SCHOOL_DAY, s), "trn.times.break")
    assert (verdict.status, verdict.measured, verdict.limit) == (status, pause, 10)


def test_one_online_lesson_needs_no_break_and_offline_lessons_no_length() -> None:
    assert not by_rule(on(SCHOOL_DAY, session(mode="online", lesson=30)), "trn.times.break")
    offline = on(SCHOOL_DAY, session(lesson=90, end="20:00"))
    assert not by_rule(offline, "trn.times.lesson") and worst(offline) is Status.OK


def test_lessons_that_do_not_fit_the_session_are_refused_as_input() -> None:
    with pytest.raises(ValueError, match="do not fit"):
        session(start="19:00", end="20:00", lesson=30, lessons=2, pause=10)
    with pytest.raises(ValueError, match="category"):
        session(category="sports")


# --- rest days ---------------------------------------------------------------------------


def test_a_saturday_academic_session_is_refused_with_the_citation() -> None:
    verdict = one(on(SATURDAY, session()), "trn.no-holiday")
    assert verdict.status is Status.VIOLATION and verdict.blocks
    assert verdict.citation == SHUANGJIAN
    assert (verdict.measured, verdict.limit) == (1, 0)
    assert "周六（2026-09-05）" in verdict.message_zh
    assert "Saturday (2026-09-05)" in verdict.message_en


def test_a_non_academic_session_on_a_saturday_is_allowed() -> None:
    verdicts = on(SATURDAY, session(category="non-academic"))
    assert worst(verdicts) is Status.OK
    assert not by_rule(verdicts, "trn.no-holiday")


def test_a_makeup_workday_is_a_school_day_so_academic_training_is_not_refused() -> None:
    # Students attend school on 调休上班 days: not their rest day (training.py's docstring).
    for day in (MAKEUP_SATURDAY, MAKEUP_SUNDAY):
        assert AUTUMN.day_kind(day) is DayKind.SCHOOL_DAY
        assert rest_day(AUTUMN, day) is None
        verdicts = on(day, session())
        assert one(verdicts, "trn.no-holiday").status is Status.OK, day
    # The same evening is still held to the time rules like any school day.
    assert one(on(MAKEUP_SATURDAY, session(end="20:45")), "trn.times").blocks


def test_national_day_is_refused_even_on_a_weekday_made_a_day_off() -> None:
    for day in (NATIONAL_DAY, dt.date(2026, 10, 5)):  # Thursday; Monday off by 调休
        verdict = one(on(day, session()), "trn.no-holiday")
        assert verdict.status is Status.VIOLATION, day
        assert "国庆节" in verdict.message_zh and "National Day" in verdict.message_en
    assert rest_day(AUTUMN, NATIONAL_DAY).kind is DayKind.HOLIDAY  # type: ignore[union-attr]


def test_summer_and_winter_vacations_are_refused_and_named() -> None:
    summer_weekday = dt.date(2026, 7, 22)
    verdict = one(
        check_training_session(NATIONAL, session=session(), days=[summer_weekday], calendar=SPRING),
        "trn.no-holiday",
    )
    assert verdict.blocks and "暑假" in verdict.message_zh and "summer" in verdict.message_en
    assert rest_day(AUTUMN, dt.date(2026, 8, 20)).name_zh == "暑假"  # type: ignore[union-attr]
    assert rest_day(AUTUMN, dt.date(2027, 1, 27)).name_zh == "寒假"  # type: ignore[union-attr]
    assert rest_day(SPRING, dt.date(2026, 2, 25)).name_zh == "寒假"  # type: ignore[union-attr]


def test_a_school_closure_is_a_rest_day() -> None:
    closed = SchoolCalendar(
        national=AUTUMN.national,
        semester_start=AUTUMN.semester_start,
        semester_end=AUTUMN.semester_end,
        school_closures={SCHOOL_DAY: "台风停课"},
    )
    verdicts = check_training_session(
        NATIONAL, session=session(), days=[SCHOOL_DAY], calendar=closed
    )
    assert "台风停课" in one(verdicts, "trn.no-holiday").message_zh


def test_a_weekly_saturday_session_is_checked_on_every_date_of_the_term() -> None:
    # September 2026: Saturdays 5, 12, 19 and 26 (中秋节).
    verdicts = check_weekly_session(
        NATIONAL,
        session=session(),
        weekday=5,
        term_first=dt.date(2026, 9, 1),
        term_last=dt.date(2026, 9, 30),
        calendar=AUTUMN,
    )
    refused = by_rule(verdicts, "trn.no-holiday")
    assert [(v.measured, v.status) for v in refused] == [
        (3, Status.VIOLATION),
        (1, Status.VIOLATION),
    ]
    assert "周六（2026-09-05、2026-09-12、2026-09-19）" in refused[0].message_zh
    assert "，3 次" in refused[0].message_zh
    assert "中秋节（2026-09-26）" in refused[1].message_zh
    assert one(verdicts, "trn.times").status is Status.OK


def test_a_weekly_sunday_session_skips_the_makeup_sunday() -> None:
    days = term_dates(weekday=6, first=dt.date(2026, 9, 1), last=dt.date(2026, 9, 30))
    assert days == [dt.date(2026, 9, d) for d in (6, 13, 20, 27)]
    assert [r.day.day for r in rest_days(AUTUMN, days)] == [6, 13, 27]


def test_a_weekday_session_is_refused_only_on_holidays_and_long_date_lists_are_shortened() -> None:
    tuesdays = check_weekly_session(
        NATIONAL, session=session(), weekday=1, term_first=dt.date(2026, 9, 1),
        term_last=dt.date(2027, 1, 19), calendar=AUTUMN,
    )  # fmt: skip
    (refused,) = [v for v in tuesdays if v.blocks]  # only Tuesday 10-06 is off (国庆节)
    assert refused.measured == 1 and "国庆节（2026-10-06）" in refused.message_zh
    saturdays = check_weekly_session(
        NATIONAL, session=session(), weekday=5, term_first=dt.date(2026, 9, 1),
        term_last=dt.date(2027, 1, 31), calendar=AUTUMN,
    )  # fmt: skip
    first = by_rule(saturdays, "trn.no-holiday")[0]
    assert first.measured == 17 and "等" in first.message_zh and "11 more" in first.message_en
    assert [v for v in by_rule(saturdays, "trn.no-holiday") if "寒假" in v.message_zh]


def test_a_term_over_two_semesters_reads_each_day_in_its_own_semester() -> None:
    # Wednesdays of a summer class: spring-semester days, then 暑假, then autumn days.
    verdicts = check_weekly_session(
        NATIONAL, session=session(), weekday=2, term_first=dt.date(2026, 7, 1),
        term_last=dt.date(2026, 9, 30), calendar=[AUTUMN, SPRING],
    )  # fmt: skip
    (refused,) = [v for v in verdicts if v.blocks]
    assert refused.measured == 7 and "暑假（2026-07-15、" in refused.message_zh
    assert rest_day([SPRING, AUTUMN], dt.date(2026, 9, 2)) is None
    with pytest.raises(ValueError, match="calendar"):
        rest_day([], SATURDAY)


def test_term_dates_refuse_bad_input() -> None:
    with pytest.raises(ValueError, match="weekday"):
        term_dates(weekday=7, first=SATURDAY, last=SATURDAY)
    with pytest.raises(ValueError, match="ends before"):
        term_dates(weekday=0, first=SATURDAY, last=SCHOOL_DAY - dt.timedelta(days=7))


# --- prices ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("price", "status", "measured"),
    [
        (Decimal("110"), Status.OK, 10.0),
        (Decimal("110.01"), Status.VIOLATION, 10.01),
        (Decimal("110.001"), Status.VIOLATION, 10.01),  # never shown equal to the limit
        (Decimal("60"), Status.OK, -40.0),  # no floor below the benchmark
    ],
)
def test_a_price_at_most_ten_percent_over_the_benchmark(
    price: Decimal, status: Status, measured: float
) -> None:
    verdict = check_course_price(NATIONAL, benchmark=100, price=price)
    assert (verdict.status, verdict.measured, verdict.limit) == (status, measured, 10)
    assert verdict.rule_id == "trn.prices"


def test_a_price_needs_a_positive_benchmark() -> None:
    with pytest.raises(ValueError, match="benchmark"):
        check_course_price(NATIONAL, benchmark=0, price=10)


# --- prepaid charges ---------------------------------------------------------------------


def charge(months: int = 3, hours: float = 60, supervised: bool = True) -> PrepaidCharge:
    return PrepaidCharge(
        amount=Decimal("4800"),
        lesson_hours=hours,
        months=months,
        into_supervised_account=supervised,
    )


def test_a_charge_of_three_months_and_sixty_hours_into_a_supervised_account_passes() -> None:
    verdicts = check_prepaid_charge(NATIONAL, charge=charge())
    assert worst(verdicts) is Status.OK
    assert [v.rule_id for v in verdicts] == [
        "trn.prepaid",
        "trn.prepaid.hours",
        "trn.prepaid.account",
    ]


def test_four_months_sixty_one_hours_or_an_unsupervised_account_is_refused() -> None:
    assert one(check_prepaid_charge(NATIONAL, charge=charge(months=4)), "trn.prepaid").blocks
    assert one(check_prepaid_charge(NATIONAL, charge=charge(hours=61)), "trn.prepaid.hours").blocks
    account = one(
        check_prepaid_charge(NATIONAL, charge=charge(supervised=False)), "trn.prepaid.account"
    )
    assert account.blocks and "监管账户" in account.message_zh


@pytest.mark.parametrize(
    ("first", "last", "months"),
    [
        ((2026, 9, 1), (2026, 11, 30), 3),
        ((2026, 9, 1), (2026, 12, 1), 4),
        ((2026, 9, 15), (2026, 12, 14), 3),
        ((2026, 11, 30), (2027, 2, 27), 3),
        ((2026, 9, 1), (2026, 9, 1), 1),
    ],
)
def test_months_covered_counts_any_part_of_a_month(
    first: tuple[int, int, int], last: tuple[int, int, int], months: int
) -> None:
    assert months_covered(dt.date(*first), dt.date(*last)) == months


# --- registration ------------------------------------------------------------------------


def test_an_academic_institution_must_be_non_profit_with_certified_trainers() -> None:
    good = InstitutionFacts(
        category="academic",
        is_nonprofit=True,
        trainers=(TrainerFacts("T01", True, "20194400000123"), TrainerFacts("T02", False)),
    )
    assert worst(check_institution_registration(NATIONAL, institution=good)) is Status.OK
    for_profit = InstitutionFacts(category="academic", is_nonprofit=False, trainers=good.trainers)
    assert one(
        check_institution_registration(NATIONAL, institution=for_profit), "trn.nonprofit"
    ).blocks
    uncertified = InstitutionFacts(
        category="academic", is_nonprofit=True, trainers=(TrainerFacts("T03", True, "  "),)
    )
    verdict = one(
        check_institution_registration(NATIONAL, institution=uncertified),
        "trn.nonprofit.certificate",
    )
    assert verdict.blocks and verdict.measured == 1 and "T03" in verdict.message_zh


def test_a_non_academic_institution_may_be_for_profit_without_certificates() -> None:
    arts = InstitutionFacts(
        category="non-academic", is_nonprofit=False, trainers=(TrainerFacts("A1", False),)
    )
    assert check_institution_registration(NATIONAL, institution=arts) == []


# --- overrides ---------------------------------------------------------------------------


def test_a_district_may_be_stricter_and_the_checks_read_its_numbers() -> None:
    district = apply_overrides(
        NATIONAL,
        [
            Override("province", "浙江省", {"trn.prepaid.hours": 48}),
            Override("district", "西湖区", {"trn.times": "20:00", "trn.prices": 5}),
        ],
    )
    verdict = one(on(SCHOOL_DAY, session(end="20:15"), district), "trn.times")
    assert verdict.blocks and verdict.limit == "20:00"
    assert check_course_price(district, benchmark=100, price=106).blocks
    assert one(check_prepaid_charge(district, charge=charge(hours=50)), "trn.prepaid.hours").blocks
    assert district.rule("trn.times").citation == NATIONAL.rule("trn.times").citation


@pytest.mark.parametrize(
    ("rule_id", "looser"),
    [
        ("trn.times", "21:00"),
        ("trn.times.online", "21:30"),
        ("trn.times.lesson", 40),
        ("trn.times.break", 5),
        ("trn.prices", 15),
        ("trn.prepaid", 6),
        ("trn.prepaid.hours", 80),
        ("trn.prepaid.account", False),
        ("trn.nonprofit", False),
        ("trn.no-holiday", 2),
    ],
)
def test_a_looser_local_rule_is_refused(rule_id: str, looser: object) -> None:
    with pytest.raises(PolicyOverrideError, match=rule_id.replace(".", r"\.")):
        apply_overrides(NATIONAL, [Override("district", "某区", {rule_id: looser})])


# --- properties --------------------------------------------------------------------------


@st.composite
def late_ends(draw: st.DrawFn, limit: dt.time) -> dt.time:
    """A clock time later than ``limit`` in evening order (up to 04:59 the next morning)."""
    minutes = draw(st.integers(evening_minutes(limit) + 1, 24 * 60 + 5 * 60 - 1)) % (24 * 60)
    return dt.time(minutes // 60, minutes % 60)


@settings(max_examples=60, deadline=None)
@given(
    profile=stricter_profiles(),
    mode=st.sampled_from(["online", "offline"]),
    category=st.sampled_from(["academic", "non-academic"]),
    data=st.data(),
)
def test_any_session_ending_later_than_the_limit_is_refused(
    profile: Profile, mode: str, category: str, data: st.DataObject
) -> None:
    rule_id = "trn.times" if mode == "offline" else "trn.times.online"
    limit = profile.rule(rule_id).clock()
    end = data.draw(late_ends(limit))
    start_minutes = (end.hour * 60 + end.minute - 20) % (24 * 60)
    s = TrainingSession(
        category=category,  # type: ignore[arg-type]
        mode=mode,  # type: ignore[arg-type]
        start=dt.time(start_minutes // 60, start_minutes % 60),
        end=end,
        lesson_minutes=20,
    )
    verdict = one(on(SCHOOL_DAY, s, profile), rule_id)
    assert verdict.blocks


@settings(max_examples=60, deadline=None)
@given(profile=stricter_profiles(), amount=st.decimals(0, 10**7, places=2), data=st.data())
def test_a_charge_within_both_limits_is_never_refused_whatever_its_amount(
    profile: Profile, amount: Decimal, data: st.DataObject
) -> None:
    months = data.draw(st.integers(0, profile.rule("trn.prepaid").whole()))
    hours = data.draw(st.integers(0, int(profile.rule("trn.prepaid.hours").number())))
    verdicts = check_prepaid_charge(
        profile,
        charge=PrepaidCharge(
            amount=amount, lesson_hours=hours, months=months, into_supervised_account=True
        ),
    )
    assert worst(verdicts) is Status.OK


@settings(max_examples=200, deadline=None)
@given(
    benchmark=st.decimals(Decimal("0.01"), 10**4, places=2),
    price=st.decimals(0, 2 * 10**4, places=2),
)
def test_a_price_is_refused_exactly_when_its_markup_exceeds_the_limit(
    benchmark: Decimal, price: Decimal
) -> None:
    verdict = check_course_price(NATIONAL, benchmark=benchmark, price=price)
    over = price_markup_percent(benchmark=benchmark, price=price) > 10
    assert verdict.blocks is over
    assert price > benchmark * Decimal("1.1") if over else price <= benchmark * Decimal("1.1")
    if over:
        assert verdict.measured > 10  # type: ignore[operator]


days_of_2026 = st.dates(dt.date(2026, 1, 1), dt.date(2026, 12, 31))


@settings(max_examples=150, deadline=None)
@given(days=st.lists(days_of_2026, max_size=20), academic=st.booleans())
def test_rest_day_verdicts_count_exactly_the_days_students_stay_home(
    days: list[dt.date], academic: bool
) -> None:
    s = session(category="academic" if academic else "non-academic")
    verdicts = by_rule(
        check_training_session(NATIONAL, session=s, days=days, calendar=AUTUMN), "trn.no-holiday"
    )
    home = {d for d in days if not AUTUMN.is_school_day(d)}
    if not academic:
        assert verdicts == []
    else:
        refused = sum(int(v.measured) for v in verdicts if v.blocks)  # type: ignore[arg-type]
        assert refused == len(home)
        assert (worst(verdicts) is Status.OK) is (not home)
    for v in verdicts:
        assert "{" not in v.message_zh and "{" not in v.message_en and v.citation
