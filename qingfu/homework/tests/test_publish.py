"""Publishing homework: the live check, all-or-nothing across classes, exceptions, bans,
bad input, and two teachers publishing to the same class-day at once."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection

from qingfu.conftest import World
from qingfu.core.errors import NotFound, ValidationFailed
from qingfu.homework.data import HomeworkDraft, ItemDraft
from qingfu.homework.models import Assignment, ClassDay, LoadException
from qingfu.homework.selectors import draft_check
from qingfu.homework.services import PublishBlocked, exception_decide, homework_publish
from qingfu.policy.verdicts import Status
from qingfu.schools.actors import actor_for
from qingfu.schools.models import Subject

MONDAY = dt.date(2026, 11, 23)


def written(minutes: int, content: str = "练习册第 12 页", **extra: object) -> ItemDraft:
    values: dict[str, object] = {"kind": "written", "tier": "basic", "place": "home"}
    values.update(extra)
    return ItemDraft(content=content, minutes=minutes, **values)  # type: ignore[arg-type]


def draft(
    world: World, code: str, class_ids: list[int], *items: ItemDraft, day: dt.date = MONDAY
) -> HomeworkDraft:
    subject = Subject.objects.get(school=world.a, code=code)
    return HomeworkDraft(
        subject.pk, tuple(class_ids), day, day + dt.timedelta(days=1), tuple(items)
    )


def test_check_shows_the_whole_day(world: World) -> None:
    chinese = actor_for(world.users["head31"])
    homework_publish(actor=chinese, draft=draft(world, "chinese", [world.c31.pk], written(30)))
    math = actor_for(world.users["math3"])
    [check] = draft_check(math, draft(world, "math", [world.c31.pk], written(20)))
    assert (check.minutes_before, check.minutes_after, check.cap) == (30, 50, 60)
    assert [i.subject for i in check.existing] == ["语文"]
    assert check.status is Status.OK


def test_over_the_cap_is_blocked_and_nothing_saved(world: World) -> None:
    math = actor_for(world.users["math3"])
    with pytest.raises(PublishBlocked) as caught:
        homework_publish(
            actor=math, draft=draft(world, "math", [world.c31.pk], written(45), written(20))
        )
    assert caught.value.can_request_exception
    assert "三年级(1)班" in str(caught.value) and "65 分钟" in str(caught.value)
    assert not Assignment.objects.exists()


def test_multi_class_publish_is_all_or_nothing(world: World) -> None:
    chinese = actor_for(world.users["leader3"])  # teaches 语文 in 3(2)
    homework_publish(actor=chinese, draft=draft(world, "chinese", [world.c32.pk], written(40)))
    math = actor_for(world.users["math3"])
    with pytest.raises(PublishBlocked) as caught:
        homework_publish(
            actor=math, draft=draft(world, "math", [world.c31.pk, world.c32.pk], written(30))
        )
    blocked = [c.class_name for c in caught.value.checks if c.blocking]
    assert blocked == ["三年级(2)班"]
    assert Assignment.objects.filter(subject__code="math").count() == 0
    ok = homework_publish(
        actor=math, draft=draft(world, "math", [world.c31.pk, world.c32.pk], written(20))
    )
    assert sorted(ok.targets.values_list("school_class_id", flat=True)) == sorted(
        [world.c31.pk, world.c32.pk]
    )
    assert ClassDay.objects.get(school_class=world.c32, date=MONDAY).planned_minutes == 60


def test_exception_requested_then_granted_by_the_leader(world: World) -> None:
    math = actor_for(world.users["math3"])
    pending = homework_publish(
        actor=math,
        draft=draft(world, "math", [world.c31.pk], written(70, "单元复习卷")),
        exception_reason="单元复习，明日不布置书面作业",
    )
    assert pending.status == Assignment.Status.PENDING
    request = LoadException.objects.get()
    assert (request.measured, request.limit, request.rule_ids) == (70, 60, ["hw.cap.g3-6"])
    # A pending assignment does not count toward the day.
    [check] = draft_check(math, draft(world, "math", [world.c31.pk], written(10)))
    assert check.minutes_before == 0
    with pytest.raises(NotFound):  # a teacher who leads no grade cannot decide
        exception_decide(actor=math, exception_id=request.pk, grant=True, reason="同意")
    leader = actor_for(world.users["leader3"])
    with pytest.raises(ValidationFailed):
        exception_decide(actor=leader, exception_id=request.pk, grant=True, reason=" ")
    exception_decide(actor=leader, exception_id=request.pk, grant=True, reason="同意，复习周")
    pending.refresh_from_db()
    assert pending.status == Assignment.Status.PUBLISHED
    assert ClassDay.objects.get(school_class=world.c31, date=MONDAY).planned_minutes == 70


def test_exception_refused_publishes_nothing(world: World) -> None:
    math = actor_for(world.users["math3"])
    pending = homework_publish(
        actor=math, draft=draft(world, "math", [world.c31.pk], written(70)), exception_reason="复习"
    )
    leader = actor_for(world.users["leader3"])
    exception_decide(
        actor=leader,
        exception_id=LoadException.objects.get().pk,
        grant=False,
        reason="请分两天布置",
    )
    pending.refresh_from_db()
    assert pending.status == Assignment.Status.REFUSED


@pytest.mark.parametrize(
    ("flags", "rule"),
    [({"needs_phone": True}, "hw.no-phone"), ({"asks_parents_to_grade": True}, "hw.no-parents"),
     ({"is_punitive": True}, "hw.design.no-punitive")],
)  # fmt: skip
def test_bans_cannot_be_exempted(world: World, flags: dict[str, bool], rule: str) -> None:
    math = actor_for(world.users["math3"])
    with pytest.raises(PublishBlocked) as caught:
        homework_publish(
            actor=math,
            draft=draft(world, "math", [world.c31.pk], written(10, **flags)),
            exception_reason="想要",
        )
    assert not caught.value.can_request_exception
    assert rule in {v.rule_id for c in caught.value.checks for v in c.blocking}
    assert not Assignment.objects.exists() and not LoadException.objects.exists()


def test_grade_two_written_homework_at_home_is_refused(world: World) -> None:
    from qingfu.schools.tests import factories as f

    c21 = f.class_in(world.a, 2, 1)
    from qingfu.conftest import _assign

    _assign(world.users["math3"], c21, "math")
    math = actor_for(world.users["math3"])
    with pytest.raises(PublishBlocked) as caught:
        homework_publish(actor=math, draft=draft(world, "math", [c21.pk], written(10)))
    assert "hw.cap.g1-2" in {v.rule_id for c in caught.value.checks for v in c.blocking}
    oral = homework_publish(
        actor=math, draft=draft(world, "math", [c21.pk], written(10, kind="oral"))
    )
    assert oral.status == Assignment.Status.PUBLISHED


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"items": (written(0),)}, "items.0.minutes"),
        ({"items": (written(1000),)}, "items.0.minutes"),
        ({"items": (written(20, ""),)}, "items.0.content"),
        ({"items": ()}, "items"),
        ({"date": dt.date(2027, 2, 10), "due_on": dt.date(2027, 2, 11)}, "date"),
        ({"due_on": MONDAY - dt.timedelta(days=1)}, "due_on"),
        ({"items": (written(20, ability_elements=("唱歌",)),)}, "items.0.ability_elements"),
    ],
)
def test_bad_input_names_the_field(world: World, change: dict[str, object], field: str) -> None:
    from dataclasses import replace

    math = actor_for(world.users["math3"])
    bad = replace(draft(world, "math", [world.c31.pk], written(20)), **change)
    with pytest.raises(ValidationFailed) as caught:
        homework_publish(actor=math, draft=bad)
    assert field in caught.value.errors
    assert not Assignment.objects.exists()


def test_a_class_the_teacher_does_not_teach(world: World) -> None:
    math = actor_for(world.users["math3"])
    with pytest.raises(ValidationFailed) as caught:
        homework_publish(actor=math, draft=draft(world, "math", [world.c71.pk], written(20)))
    assert "classes" in caught.value.errors
    with pytest.raises(NotFound):  # not a teacher at all
        homework_publish(
            actor=actor_for(world.users["guardian1"]),
            draft=draft(world, "math", [world.c31.pk], written(5)),
        )


@pytest.mark.django_db(transaction=True)
def test_two_teachers_at_once_never_both_slip_under_the_cap(world: World) -> None:
    """Chinese and maths each publish 40 minutes to 3(1) at the same moment: the cap is
    60, so exactly one may succeed, whichever database runs underneath."""

    def publish(user: str, code: str, barrier: threading.Barrier, outcomes: list[str]) -> None:
        try:
            actor = actor_for(world.users[user])
            item = draft(world, code, [world.c31.pk], written(40))
            barrier.wait(timeout=10)
            homework_publish(actor=actor, draft=item)
            outcomes.append("published")
        except PublishBlocked:
            outcomes.append("blocked")
        finally:
            connection.close()

    for _ in range(3):
        Assignment.objects.all().delete()
        barrier = threading.Barrier(2)
        outcomes: list[str] = []
        threads = [
            threading.Thread(target=publish, args=(user, code, barrier, outcomes))
            for user, code in (("head31", "chinese"), ("math3", "math"))
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert sorted(outcomes) == ["blocked", "published"]
        assert Assignment.objects.filter(status="published").count() == 1
