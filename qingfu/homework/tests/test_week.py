"""Week views per role, read from class-day totals."""

from __future__ import annotations

import datetime as dt

from qingfu.conftest import World
from qingfu.homework.data import HomeworkDraft, ItemDraft
from qingfu.homework.services import homework_publish
from qingfu.homework.week import week_load
from qingfu.schools.actors import actor_for
from qingfu.schools.models import Subject

MONDAY = dt.date(2026, 11, 23)


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
