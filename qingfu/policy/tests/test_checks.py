"""Checks: examples for each rule, and invariants checked with hypothesis."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qingfu.policy.calendar import DayKind
from qingfu.policy.checks import (
    ExamFacts,
    HomeworkItemFacts,
    check_after_school_day,
    check_after_school_week,
    check_bedtime,
    check_class_day_load,
    check_exam_plan,
    check_homework_item,
    check_result_bands,
    check_school_start,
    daily_homework_cap,
    take_home_written_minutes,
)
from qingfu.policy.profile import Override, apply_overrides, load_national
from qingfu.policy.verdicts import Status, more_severe, worst

NATIONAL = load_national()


def item(subject: str = "math", minutes: int = 20, **flags: object) -> HomeworkItemFacts:
    values: dict[str, object] = {"is_written": True, "at_home": True, "is_mandatory": True}
    values.update(flags)
    return HomeworkItemFacts(subject=subject, minutes=minutes, **values)  # type: ignore[arg-type]


def test_caps_by_grade_and_day_kind() -> None:
    assert daily_homework_cap(NATIONAL, grade=1, day_kind=DayKind.SCHOOL_DAY) == 0
    assert daily_homework_cap(NATIONAL, grade=4, day_kind=DayKind.SCHOOL_DAY) == 60
    assert daily_homework_cap(NATIONAL, grade=8, day_kind=DayKind.SCHOOL_DAY) == 90
    assert daily_homework_cap(NATIONAL, grade=8, day_kind=DayKind.WEEKEND) == 90
    stricter = apply_overrides(
        NATIONAL, [Override("district", "d", {"hw.cap.weekend": {"g7-9": 60}})]
    )
    assert daily_homework_cap(stricter, grade=8, day_kind=DayKind.HOLIDAY) == 60
    assert daily_homework_cap(stricter, grade=8, day_kind=DayKind.SCHOOL_DAY) == 90


def test_class_day_over_the_cap() -> None:
    items = [item("chinese", 30), item("math", 30), item("english", 15)]
    [verdict] = check_class_day_load(NATIONAL, grade=3, day_kind=DayKind.SCHOOL_DAY, items=items)
    assert verdict.status is Status.VIOLATION and verdict.rule_id == "hw.cap.g3-6"
    assert (verdict.measured, verdict.limit) == (75, 60)
    assert "75 分钟" in verdict.message_zh and "60 分钟" in verdict.message_zh
    assert verdict.citation.startswith("《关于进一步减轻")


def test_only_written_mandatory_at_home_counts() -> None:
    items = [
        item("chinese", 40),
        item("math", 40, at_home=False),  # done in after-school service
        item("english", 40, is_written=False),  # oral
        item("math", 40, is_mandatory=False),  # optional tier
    ]
    assert take_home_written_minutes(items) == 40
    [verdict] = check_class_day_load(NATIONAL, grade=5, day_kind=DayKind.SCHOOL_DAY, items=items)
    assert verdict.status is Status.OK


def test_grades_one_and_two_take_home_no_written_homework() -> None:
    [verdict] = check_class_day_load(
        NATIONAL, grade=2, day_kind=DayKind.SCHOOL_DAY, items=[item("chinese", 10)]
    )
    assert verdict.status is Status.VIOLATION and verdict.rule_id == "hw.cap.g1-2"
    [ok] = check_class_day_load(
        NATIONAL,
        grade=2,
        day_kind=DayKind.SCHOOL_DAY,
        items=[item("chinese", 10, is_written=False)],
    )
    assert ok.status is Status.OK


@pytest.mark.parametrize(
    ("flags", "rule_id"),
    [
        ({"needs_phone": True}, "hw.no-phone"),
        ({"asks_parents_to_grade": True}, "hw.no-parents"),
        ({"is_punitive": True}, "hw.design.no-punitive"),
    ],
)
def test_prohibited_items_are_refused(flags: dict[str, bool], rule_id: str) -> None:
    verdicts = check_homework_item(NATIONAL, grade=5, item=item(**flags))
    refused = [v for v in verdicts if v.status is Status.VIOLATION]
    assert [v.rule_id for v in refused] == [rule_id]


def test_subjects_that_may_not_set_written_homework() -> None:
    verdicts = check_homework_item(NATIONAL, grade=4, item=item("music", 10))
    assert any(
        v.rule_id == "hw.written-subjects" and v.status is Status.VIOLATION for v in verdicts
    )
    junior = check_homework_item(NATIONAL, grade=8, item=item("physics", 10))
    assert worst(junior) is Status.OK
    oral = check_homework_item(NATIONAL, grade=4, item=item("music", 10, is_written=False))
    assert worst(oral) is Status.OK


def test_copying_is_a_warning() -> None:
    verdicts = check_homework_item(NATIONAL, grade=4, item=item("chinese", 25, copying_minutes=20))
    assert worst(verdicts) is Status.WARN


@pytest.mark.parametrize(
    ("stage", "finished", "status"),
    [
        ("primary", dt.time(21, 0), Status.OK),
        ("primary", dt.time(21, 20), Status.OK),
        ("primary", dt.time(21, 21), Status.WARN),
        ("junior", dt.time(21, 50), Status.OK),
        ("junior", dt.time(22, 30), Status.WARN),
        ("junior", dt.time(0, 30), Status.WARN),  # after midnight is later, not earlier
        ("primary", dt.time(18, 0), Status.OK),
    ],
)
def test_bedtime(stage: str, finished: dt.time, status: Status) -> None:
    assert check_bedtime(NATIONAL, stage=stage, finished_at=finished).status is status


def test_school_start() -> None:
    assert (
        check_school_start(NATIONAL, stage="primary", starts_at=dt.time(8, 0)).status
        is Status.VIOLATION
    )
    assert check_school_start(NATIONAL, stage="junior", starts_at=dt.time(8, 0)).status is Status.OK


def test_after_school_day_and_week() -> None:
    short = check_after_school_day(NATIONAL, start=dt.time(15, 40), end=dt.time(17, 0))
    assert [v.status for v in short] == [Status.VIOLATION, Status.VIOLATION]
    good = check_after_school_day(NATIONAL, start=dt.time(15, 40), end=dt.time(17, 50))
    assert worst(good) is Status.OK
    assert check_after_school_week(NATIONAL, days_offered=4).status is Status.VIOLATION


def test_exam_plan() -> None:
    paper_final = ExamFacts("final", "math", True, 60)
    assert (
        worst(check_exam_plan(NATIONAL, grade=2, is_graduating=False, exams=[paper_final]))
        is Status.VIOLATION
    )
    assert (
        worst(check_exam_plan(NATIONAL, grade=3, is_graduating=False, exams=[paper_final]))
        is Status.OK
    )
    midterm = ExamFacts("midterm", "math", True, 60)
    assert (
        worst(check_exam_plan(NATIONAL, grade=5, is_graduating=False, exams=[paper_final, midterm]))
        is Status.VIOLATION
    )
    junior = [ExamFacts("final", "math", True, 120), ExamFacts("midterm", "math", True, 100)]
    assert worst(check_exam_plan(NATIONAL, grade=8, is_graduating=False, exams=junior)) is Status.OK
    long = [ExamFacts("final", "math", True, 90)]
    assert (
        worst(check_exam_plan(NATIONAL, grade=4, is_graduating=False, exams=long))
        is Status.VIOLATION
    )
    regional = [ExamFacts("mock", "math", True, 100, is_regional=True)]
    assert (
        worst(check_exam_plan(NATIONAL, grade=8, is_graduating=False, exams=regional))
        is Status.VIOLATION
    )
    assert (
        worst(check_exam_plan(NATIONAL, grade=9, is_graduating=True, exams=regional)) is Status.OK
    )


def test_result_bands() -> None:
    assert worst(check_result_bands(NATIONAL, levels=3)) is Status.VIOLATION
    assert worst(check_result_bands(NATIONAL, levels=4)) is Status.OK
    assert worst(check_result_bands(NATIONAL, levels=6)) is Status.VIOLATION


# --- invariants ------------------------------------------------------------------------

SUBJECTS = ["chinese", "math", "english", "science", "music", "physics", "history"]
items_strategy = st.builds(
    HomeworkItemFacts,
    subject=st.sampled_from(SUBJECTS),
    minutes=st.integers(min_value=1, max_value=120),
    is_written=st.booleans(),
    at_home=st.booleans(),
    is_mandatory=st.booleans(),
    needs_phone=st.booleans(),
    asks_parents_to_grade=st.booleans(),
    is_punitive=st.booleans(),
    copying_minutes=st.integers(min_value=0, max_value=60),
)
grades = st.integers(min_value=1, max_value=9)
day_kinds = st.sampled_from(list(DayKind))


@st.composite
def stricter_profiles(draw: st.DrawFn) -> object:
    """A district override that tightens some homework and sleep rules (always valid)."""
    thresholds: dict[str, object] = {}
    if draw(st.booleans()):
        thresholds["hw.cap.g3-6"] = draw(st.integers(min_value=0, max_value=60))
    if draw(st.booleans()):
        thresholds["hw.cap.g7-9"] = draw(st.integers(min_value=0, max_value=90))
    if draw(st.booleans()):
        thresholds["hw.cap.weekend"] = {
            "g3-6": draw(st.integers(0, 60)),
            "g7-9": draw(st.integers(0, 90)),
        }
    if draw(st.booleans()):
        thresholds["hw.design.copying"] = draw(st.integers(min_value=0, max_value=15))
    if draw(st.booleans()):
        primary = draw(st.lists(st.sampled_from(["chinese", "math", "english"]), unique=True))
        thresholds["hw.written-subjects"] = {"primary": primary}
    if draw(st.booleans()):
        hour = draw(st.integers(min_value=19, max_value=21))
        minute = draw(st.integers(min_value=0, max_value=20 if hour == 21 else 59))
        thresholds["sleep.bedtime"] = {"primary": f"{hour:02d}:{minute:02d}"}
    return apply_overrides(NATIONAL, [Override("district", "d", thresholds)])


@settings(max_examples=200, deadline=None)
@given(items=st.lists(items_strategy, max_size=8), extra=items_strategy)
def test_adding_an_item_never_lowers_the_total(
    items: list[HomeworkItemFacts], extra: HomeworkItemFacts
) -> None:
    assert take_home_written_minutes([*items, extra]) >= take_home_written_minutes(items)


@settings(max_examples=200, deadline=None)
@given(
    items=st.lists(items_strategy, max_size=8),
    extra=items_strategy,
    grade=grades,
    day_kind=day_kinds,
)
def test_adding_an_item_never_clears_a_violation(
    items: list[HomeworkItemFacts], extra: HomeworkItemFacts, grade: int, day_kind: DayKind
) -> None:
    before = worst(check_class_day_load(NATIONAL, grade=grade, day_kind=day_kind, items=items))
    after = worst(
        check_class_day_load(NATIONAL, grade=grade, day_kind=day_kind, items=[*items, extra])
    )
    assert not more_severe(before, after)


@settings(max_examples=200, deadline=None)
@given(
    profile=stricter_profiles(),
    items=st.lists(items_strategy, max_size=8),
    grade=grades,
    day_kind=day_kinds,
)
def test_a_stricter_profile_never_turns_a_violation_into_ok(
    profile: object, items: list[HomeworkItemFacts], grade: int, day_kind: DayKind
) -> None:
    national = worst(check_class_day_load(NATIONAL, grade=grade, day_kind=day_kind, items=items))
    strict = worst(check_class_day_load(profile, grade=grade, day_kind=day_kind, items=items))  # type: ignore[arg-type]
    assert not more_severe(national, strict)
    for one in items:
        n = worst(check_homework_item(NATIONAL, grade=grade, item=one))
        s = worst(check_homework_item(profile, grade=grade, item=one))  # type: ignore[arg-type]
        assert not more_severe(n, s)


@settings(max_examples=200, deadline=None)
@given(
    profile=stricter_profiles(),
    finished=st.times(),
    stage=st.sampled_from(["primary", "junior"]),
)
def test_a_stricter_bedtime_never_clears_a_late_finish(
    profile: object, finished: dt.time, stage: str
) -> None:
    national = check_bedtime(NATIONAL, stage=stage, finished_at=finished).status
    strict = check_bedtime(profile, stage=stage, finished_at=finished).status  # type: ignore[arg-type]
    assert not more_severe(national, strict)


@settings(max_examples=100, deadline=None)
@given(items=st.lists(items_strategy, max_size=8), grade=grades, day_kind=day_kinds)
def test_checks_are_deterministic(
    items: list[HomeworkItemFacts], grade: int, day_kind: DayKind
) -> None:
    first = check_class_day_load(NATIONAL, grade=grade, day_kind=day_kind, items=items)
    assert first == check_class_day_load(
        NATIONAL, grade=grade, day_kind=day_kind, items=list(items)
    )
