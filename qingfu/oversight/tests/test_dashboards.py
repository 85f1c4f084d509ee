"""Dashboards: who may open which level, figures recomputed from the records, small groups
withheld, no student names above the class, and query counts that do not grow with data."""

from __future__ import annotations

import datetime as dt

import pytest

from qingfu.conftest import World
from qingfu.homework.models import Assignment, AssignmentClass, Item, TimeLog
from qingfu.oversight import selectors
from qingfu.oversight.figures import Figures, Period, period_for
from qingfu.oversight.models import ClassDayRollup
from qingfu.oversight.services import rollups_rebuild
from qingfu.schools.actors import actor_for
from qingfu.schools.models import Subject, Teacher
from qingfu.schools.tests import factories as f

MONDAY = dt.date(2026, 11, 23)
WEEK = Period(MONDAY, MONDAY + dt.timedelta(days=6), "week")


@pytest.fixture(autouse=True)
def _today(settings) -> None:
    settings.QINGFU_TODAY = "2026-11-29"


def _homework(world: World, school_class, day: dt.date, minutes: int) -> None:
    """Published homework written straight to the tables, as the demo loads it."""
    subject = Subject.objects.get(school=school_class.school, code="math")
    teacher = Teacher.objects.filter(school=school_class.school).first() or f.TeacherFactory(
        school=school_class.school
    )
    assignment = Assignment.objects.create(
        school=school_class.school, teacher=teacher, subject=subject, date=day, due_on=day,
        status=Assignment.Status.PUBLISHED,
    )  # fmt: skip
    AssignmentClass.objects.create(
        school=school_class.school, assignment=assignment, school_class=school_class, date=day
    )
    Item.objects.create(
        assignment=assignment, content="练习", kind="written", tier="basic", minutes=minutes,
        place="home",
    )  # fmt: skip


def _logs(school_class, day: dt.date, count: int, *, late: int = 0) -> None:
    for i in range(count):
        student = f.StudentFactory(school_class=school_class)
        TimeLog.objects.create(
            school=school_class.school, student=student, school_class=school_class, date=day,
            finished_at=dt.time(20, 0), is_late=i < late,
        )  # fmt: skip


def test_presets_end_today_and_never_after_the_semester() -> None:
    semester = (dt.date(2026, 9, 1), dt.date(2027, 1, 22))
    today = dt.date(2026, 11, 26)  # a Thursday
    assert period_for("week", today=today, semester=semester) == Period(
        dt.date(2026, 11, 23), today, "week"
    )
    assert period_for("month", today=today, semester=semester).start == dt.date(2026, 11, 1)
    after = period_for("semester", today=dt.date(2027, 2, 10), semester=semester)
    assert (after.start, after.end) == semester


def test_rates_rest_on_enough_families() -> None:
    few = Figures(label="x", min_group=5, logs=4, late=1, reported_days=1, reported_total=50)
    assert few.late_share is None and few.average_reported is None
    enough = Figures(label="x", min_group=5, logs=10, late=1, reported_days=2, reported_total=90)
    assert enough.late_share == 0.1 and enough.average_reported == 45


def test_school_figures_are_recomputed_from_the_records(world: World) -> None:
    _homework(world, world.c31, MONDAY, 70)  # over the 60-minute cap
    _homework(world, world.c31, MONDAY + dt.timedelta(days=1), 30)
    _homework(world, world.c71, MONDAY, 50)
    _logs(world.c31, MONDAY, 6, late=3)
    rollups_rebuild(school_ids=[world.a.pk])
    board = selectors.school_dashboard(actor_for(world.users["admin_a"]), world.a.pk, WEEK)
    # 3 classes (two in grade 3, one in grade 7) × 5 school days that week.
    assert board.total.class_days == 15
    assert board.total.planned_total == 150
    assert board.total.over_planned == 1
    assert board.total.compliance == pytest.approx(14 / 15)
    grade3 = next(r for r in board.rows if r.extra["grade"] == 3)
    assert (grade3.class_days, grade3.planned_total, grade3.logs) == (10, 100, 6)
    assert grade3.late_share == 0.5
    assert [p.monday for p in board.trend] == [MONDAY]


def test_district_sees_schools_never_students(world: World) -> None:
    _homework(world, world.c31, MONDAY, 40)
    _logs(world.c31, MONDAY, 6)
    rollups_rebuild()
    page = (
        world.client("officer_d1")
        .get(f"/oversight/district/{world.d1.pk}/?period=week")
        .content.decode()
    )
    assert "甲校" in page and "乙校" in page and "丙校" not in page
    for name in ("张小一", "李小二", "王小三", "赵小乙"):
        assert name not in page
    grade = world.client("officer_d1").get(f"/oversight/school/{world.a.pk}/grade/3/")
    day = world.client("officer_d1").get(f"/oversight/class/{world.c31.pk}/2026-11-23/")
    assert grade.status_code == day.status_code == 200
    assert "张小一" not in day.content.decode() and "练习" in day.content.decode()


@pytest.mark.parametrize(
    ("who", "path", "status"),
    [
        ("anonymous", "district", 302),
        ("officer_d2", "district", 404),
        ("admin_a", "district", 404),
        ("officer_d1", "district", 200),
        ("admin_b", "school", 404),
        ("head31", "school", 404),
        ("guardian1", "school", 404),
        ("inspector_a", "school", 200),
        ("admin_a", "school", 200),
        ("officer_d2", "class", 404),
        ("admin_b", "day", 404),
        ("admin_a", "day", 200),
    ],
)
def test_who_may_open_which_level(world: World, who: str, path: str, status: int) -> None:
    url = {
        "district": f"/oversight/district/{world.d1.pk}/",
        "school": f"/oversight/school/{world.a.pk}/",
        "class": f"/oversight/class/{world.c31.pk}/",
        "day": f"/oversight/class/{world.c31.pk}/2026-11-23/",
    }[path]
    assert world.client(who).get(url).status_code == status


def test_a_malformed_day_is_not_found(world: World) -> None:
    assert (
        world.client("admin_a").get(f"/oversight/class/{world.c31.pk}/2026-13-01/").status_code
        == 404
    )


def test_landing_takes_each_role_to_its_level(world: World) -> None:
    assert (
        world.client("officer_d1").get("/oversight/").url == f"/oversight/district/{world.d1.pk}/"
    )
    assert world.client("admin_a").get("/oversight/").url == f"/oversight/school/{world.a.pk}/"


def test_district_page_queries_do_not_grow_with_schools(
    world: World, django_assert_max_num_queries
) -> None:
    for school in (world.a, world.b):
        for c in school.classes.all():
            _homework(world, c, MONDAY, 30)
    rollups_rebuild()
    client = world.client("officer_d1")
    client.get(f"/oversight/district/{world.d1.pk}/")  # warm the session and caches
    for i in range(6):
        extra = f.SchoolFactory(district=world.d1, name=f"新校{i}")
        f.autumn_semester(extra)
        _homework(world, f.class_in(extra, 5, 1), MONDAY, 20)
    rollups_rebuild()
    # 25 for the board; the training card's overdue notices and complaint counts are a
    # fixed handful more (none per school).
    with django_assert_max_num_queries(30):
        response = client.get(f"/oversight/district/{world.d1.pk}/")
    assert response.status_code == 200
    assert ClassDayRollup.objects.count() == 10


def test_participation_counts_sign_ups_in_force_on_the_last_day(world: World, settings) -> None:
    settings.QINGFU_TODAY = "2026-09-01"  # sign-ups take effect from today or later
    from qingfu.afterschool.tests.helpers import sign_up, standard_program

    standard_program(world.users["admin_a"], world.a)
    for _ in range(4):
        f.StudentFactory(school_class=world.c31)
    sign_up(world.users["guardian1"], world.s1)  # from 7 Sept
    settings.QINGFU_TODAY = "2026-11-29"
    board = selectors.school_dashboard(actor_for(world.users["admin_a"]), world.a.pk, WEEK)
    grade3 = next(r for r in board.rows if r.extra["grade"] == 3)
    assert (grade3.students, grade3.taking_part) == (6, 1)
    assert grade3.participation == pytest.approx(1 / 6)
    grade7 = next(r for r in board.rows if r.extra["grade"] == 7)
    assert grade7.participation is None  # one student: below the minimum group
