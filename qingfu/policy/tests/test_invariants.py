"""Invariants of the checks, tested with hypothesis over items, times and whole profiles.

The promises the product makes on top of the checks: more homework never looks better,
a stricter local rule never lets through what the national one refused, and the same
facts always get the same answer.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from qingfu.policy.calendar import DayKind
from qingfu.policy.checks import (
    ExamFacts,
    HomeworkItemFacts,
    check_after_school_day,
    check_bedtime,
    check_class_day_load,
    check_exam_plan,
    check_homework_item,
    check_result_bands,
    check_school_start,
    daily_homework_cap,
    take_home_written_minutes,
)
from qingfu.policy.rules import Profile
from qingfu.policy.tests.strategies import (
    NATIONAL,
    clock_times,
    day_kinds,
    grades,
    items,
    stages,
    stricter_profiles,
)
from qingfu.policy.verdicts import Status, Verdict, more_severe, worst

item_lists = st.lists(items, max_size=8)
exams = st.builds(
    ExamFacts,
    kind=st.sampled_from(["final", "midterm", "unit", "mock"]),
    subject=st.sampled_from(["chinese", "math", "english", "physics"]),
    is_paper=st.booleans(),
    duration_minutes=st.integers(0, 180),
    is_regional=st.booleans(),
)


def assert_no_softer(national: list[Verdict], strict: list[Verdict]) -> None:
    """Rule by rule, the stricter profile's verdicts are at least as severe."""
    assert [v.rule_id for v in national] == [v.rule_id for v in strict]
    for n, s in zip(national, strict, strict=True):
        assert not more_severe(n.status, s.status), (n, s)


@settings(max_examples=200, deadline=None)
@given(items=item_lists, extra=items)
def test_adding_an_item_never_lowers_the_total(
    items: list[HomeworkItemFacts], extra: HomeworkItemFacts
) -> None:
    assert take_home_written_minutes([*items, extra]) >= take_home_written_minutes(items)


@settings(max_examples=200, deadline=None)
@given(items=item_lists, extra=items, grade=grades, day_kind=day_kinds)
def test_adding_an_item_never_clears_a_violation(
    items: list[HomeworkItemFacts], extra: HomeworkItemFacts, grade: int, day_kind: DayKind
) -> None:
    before = check_class_day_load(NATIONAL, grade=grade, day_kind=day_kind, items=items)
    after = check_class_day_load(NATIONAL, grade=grade, day_kind=day_kind, items=[*items, extra])
    assert_no_softer(before, after)
    if worst(before) is Status.VIOLATION:
        assert worst(after) is Status.VIOLATION


@settings(max_examples=200, deadline=None)
@given(items=item_lists, grade=grades, day_kind=day_kinds)
def test_the_day_is_over_exactly_when_the_total_exceeds_the_cap(
    items: list[HomeworkItemFacts], grade: int, day_kind: DayKind
) -> None:
    verdicts = check_class_day_load(NATIONAL, grade=grade, day_kind=day_kind, items=items)
    cap = daily_homework_cap(NATIONAL, grade=grade, day_kind=day_kind)
    over = take_home_written_minutes(items) > cap
    assert (worst(verdicts) is Status.VIOLATION) is over
    assert min(v.limit for v in verdicts if isinstance(v.limit, int)) == cap


@settings(max_examples=100, deadline=None)
@given(
    profile=stricter_profiles(),
    items=item_lists,
    grade=grades,
    day_kind=day_kinds,
)
def test_a_stricter_profile_never_clears_a_homework_violation(
    profile: Profile, items: list[HomeworkItemFacts], grade: int, day_kind: DayKind
) -> None:
    assert daily_homework_cap(profile, grade=grade, day_kind=day_kind) <= daily_homework_cap(
        NATIONAL, grade=grade, day_kind=day_kind
    )
    assert_no_softer(
        check_class_day_load(NATIONAL, grade=grade, day_kind=day_kind, items=items),
        check_class_day_load(profile, grade=grade, day_kind=day_kind, items=items),
    )
    for one in items:
        assert_no_softer(
            check_homework_item(NATIONAL, grade=grade, item=one),
            check_homework_item(profile, grade=grade, item=one),
        )


@settings(max_examples=100, deadline=None)
@given(profile=stricter_profiles(), finished=clock_times, starts=clock_times, stage=stages)
def test_a_stricter_profile_never_clears_a_late_bedtime_or_early_start(
    profile: Profile, finished: dt.time, starts: dt.time, stage: str
) -> None:
    national = check_bedtime(NATIONAL, stage=stage, finished_at=finished)
    strict = check_bedtime(profile, stage=stage, finished_at=finished)
    assert not more_severe(national.status, strict.status)
    assert_no_softer(
        [check_school_start(NATIONAL, stage=stage, starts_at=starts)],
        [check_school_start(profile, stage=stage, starts_at=starts)],
    )


@settings(max_examples=50, deadline=None)
@given(
    profile=stricter_profiles(),
    plan=st.lists(exams, max_size=6),
    grade=grades,
    graduating=st.booleans(),
    levels=st.integers(2, 7),
    start=st.integers(13 * 60, 17 * 60),
    length=st.integers(30, 240),
)
def test_a_stricter_profile_never_clears_exam_or_after_school_violations(
    profile: Profile,
    plan: list[ExamFacts],
    grade: int,
    graduating: bool,
    levels: int,
    start: int,
    length: int,
) -> None:
    assert_no_softer(
        check_exam_plan(NATIONAL, grade=grade, is_graduating=graduating, exams=plan),
        check_exam_plan(profile, grade=grade, is_graduating=graduating, exams=plan),
    )
    assert_no_softer(
        [check_result_bands(NATIONAL, levels=levels)], [check_result_bands(profile, levels=levels)]
    )
    begin = dt.time(start // 60, start % 60)
    end_minutes = min(start + length, 23 * 60 + 59)
    end = dt.time(end_minutes // 60, end_minutes % 60)
    assert_no_softer(
        check_after_school_day(NATIONAL, start=begin, end=end),
        check_after_school_day(profile, start=begin, end=end),
    )


@settings(max_examples=100, deadline=None)
@given(items=item_lists, grade=grades, day_kind=day_kinds, finished=clock_times, stage=stages)
def test_checks_are_deterministic(
    items: list[HomeworkItemFacts],
    grade: int,
    day_kind: DayKind,
    finished: dt.time,
    stage: str,
) -> None:
    first = check_class_day_load(NATIONAL, grade=grade, day_kind=day_kind, items=items)
    again = check_class_day_load(NATIONAL, grade=grade, day_kind=day_kind, items=list(items))
    shuffled = check_class_day_load(
        NATIONAL, grade=grade, day_kind=day_kind, items=list(reversed(items))
    )
    assert first == again == shuffled
    for one in items:
        assert check_homework_item(NATIONAL, grade=grade, item=one) == check_homework_item(
            NATIONAL, grade=grade, item=one
        )
    assert check_bedtime(NATIONAL, stage=stage, finished_at=finished) == check_bedtime(
        NATIONAL, stage=stage, finished_at=finished
    )


@settings(max_examples=100, deadline=None)
@given(item=items, grade=grades)
def test_every_verdict_is_complete(item: HomeworkItemFacts, grade: int) -> None:
    for verdict in check_homework_item(NATIONAL, grade=grade, item=item):
        assert verdict.rule_id in NATIONAL.rules
        assert verdict.message_zh and verdict.message_en and verdict.citation
        assert "{" not in verdict.message_zh and "{" not in verdict.message_en
