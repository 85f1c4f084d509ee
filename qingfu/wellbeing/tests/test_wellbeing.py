"""Sleep from the time logs, the school day against the policy, physical activity."""

from __future__ import annotations

import datetime as dt

import pytest

from qingfu.core.errors import NotFound, ValidationFailed
from qingfu.homework.models import TimeLog
from qingfu.schools.actors import actor_for
from qingfu.schools.models import TeachingAssignment
from qingfu.schools.tests import factories as f
from qingfu.wellbeing import selectors, services
from qingfu.wellbeing.activity import ActivityFacts, activity_week
from qingfu.wellbeing.sleep import Evening, weekly_sleep

MONDAY = dt.date(2026, 11, 16)


def test_weekly_sleep_counts_late_evenings_and_flags_repeats() -> None:
    evenings = [Evening(1, 10, True)] * 3 + [Evening(1, 11, True), Evening(1, 11, False)]
    summary = weekly_sleep(evenings, repeat=3)[1]
    assert (summary.evenings, summary.late, summary.flagged) == (5, 4, (10,))
    assert summary.late_share == 0.8


def _late_week(world, student, late_days: int) -> None:
    for k in range(5):
        TimeLog.objects.create(
            school=world.a, student=student, school_class=student.school_class,
            date=MONDAY + dt.timedelta(days=k), finished_at=dt.time(21, 50 if k < late_days else 20),
            is_late=k < late_days,
        )  # fmt: skip


@pytest.mark.clock
def test_names_of_late_finishers_reach_only_the_head_teacher(world) -> None:
    _late_week(world, world.s1, 3)
    head = selectors.sleep_week(actor_for(world.users["head31"]), world.a.pk, MONDAY)
    assert [(r.school_class.pk, r.sleep.late, r.flagged_names) for r in head if r.sleep] == [
        (world.c31.pk, 3, ["张小一"])
    ]
    admin = selectors.sleep_week(actor_for(world.users["admin_a"]), world.a.pk, MONDAY)
    row = next(r for r in admin if r.school_class.pk == world.c31.pk)
    assert row.sleep is not None and row.sleep.flagged and row.flagged_names == []
    page = world.client("admin_a").get(f"/wellbeing/?week={MONDAY}").content.decode()
    assert "张小一" not in page and "60%" in page


def test_school_start_and_break_are_checked(world) -> None:
    admin = actor_for(world.users["admin_a"])
    services.school_day_set(
        actor=admin, school_id=world.a.pk, primary_start=dt.time(7, 50),
        junior_start=dt.time(8, 0), break_minutes=20, lesson_minutes=40,
    )  # fmt: skip
    verdicts = {v.rule_id + ":" + str(v.limit): v for v in selectors.school_day_verdicts(world.a)}
    assert verdicts["sleep.school-start:08:20"].status == "violation"
    assert verdicts["sleep.school-start:08:00"].status == "ok"
    assert verdicts["fitness.break:30"].status == "warn"
    with pytest.raises(ValidationFailed) as err:  # a clear field error, nothing saved
        services.school_day_set(
            actor=admin, school_id=world.a.pk, primary_start=dt.time(11, 0),
            junior_start=None, break_minutes=30, lesson_minutes=40,
        )  # fmt: skip
    assert list(err.value.errors) == ["primary_start"]
    assert selectors.school_day(world.a.pk).primary_start == dt.time(7, 50)


def test_activity_counts_pe_lessons_break_and_sports_clubs(world) -> None:
    teacher = world.users["teacher7"].teacher
    TeachingAssignment.objects.create(
        school=world.a, teacher=teacher, school_class=world.c31,
        subject=world.a.subjects.get(code="pe"), weekly_lessons=4,
    )  # fmt: skip
    f.StudentFactory(school_class=world.c31)
    rows = {
        r.school_class.pk: r for r in selectors.activity(actor_for(world.users["admin_a"]), world.a)
    }
    # 4 x 40 / 5 + 30 = 62 minutes a day; no PE lessons recorded for 3(2): 30 minutes.
    assert (rows[world.c31.pk].pe_lessons, rows[world.c31.pk].daily_minutes) == (4, 62)
    assert [v.status for v in rows[world.c31.pk].verdicts] == ["ok", "ok"]
    assert [v.status for v in rows[world.c32.pk].verdicts] == ["violation", "warn"]


def test_a_week_spreads_pe_evenly_and_puts_sports_clubs_on_their_days() -> None:
    week = activity_week(
        ActivityFacts(pe_lessons=4, lesson_minutes=40, break_minutes=30, pupils=2,
                      sports_seat_minutes={1: 60, 3: 60, 5: 40})
    )  # fmt: skip
    assert week.pe_daily == 32 and week.sports == (0, 30, 0, 30, 0)
    assert week.days == (62, 92, 62, 92, 62)
    assert week.average == 32 + 30 + round(160 / 2 / 5)  # a Saturday club counts in the week
    empty = activity_week(ActivityFacts(2, 40, 30, 0, {1: 60}))
    assert empty.days == (46,) * 5 and empty.average == 46


@pytest.mark.clock
def test_activity_per_weekday_follows_the_sports_clubs_days(world) -> None:
    from django.utils import timezone

    from qingfu.afterschool.models import Seat
    from qingfu.afterschool.tests.helpers import add_club, standard_program

    TeachingAssignment.objects.create(
        school=world.a, teacher=world.users["teacher7"].teacher, school_class=world.c31,
        subject=world.a.subjects.get(code="pe"), weekly_lessons=4,
    )  # fmt: skip
    f.StudentFactory(school_class=world.c31)
    program = standard_program(world.users["admin_a"], world.a)
    club = add_club(world.users["admin_a"], program, "篮球", 20)  # Tuesdays and Thursdays
    Seat.objects.create(
        school=world.a, program=program, club=club, segment=club.segment, student=world.s1,
        status=Seat.Status.ENROLLED, source=Seat.Source.values[0], requested_at=timezone.now(),
    )  # fmt: skip
    rows = {
        r.school_class.pk: r for r in selectors.activity(actor_for(world.users["admin_a"]), world.a)
    }
    # One hour on Tuesday and Thursday for one pupil of two: 30 minutes a pupil those days.
    assert rows[world.c31.pk].week.days == (62, 92, 62, 92, 62)
    assert rows[world.c31.pk].daily_minutes == 74
    page = world.client("admin_a").get("/wellbeing/").content.decode()
    assert '<td class="num">92</td>' in page and "平均" in page


def test_families_report_nights_and_the_class_sees_counts_only(world) -> None:
    guardian = actor_for(world.users["guardian1"])
    today = dt.date(2026, 11, 23)
    with pytest.raises(ValidationFailed) as err:  # tonight has not happened yet
        services.sleep_report(
            actor=guardian, student_id=world.s1.pk, day=today, bedtime=dt.time(21, 0),
            wake_time=dt.time(7, 0), today=today,
        )  # fmt: skip
    assert "date" in err.value.errors
    with pytest.raises(ValidationFailed) as err:  # 15 hours is not a night's sleep
        services.sleep_report(
            actor=guardian, student_id=world.s1.pk, day=MONDAY, bedtime=dt.time(16, 0),
            wake_time=dt.time(7, 0), today=today,
        )  # fmt: skip
    assert "wake_time" in err.value.errors
    services.sleep_report(
        actor=guardian, student_id=world.s1.pk, day=MONDAY, bedtime=dt.time(22, 0),
        wake_time=dt.time(6, 30), today=today,
    )  # fmt: skip
    [night] = selectors.child_nights(guardian, world.s1)
    assert night.hours == 8.5 and night.verdict.status == "warn"  # primary: 10 hours
    counts = selectors.short_nights_by_class(world.a, [world.c31.pk], MONDAY)
    assert counts == {world.c31.pk: (1, 1)}
    with pytest.raises(NotFound):
        services.sleep_report(
            actor=actor_for(world.users["guardian2"]), student_id=world.s1.pk, day=MONDAY,
            bedtime=dt.time(21, 0), wake_time=dt.time(7, 0), today=today,
        )  # fmt: skip
