"""Week views per role, read from class-day totals."""

from __future__ import annotations

import datetime as dt

import pytest

from qingfu.conftest import World
from qingfu.core.roles import Role
from qingfu.homework.data import HomeworkDraft, ItemDraft
from qingfu.homework.services import homework_publish
from qingfu.homework.week import week_load
from qingfu.schools.actors import actor_for
from qingfu.schools.models import Subject

MONDAY = dt.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def _today(settings):  # type: ignore[no-untyped-def]
    """The pages' dates name their year only outside the current one: pin the day they read."""
    settings.QINGFU_TODAY = "2026-11-23"


def _publish(world: World, user: str, code: str, class_id: int, day: dt.date, minutes: int) -> None:
    subject = Subject.objects.get(school=world.a, code=code)
    item = ItemDraft(content="练习", kind="written", tier="basic", minutes=minutes, place="home")
    homework_publish(
        actor=actor_for(world.users[user]),
        draft=HomeworkDraft(subject.pk, (class_id,), day, day, (item,)),
    )


def test_week_load_and_compliance(world: World) -> None:
    _publish(world, "math3", "math", world.c31.pk, MONDAY, 30)
    _publish(world, "head31", "chinese", world.c31.pk, MONDAY, 25)
    _publish(world, "math3", "math", world.c32.pk, MONDAY + dt.timedelta(days=1), 58)
    load = week_load(world.a.pk, [world.c31.pk, world.c32.pk, world.c71.pk], MONDAY)
    assert len(load.days) == 5
    grade3 = load.grades[0]
    assert [c.minutes for c in grade3.classes[0].cells][:2] == [55, 0]
    assert grade3.classes[1].cells[1].status == "warn"  # 58 of 60
    assert grade3.compliance == 1.0 and load.grades[1].grade == 7


def test_week_page_per_role(world: World, django_assert_max_num_queries: object) -> None:
    _publish(world, "math3", "math", world.c31.pk, MONDAY, 30)
    head = world.client("head31").get("/homework/week/?week=2026-11-23").content.decode()
    assert 'data-view="class"' in head and "数学" in head and "30<small>/60</small>" in head
    leader = world.client("leader3").get("/homework/week/?week=2026-11-23").content.decode()
    assert 'data-view="grade"' in leader and "三年级(1)班" in leader
    with django_assert_max_num_queries(60):  # type: ignore[operator]
        admin = world.client("admin_a").get("/homework/week/?week=2026-11-23").content.decode()
    assert 'data-view="school"' in admin and "达标率" in admin
    assert world.client("guardian1").get("/homework/week/").status_code == 404


def test_an_admin_of_two_schools_sees_each_under_its_own_calendar(world: World) -> None:
    """The week page acts in one school at a time, with that school's calendar: a closure
    at school B is not a school day there, and A's page lists only A's classes."""
    from qingfu.schools.models import CalendarException, RoleGrant, Semester

    admin = world.users["admin_a"]
    RoleGrant.objects.create(user=admin, role=Role.SCHOOL_ADMIN, school=world.b)
    closed = MONDAY + dt.timedelta(days=2)  # Wednesday
    CalendarException.objects.create(
        school=world.b,
        semester=Semester.objects.get(school=world.b),
        date=closed,
        kind=CalendarException.Kind.CLOSURE,
        note="校园维修",
    )
    client = world.client("admin_a")
    a_page = client.get("/homework/week/?week=2026-11-23")
    assert f'<option value="{world.b.pk}">乙校</option>' in a_page.content.decode()  # the switch
    a_load = a_page.context["sections"]["school"]
    a_classes = {c.school_class.pk for g in a_load.grades for c in g.classes}
    assert a_classes == {world.c31.pk, world.c32.pk, world.c71.pk}
    b = client.get(f"/homework/week/?week=2026-11-23&school={world.b.pk}")
    assert b.status_code == 200
    b_load = b.context["sections"]["school"]
    assert closed not in b_load.days and len(b_load.days) == 4
    assert [c.school_class.pk for g in b_load.grades for c in g.classes] == [world.b31.pk]
    # The choice is remembered; a school the admin does not run is not found.
    again = client.get("/homework/week/?week=2026-11-23").context["sections"]["school"]
    assert closed not in again.days
    assert client.get(f"/homework/week/?school={world.c.pk}").status_code == 404
