"""The weekly plan: prefilled from last week, saved, approved by both leaders, published
as the public board; later edits show as changes."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client

from qingfu.conftest import World
from qingfu.core.errors import NotFound, ValidationFailed
from qingfu.homework import plans
from qingfu.homework.data import HomeworkDraft, ItemDraft
from qingfu.homework.models import PlanChange, PlanEntry, WeeklyPlan
from qingfu.homework.services import homework_publish
from qingfu.schools.actors import actor_for
from qingfu.schools.models import GradeGroup, Subject

NEXT_MONDAY = dt.date(2026, 11, 30)


@pytest.fixture(autouse=True)
def _today(settings):  # type: ignore[no-untyped-def]
    """The pages' dates name their year only outside the current one: pin the day they read."""
    settings.QINGFU_TODAY = "2026-11-27"


@pytest.fixture
def both_leaders(world: World) -> World:
    """leader3 leads grade 3; head31 is its administrative cadre."""
    group = GradeGroup.objects.get(grade=world.c31.grade)
    group.cadre = world.users["head31"].teacher  # type: ignore[attr-defined]
    group.save()  # a save, as the admin pages do: it moves the roles' cache on
    return world


def _publish_math_last_week(world: World) -> None:
    subject = Subject.objects.get(school=world.a, code="math")
    item = ItemDraft(content="口算", kind="written", tier="basic", minutes=20, place="home")
    day = dt.date(2026, 11, 24)  # Tuesday of the week before
    homework_publish(
        actor=actor_for(world.users["math3"]),
        draft=HomeworkDraft(subject.pk, (world.c31.pk,), day, day, (item,)),
    )


def test_plan_prefilled_from_last_weeks_homework(both_leaders: World) -> None:
    w = both_leaders
    _publish_math_last_week(w)
    leader = actor_for(w.users["leader3"])
    plan = plans.plan_open(actor=leader, grade_id=w.c31.grade_id, week_start=NEXT_MONDAY)
    math = Subject.objects.get(school=w.a, code="math")
    tuesday = NEXT_MONDAY + dt.timedelta(days=1)
    assert (
        PlanEntry.objects.get(plan=plan, school_class=w.c31, subject=math, date=tuesday).minutes
        == 20
    )
    grid = plans.plan_grid(plan)
    assert grid.days[0] == NEXT_MONDAY and len(grid.days) == 5
    assert grid.totals[(w.c31.pk, tuesday)] == 20 and grid.caps[(w.c31.pk, tuesday)] == 60
    with pytest.raises(NotFound):
        plans.plan_open(
            actor=actor_for(w.users["math3"]), grade_id=w.c31.grade_id, week_start=NEXT_MONDAY
        )


def test_approval_by_both_leaders_publishes_the_board(both_leaders: World) -> None:
    w = both_leaders
    leader, cadre = actor_for(w.users["leader3"]), actor_for(w.users["head31"])
    plan = plans.plan_open(actor=leader, grade_id=w.c31.grade_id, week_start=NEXT_MONDAY)
    math = Subject.objects.get(school=w.a, code="math")
    key = (w.c31.pk, math.pk, NEXT_MONDAY)
    plans.plan_save(actor=leader, plan_id=plan.pk, cells={key: (25, "口算 + 练习册")})
    assert Client().get(f"/board/{w.c31.pk}/{NEXT_MONDAY}/").status_code == 404  # not yet
    plans.plan_submit(actor=leader, plan_id=plan.pk)
    plans.plan_approve(actor=leader, plan_id=plan.pk)
    assert WeeklyPlan.objects.get().status == "submitted"  # still needs the cadre
    plans.plan_approve(actor=cadre, plan_id=plan.pk)
    assert WeeklyPlan.objects.get().status == "approved"

    page = Client().get(f"/board/{w.c31.pk}/{NEXT_MONDAY}/")
    body = page.content.decode()
    assert page.status_code == 200
    assert "三年级(1)班" in body and "口算 + 练习册" in body and "<svg" in body
    assert "张小一" not in body  # no student data on a public page

    plans.plan_save(actor=leader, plan_id=plan.pk, cells={key: (15, "口算")})
    change = PlanChange.objects.get()
    assert (change.minutes_before, change.minutes_after) == (25, 15)
    assert "25′ → 15′" in Client().get(f"/board/{w.c31.pk}/{NEXT_MONDAY}/").content.decode()


def test_return_needs_a_comment_and_reopens_editing(both_leaders: World) -> None:
    w = both_leaders
    leader, cadre = actor_for(w.users["leader3"]), actor_for(w.users["head31"])
    plan = plans.plan_open(actor=leader, grade_id=w.c31.grade_id, week_start=NEXT_MONDAY)
    plans.plan_submit(actor=leader, plan_id=plan.pk)
    with pytest.raises(ValidationFailed):
        plans.plan_return(actor=cadre, plan_id=plan.pk, comment="")
    plans.plan_return(actor=cadre, plan_id=plan.pk, comment="周三数学偏多")
    plan.refresh_from_db()
    assert plan.status == "returned" and plan.return_comment == "周三数学偏多"


def test_bad_minutes_refused(both_leaders: World) -> None:
    w = both_leaders
    leader = actor_for(w.users["leader3"])
    plan = plans.plan_open(actor=leader, grade_id=w.c31.grade_id, week_start=NEXT_MONDAY)
    math = Subject.objects.get(school=w.a, code="math")
    with pytest.raises(ValidationFailed):
        plans.plan_save(
            actor=leader, plan_id=plan.pk, cells={(w.c31.pk, math.pk, NEXT_MONDAY): (500, "")}
        )
    assert not PlanEntry.objects.filter(minutes=500).exists()


def test_plan_page_round_trip(both_leaders: World) -> None:
    w = both_leaders
    client = w.client("leader3")
    url = f"/homework/plans/{w.c31.grade_id}/{NEXT_MONDAY}/"
    page = client.get(url)
    assert page.status_code == 200 and "三年级(1)班" in page.content.decode()
    math = Subject.objects.get(school=w.a, code="math")
    field = f"m-{w.c31.pk}-{math.pk}-{NEXT_MONDAY}"
    response = client.post(url, {field: "80", "action": "save"})
    assert response.status_code == 302
    body = client.get(url).content.decode()
    assert "80 / 60" in body and "超过上限" in body
    assert w.client("math3").get(url).status_code == 404


def test_an_approved_exception_shows_as_approved_on_the_board_and_the_parents_home(
    both_leaders: World, settings: Any
) -> None:
    """A day over the cap by an exception the grade leader granted says so, with the
    reason, wherever families see it, coloured as approved rather than as a breach."""
    from qingfu.homework.models import LoadException
    from qingfu.homework.services import exception_decide

    # Published the Friday before, at a pinned time of day (the parent's home counts today).
    settings.QINGFU_TODAY = (NEXT_MONDAY - dt.timedelta(days=3)).isoformat()
    settings.QINGFU_CLOCK = "18:00"
    w = both_leaders
    leader, cadre = actor_for(w.users["leader3"]), actor_for(w.users["head31"])
    plan = plans.plan_open(actor=leader, grade_id=w.c31.grade_id, week_start=NEXT_MONDAY)
    plans.plan_submit(actor=leader, plan_id=plan.pk)
    plans.plan_approve(actor=leader, plan_id=plan.pk)
    plans.plan_approve(actor=cadre, plan_id=plan.pk)
    tuesday = NEXT_MONDAY + dt.timedelta(days=1)
    subject = Subject.objects.get(school=w.a, code="math")
    item = ItemDraft(content="单元复习卷", kind="written", tier="basic", minutes=67, place="home")
    homework_publish(
        actor=actor_for(w.users["math3"]),
        draft=HomeworkDraft(subject.pk, (w.c31.pk,), tuesday, tuesday, (item,)),
        exception_reason="单元复习",
    )
    request = LoadException.objects.get()
    exception_decide(actor=leader, exception_id=request.pk, grant=True, reason="同意")

    body = Client().get(f"/board/{w.c31.pk}/{NEXT_MONDAY}/").content.decode()
    note = "经年级组长批准（理由：单元复习）"
    assert note in body
    assert re.search(r'<td class="approved">67′<br><small class="approval">' + note, body)
    assert 'class="over"' not in body

    settings.QINGFU_TODAY = tuesday.isoformat()
    home = w.client("guardian1").get("/").content.decode()
    assert f'<p class="alert approved">{note}</p>' in home
    assert "约 67 分钟" in home
