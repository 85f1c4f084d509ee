"""Checks: worked examples for each rule, read against the national profile."""

from __future__ import annotations

import datetime as dt

import pytest

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
    grade_band,
    stage_for_grade,
    take_home_written_minutes,
)
from qingfu.policy.profile import Override, apply_overrides, load_national
from qingfu.policy.verdicts import Status, Verdict, more_severe, worst

NATIONAL = load_national()


def flagged(name: str) -> HomeworkItemFacts:
    """A clean written item with one prohibited feature switched on."""
    return HomeworkItemFacts(
        "math",
        20,
        is_written=True,
        at_home=True,
        is_mandatory=True,
        needs_phone=name == "needs_phone",
        asks_parents_to_grade=name == "asks_parents_to_grade",
        is_punitive=name == "is_punitive",
    )


def item(subject: str = "math", minutes: int = 20, **flags: bool | int) -> HomeworkItemFacts:
    values: dict[str, bool | int] = {"is_written": True, "at_home": True, "is_mandatory": True}
    values.update(flags)
    return HomeworkItemFacts(subject, minutes, **values)  # type: ignore[arg-type]


def by_rule(verdicts: list[Verdict]) -> dict[str, Status]:
    return {v.rule_id: v.status for v in verdicts}


# --- grades ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("grade", "stage", "band"),
    [(1, "primary", "g1-2"), (2, "primary", "g1-2"), (3, "primary", "g3-6"),
     (6, "primary", "g3-6"), (7, "junior", "g7-9"), (9, "junior", "g7-9")],
)  # fmt: skip
def test_stage_and_band(grade: int, stage: str, band: str) -> None:
    assert stage_for_grade(grade) == stage
    assert grade_band(grade) == band


def test_grades_outside_school_are_refused() -> None:
    assert stage_for_grade(11) == "senior"
    for bad in (0, 13):
        with pytest.raises(ValueError, match="grade"):
            stage_for_grade(bad)
    with pytest.raises(ValueError, match="1-9"):
        grade_band(10)


# --- homework: the day ---------------------------------------------------------------


def test_caps_by_grade_and_day_kind() -> None:
    assert daily_homework_cap(NATIONAL, grade=1, day_kind=DayKind.SCHOOL_DAY) == 0
    assert daily_homework_cap(NATIONAL, grade=4, day_kind=DayKind.SCHOOL_DAY) == 60
    assert daily_homework_cap(NATIONAL, grade=8, day_kind=DayKind.SCHOOL_DAY) == 90
    assert daily_homework_cap(NATIONAL, grade=8, day_kind=DayKind.WEEKEND) == 90
    assert daily_homework_cap(NATIONAL, grade=2, day_kind=DayKind.VACATION) == 0
    stricter = apply_overrides(
        NATIONAL, [Override("district", "d", {"hw.cap.weekend": {"g7-9": 60}})]
    )
    assert daily_homework_cap(stricter, grade=8, day_kind=DayKind.HOLIDAY) == 60
    assert daily_homework_cap(stricter, grade=8, day_kind=DayKind.SCHOOL_DAY) == 90


def test_class_day_over_the_cap() -> None:
    items = [item("chinese", 30), item("math", 30), item("english", 15)]
    [verdict] = check_class_day_load(NATIONAL, grade=3, day_kind=DayKind.SCHOOL_DAY, items=items)
    assert verdict.status is Status.VIOLATION and verdict.rule_id == "hw.cap.g3-6"
    assert (verdict.measured, verdict.limit, verdict.unit) == (75, 60, "minutes")
    assert verdict.message_zh == "家庭书面作业 75 分钟，超过三至六年级每天 60 分钟的上限"
    assert verdict.message("en").startswith("75 min of written homework exceeds")
    assert verdict.citation.startswith("《关于进一步减轻")
    assert verdict.exemptable and verdict.blocks


def test_class_day_within_the_cap_says_so() -> None:
    [verdict] = check_class_day_load(
        NATIONAL, grade=8, day_kind=DayKind.SCHOOL_DAY, items=[item("math", 45)]
    )
    assert verdict.status is Status.OK and verdict.is_ok and not verdict.blocks
    assert (verdict.measured, verdict.limit) == (45, 90)
    assert verdict.message_zh == "初中每日书面作业时长符合规定：45 分钟（上限 90 分钟）"
    assert verdict.message_en == (
        "Daily written homework, grades 7-9 — within the rule: 45 min (limit 90 min)"
    )


def test_exactly_at_the_cap_is_ok() -> None:
    [verdict] = check_class_day_load(
        NATIONAL, grade=5, day_kind=DayKind.SCHOOL_DAY, items=[item("math", 60)]
    )
    assert verdict.status is Status.OK


def test_only_written_mandatory_at_home_counts() -> None:
    items = [
        item("chinese", 40),
        item("math", 40, at_home=False),  # done in the after-school service
        item("english", 40, is_written=False),  # oral
        item("math", 40, is_mandatory=False),  # optional tier
    ]
    assert take_home_written_minutes(items) == 40
    [verdict] = check_class_day_load(NATIONAL, grade=5, day_kind=DayKind.SCHOOL_DAY, items=items)
    assert verdict.status is Status.OK


def test_weekend_cap() -> None:
    [verdict] = check_class_day_load(
        NATIONAL, grade=8, day_kind=DayKind.WEEKEND, items=[item("math", 100)]
    )
    assert (verdict.rule_id, verdict.status, verdict.limit) == (
        "hw.cap.weekend",
        Status.VIOLATION,
        90,
    )


def test_grades_one_and_two_take_home_no_written_homework() -> None:
    [verdict] = check_class_day_load(
        NATIONAL, grade=2, day_kind=DayKind.SCHOOL_DAY, items=[item("chinese", 10)]
    )
    assert verdict.status is Status.VIOLATION and verdict.rule_id == "hw.cap.g1-2"
    assert not verdict.exemptable
    [ok] = check_class_day_load(
        NATIONAL,
        grade=2,
        day_kind=DayKind.SCHOOL_DAY,
        items=[item("chinese", 10, is_written=False), item("math", 10, at_home=False)],
    )
    assert ok.status is Status.OK


def test_grades_one_and_two_ban_holds_on_weekends_too() -> None:
    verdicts = check_class_day_load(
        NATIONAL, grade=1, day_kind=DayKind.HOLIDAY, items=[item("chinese", 5)]
    )
    assert by_rule(verdicts) == {
        "hw.cap.weekend": Status.VIOLATION,
        "hw.cap.g1-2": Status.VIOLATION,
    }


def test_negative_minutes_are_not_facts() -> None:
    with pytest.raises(ValueError, match="negative"):
        item("math", -5)


# --- homework: one item ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("flag", "rule_id"),
    [
        ("needs_phone", "hw.no-phone"),
        ("asks_parents_to_grade", "hw.no-parents"),
        ("is_punitive", "hw.design.no-punitive"),
    ],
)
def test_prohibited_items_are_refused(flag: str, rule_id: str) -> None:
    verdicts = check_homework_item(NATIONAL, grade=5, item=flagged(flag))
    refused = [v for v in verdicts if v.status is Status.VIOLATION]
    assert [v.rule_id for v in refused] == [rule_id]
    assert not refused[0].exemptable


def test_a_clean_item_reports_every_rule_it_checked() -> None:
    verdicts = check_homework_item(NATIONAL, grade=5, item=item("math", 20))
    assert list(by_rule(verdicts)) == [
        "hw.no-phone",
        "hw.no-parents",
        "hw.design.no-punitive",
        "hw.written-subjects",
        "hw.design.copying",
    ]
    assert worst(verdicts) is Status.OK
    subjects = next(v for v in verdicts if v.rule_id == "hw.written-subjects")
    assert subjects.message_zh == "可布置书面作业的学科符合规定：数学（允许范围 语文、数学、英语）"


def test_subjects_that_may_not_set_written_homework() -> None:
    verdicts = check_homework_item(NATIONAL, grade=4, item=item("music", 10))
    music = next(v for v in verdicts if v.rule_id == "hw.written-subjects")
    assert music.status is Status.VIOLATION
    assert music.message_zh == "音乐不在本学段可布置家庭书面作业的学科之列（语文、数学、英语）"
    assert music.message_en.startswith("Music may not set written homework")
    assert worst(check_homework_item(NATIONAL, grade=8, item=item("physics", 10))) is Status.OK
    assert worst(check_homework_item(NATIONAL, grade=4, item=item("physics", 10))) is (
        Status.VIOLATION
    )
    oral = check_homework_item(NATIONAL, grade=4, item=item("music", 10, is_written=False))
    assert worst(oral) is Status.OK
    at_school = check_homework_item(NATIONAL, grade=4, item=item("music", 10, at_home=False))
    assert worst(at_school) is Status.OK


def test_written_take_home_item_in_grade_two_is_refused_even_if_optional() -> None:
    verdicts = check_homework_item(NATIONAL, grade=2, item=item("chinese", 10, is_mandatory=False))
    assert by_rule(verdicts)["hw.cap.g1-2"] is Status.VIOLATION
    oral = check_homework_item(NATIONAL, grade=2, item=item("chinese", 10, is_written=False))
    assert "hw.cap.g1-2" not in by_rule(oral)


def test_copying_is_a_warning() -> None:
    verdicts = check_homework_item(NATIONAL, grade=4, item=item("chinese", 25, copying_minutes=20))
    assert worst(verdicts) is Status.WARN
    assert by_rule(verdicts)["hw.design.copying"] is Status.WARN
    assert not next(v for v in verdicts if v.rule_id == "hw.design.copying").blocks


# --- sleep and the school day ----------------------------------------------------------


@pytest.mark.parametrize(
    ("stage", "finished", "status"),
    [
        ("primary", dt.time(21, 0), Status.OK),
        ("primary", dt.time(21, 20), Status.OK),
        ("primary", dt.time(21, 20, 59), Status.OK),  # to the minute
        ("primary", dt.time(21, 21), Status.WARN),
        ("junior", dt.time(21, 50), Status.OK),
        ("junior", dt.time(22, 30), Status.WARN),
        ("junior", dt.time(0, 30), Status.WARN),  # after midnight is later, not earlier
        ("senior", dt.time(23, 0), Status.OK),
        ("senior", dt.time(0, 30), Status.WARN),
        ("senior", dt.time(4, 59), Status.WARN),
        ("primary", dt.time(18, 0), Status.OK),
        ("primary", dt.time(5, 0), Status.OK),  # morning: the evening before ended
    ],
)
def test_bedtime(stage: str, finished: dt.time, status: Status) -> None:
    assert check_bedtime(NATIONAL, stage=stage, finished_at=finished).status is status


def test_bedtime_message() -> None:
    verdict = check_bedtime(NATIONAL, stage="primary", finished_at=dt.time(21, 45))
    assert (verdict.rule_id, verdict.measured, verdict.limit) == ("sleep.bedtime", "21:45", "21:20")
    assert verdict.message_zh == "完成作业时间 21:45，晚于就寝时间 21:20"
    ok = check_bedtime(NATIONAL, stage="junior", finished_at=dt.time(21, 0))
    assert ok.message_zh == "就寝时间符合规定：21:00（不晚于 22:00）"


def test_a_stricter_bedtime_applies() -> None:
    profile = apply_overrides(
        NATIONAL, [Override("school", "s", {"sleep.bedtime": {"primary": "21:00"}})]
    )
    assert check_bedtime(profile, stage="primary", finished_at=dt.time(21, 10)).status is (
        Status.WARN
    )


def test_school_start() -> None:
    early = check_school_start(NATIONAL, stage="primary", starts_at=dt.time(8, 0))
    assert (early.status, early.limit) == (Status.VIOLATION, "08:20")
    assert check_school_start(NATIONAL, stage="primary", starts_at=dt.time(8, 20)).is_ok
    assert check_school_start(NATIONAL, stage="junior", starts_at=dt.time(8, 0)).is_ok
    assert not check_school_start(NATIONAL, stage="senior", starts_at=dt.time(7, 30)).is_ok


# --- after-school services -------------------------------------------------------------


def test_after_school_day() -> None:
    short = check_after_school_day(NATIONAL, start=dt.time(15, 40), end=dt.time(17, 0))
    assert [(v.rule_id, v.status) for v in short] == [
        ("afterschool.duration", Status.VIOLATION),
        ("afterschool.end", Status.VIOLATION),
    ]
    assert (short[0].measured, short[0].limit) == (80, 120)
    assert short[1].message_zh == "课后服务 17:00 结束，早于当地正常下班时间 17:30"
    good = check_after_school_day(NATIONAL, start=dt.time(15, 30), end=dt.time(17, 30))
    assert worst(good) is Status.OK
    long_but_early = check_after_school_day(NATIONAL, start=dt.time(14, 0), end=dt.time(17, 0))
    assert by_rule(long_but_early) == {
        "afterschool.duration": Status.OK,
        "afterschool.end": Status.VIOLATION,
    }
    with pytest.raises(ValueError, match="end after"):
        check_after_school_day(NATIONAL, start=dt.time(17, 0), end=dt.time(15, 0))


def test_after_school_week() -> None:
    assert check_after_school_week(NATIONAL, days_offered=4).status is Status.VIOLATION
    assert check_after_school_week(NATIONAL, days_offered=5).is_ok


# --- exams -----------------------------------------------------------------------------


def exam_status(grade: int, exams: list[ExamFacts], *, graduating: bool = False) -> Status:
    return worst(check_exam_plan(NATIONAL, grade=grade, is_graduating=graduating, exams=exams))


def test_no_paper_exams_in_grades_one_and_two() -> None:
    assert exam_status(2, [ExamFacts("final", "math", True, 40)]) is Status.VIOLATION
    assert exam_status(1, [ExamFacts("final", "math", False, 40)]) is Status.OK  # 游园式测评
    verdicts = check_exam_plan(
        NATIONAL, grade=2, is_graduating=False, exams=[ExamFacts("final", "math", True, 40)]
    )
    assert verdicts[0].message_zh == "一、二年级不进行纸笔考试（计划 1 场）"


def test_one_final_a_semester_and_a_midterm_only_in_junior() -> None:
    final = ExamFacts("final", "math", True, 60)
    assert exam_status(3, [final]) is Status.OK
    assert exam_status(3, [final, final]) is Status.VIOLATION
    midterm = ExamFacts("midterm", "math", True, 60)
    assert exam_status(5, [final, midterm]) is Status.VIOLATION
    junior = [ExamFacts("final", "math", True, 120), ExamFacts("midterm", "math", True, 100)]
    assert exam_status(8, junior) is Status.OK
    assert exam_status(8, [*junior, ExamFacts("midterm", "math", True, 100)]) is Status.VIOLATION
    # Counted per subject: finals in two subjects are two finals, one each.
    assert exam_status(4, [final, ExamFacts("final", "chinese", True, 60)]) is Status.OK


def test_exam_count_message_names_the_subject_and_kind() -> None:
    twice = [ExamFacts("final", "math", True, 60)] * 2
    verdicts = check_exam_plan(NATIONAL, grade=4, is_graduating=False, exams=twice)
    count = next(v for v in verdicts if v.rule_id == "exam.count")
    assert count.message_zh == "数学期末考试本学期 2 次，超过 1 次"
    assert count.message_en == "Mathematics final exams this semester: 2, more than 1"


def test_no_unit_exams() -> None:
    assert exam_status(5, [ExamFacts("unit", "math", True, 40)]) is Status.VIOLATION


def test_mock_exams_only_for_graduating_junior_grades() -> None:
    def mock_status(grade: int, n: int, graduating: bool) -> Status:
        mocks = [ExamFacts("mock", "math", True, 60)] * n
        verdicts = check_exam_plan(NATIONAL, grade=grade, is_graduating=graduating, exams=mocks)
        return by_rule(verdicts)["exam.mock"]

    assert mock_status(9, 2, graduating=True) is Status.OK
    assert mock_status(9, 3, graduating=True) is Status.VIOLATION
    assert mock_status(8, 1, graduating=False) is Status.VIOLATION
    assert mock_status(6, 1, graduating=True) is Status.VIOLATION  # primary: no mock exams


def test_exam_duration_per_paper() -> None:
    assert exam_status(4, [ExamFacts("final", "math", True, 60)]) is Status.OK
    assert exam_status(4, [ExamFacts("final", "math", True, 90)]) is Status.VIOLATION
    assert exam_status(6, [ExamFacts("final", "math", True, 90)]) is Status.OK
    assert exam_status(8, [ExamFacts("final", "math", True, 150)]) is Status.VIOLATION
    assert exam_status(4, [ExamFacts("final", "art", False, 120)]) is Status.OK  # not a paper


def test_regional_exams() -> None:
    regional = [ExamFacts("final", "math", True, 100, is_regional=True)]
    assert exam_status(8, regional) is Status.VIOLATION
    assert exam_status(9, regional, graduating=True) is Status.OK
    # Primary grades never sit regional exams, graduating or not.
    assert exam_status(
        6, [ExamFacts("final", "math", True, 80, is_regional=True)], graduating=True
    ) is (Status.VIOLATION)


def test_exam_facts_are_checked() -> None:
    with pytest.raises(ValueError, match="kind"):
        ExamFacts("weekly", "math", True, 40)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="negative"):
        ExamFacts("final", "math", True, -1)


@pytest.mark.parametrize(("levels", "status"), [(3, Status.VIOLATION), (4, Status.OK),
                                                (5, Status.OK), (6, Status.VIOLATION)])  # fmt: skip
def test_result_bands(levels: int, status: Status) -> None:
    verdict = check_result_bands(NATIONAL, levels=levels)
    assert (verdict.rule_id, verdict.status) == ("exam.bands", status)


def test_result_bands_message_and_a_stricter_district() -> None:
    assert (
        check_result_bands(NATIONAL, levels=3).message_zh == "成绩分为 3 个等级，应为 4 或 5 个等级"
    )
    only_four = apply_overrides(NATIONAL, [Override("district", "d", {"exam.bands": [4]})])
    assert check_result_bands(only_four, levels=5).status is Status.VIOLATION


def test_status_order() -> None:
    assert worst([]) is Status.OK
    assert more_severe(Status.VIOLATION, Status.WARN) and more_severe(Status.WARN, Status.OK)
    assert not more_severe(Status.OK, Status.OK)
    assert Status.VIOLATION.value == "violation"


def test_club_offer_warns_when_seats_fall_short_of_those_who_asked() -> None:
    from qingfu.policy.checks import check_club_offer

    profile = load_national()
    short = check_club_offer(profile, segment=("第一时段", "Segment 1"), seats=80, asked=95)
    assert short.status is Status.WARN and short.rule_id == "afterschool.club-seats"
    assert short.message_zh == "第一时段社团共 80 个名额，少于希望参加社团的 95 名学生"
    enough = check_club_offer(profile, segment=("第一时段", "Segment 1"), seats=95, asked=95)
    assert enough.status is Status.OK


def test_pe_lessons_and_daily_activity() -> None:
    from qingfu.policy.checks import check_activity_day, check_pe_lessons

    profile = load_national()
    assert check_pe_lessons(profile, grade=2, lessons=3).status is Status.VIOLATION
    assert check_pe_lessons(profile, grade=5, lessons=3).status is Status.OK
    pause, day = check_activity_day(profile, break_minutes=20, at_school_minutes=54)
    assert (pause.status, pause.limit) == (Status.WARN, 30)
    assert day.message_zh == "每天体育活动 54 分钟，少于 60 分钟"


def test_sleep_hours_cross_midnight_and_are_checked_by_stage() -> None:
    from qingfu.policy.checks import check_sleep_hours, sleep_hours

    assert sleep_hours(dt.time(21, 30), dt.time(6, 50)) == pytest.approx(9 + 20 / 60)
    assert sleep_hours(dt.time(0, 30), dt.time(7, 0)) == 6.5
    profile = load_national()
    short = check_sleep_hours(profile, stage="primary", hours=9.3)
    assert short.status is Status.WARN and short.limit == 10
    assert check_sleep_hours(profile, stage="junior", hours=9.3).status is Status.OK
