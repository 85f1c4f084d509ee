"""A teacher's non-teaching hours (教师非教学工作时长) loaded from the records: the demands
sent to the school shared by their handlers (or by all the school's teachers), plus the
after-school sessions each teacher is on duty for × the session's length; recounted here
with plain queries. The teacher's home shows their own week; the principal's the school's
spread, naming no teacher."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from qingfu.afterschool.models import Program, Session
from qingfu.afterschool.tests.helpers import standard_program
from qingfu.burden import services
from qingfu.burden.models import Demand
from qingfu.burden.services import demand_receivers_set
from qingfu.burden.tests.helpers import TODAY, County
from qingfu.policy.teacher_hours import TeacherWeek, distribution
from qingfu.reports import teacher_load
from qingfu.schools.actors import actor_for
from qingfu.schools.models import School, Teacher

pytestmark = pytest.mark.django_db

MONDAY, SUNDAY = teacher_load.week_of(TODAY)


def _demand(
    county: County, title: str, hours: float, day: dt.date, *schools: School, status: str = "sent"
) -> Demand:
    demand = Demand.objects.create(
        district=county.world.d1,
        issuer=county.office,
        kind="data_request",
        title=title,
        day=day,
        staff_hours=hours,
        status=status,
    )
    demand_receivers_set(demand, units=[], schools=list(schools))
    return demand


def _teacher(county: County, who: str) -> Teacher:
    return county.world.users[who].teacher


@pytest.fixture
def week(county: County) -> dict[str, Any]:
    a, b = county.world.a, county.world.b
    named = _demand(county, "体质健康数据填报", 6.0, TODAY, a, b)
    shared = _demand(county, "安全教育平台统计", 4.0, TODAY + dt.timedelta(days=1), a)
    _demand(county, "上周的检查", 9.0, MONDAY - dt.timedelta(days=1), a)
    _demand(county, "未下发的草稿", 9.0, TODAY, a, status="draft")
    math3, head31 = _teacher(county, "math3"), _teacher(county, "head31")
    services.demand_handlers_set(
        actor=actor_for(county.world.users["admin_a"]),
        school_id=a.pk,
        demand_id=named.pk,
        teacher_ids=[math3.pk, head31.pk],
    )
    program: Program = standard_program(county.world.users["admin_a"], a)
    first, second = program.segments.order_by("order")
    for day, segment in ((TODAY, first), (TODAY, second), (MONDAY - dt.timedelta(days=2), first)):
        Session.objects.create(
            school=a,
            program=program,
            date=day,
            segment=segment,
            school_class=county.world.c31,
            duty_teacher=math3,
        )
    return {"named": named, "shared": shared, "math3": math3, "head31": head31}


def _recount(school: School, teacher: Teacher) -> tuple[float, float]:
    """(demand hours, duty hours) of the teacher this week, with plain queries."""
    staff = Teacher.objects.filter(school=school).count()
    demand_hours = 0.0
    for demand in Demand.objects.filter(
        status="sent", receiver_schools=school, day__gte=MONDAY, day__lte=SUNDAY
    ):
        handlers = set(demand.handlers.filter(school=school).values_list("teacher_id", flat=True))
        if handlers:
            demand_hours += demand.staff_hours / len(handlers) if teacher.pk in handlers else 0
        else:
            demand_hours += demand.staff_hours / staff
    minutes = 0
    for s in Session.objects.filter(
        duty_teacher=teacher, date__gte=MONDAY, date__lte=SUNDAY
    ).select_related("segment"):
        start, end = s.segment.start, s.segment.end
        minutes += (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
    return demand_hours, minutes / 60


def test_the_loaded_week_matches_the_records(county: County, week: dict[str, Any]) -> None:
    a = county.world.a
    hours = teacher_load.school_hours(school_ids=[a.pk], first=MONDAY, last=SUNDAY)
    staff = Teacher.objects.filter(school=a).count()
    math3 = hours.of(week["math3"].pk)
    assert math3.shares == {week["named"].pk: 3.0, week["shared"].pk: 4.0 / staff}
    assert math3.duty_hours == pytest.approx(2.0)
    for teacher in Teacher.objects.filter(school=a):
        demands, duty = _recount(a, teacher)
        got = hours.of(teacher.pk)
        assert got.demand_hours == pytest.approx(demands), teacher.name
        assert got.duty_hours == pytest.approx(duty), teacher.name
    assert {w.teacher_id for w in hours.weeks} == set(
        Teacher.objects.filter(school=a).values_list("pk", flat=True)
    )
    assert set(hours.demands) == {week["named"].pk, week["shared"].pk}


def _section(html: str, title: str) -> str:
    start = html.index(title)
    end = html.find("</section>", start)
    return html[start:end]


def test_the_teacher_sees_their_own_week(
    county: County, week: dict[str, Any], settings: Any
) -> None:
    settings.QINGFU_TODAY = TODAY.isoformat()
    settings.QINGFU_CLOCK = "10:00"
    a = county.world.a
    html = county.client("math3").get("/").content.decode()
    mine = _section(html, "我本周的非教学工作")
    demands, duty = _recount(a, week["math3"])
    total = re.search(r'data-hours="total">.*?<b>([\d.]+)</b>', mine, re.S)
    assert total and float(total[1]) == round(demands + duty, 1)
    assert "体质健康数据填报" in mine and "县民政局" in mine and "3.0 小时" in mine
    assert "安全教育平台统计" in mine
    assert "上周的检查" not in mine and "未下发的草稿" not in mine
    other = county.client("teacher_b").get("/").content.decode()
    assert "安全教育平台统计" not in other


def test_the_principal_sees_the_spread_and_no_names(
    county: County, week: dict[str, Any], settings: Any
) -> None:
    settings.QINGFU_TODAY = TODAY.isoformat()
    settings.QINGFU_CLOCK = "10:00"
    a = county.world.a
    html = county.client("admin_a").get("/").content.decode()
    spread = _section(html, "教师本周非教学工作时长")
    totals = [sum(_recount(a, t)) for t in Teacher.objects.filter(school=a)]
    expected = distribution(TeacherWeek(i, {}, t) for i, t in enumerate(totals))
    for key, value in (
        ("teachers", expected.teachers),
        ("mean", expected.mean),
        ("median", expected.median),
        ("highest", expected.highest),
    ):
        found = re.search(rf'data-spread="{key}">.*?<b>([\d.]+)</b>', spread, re.S)
        assert found and float(found[1]) == round(value, 1), key
    for label, n in expected.bands:
        assert re.search(rf'data-band="{label}"><td>[^<]+</td><td class="num">{n}</td>', spread)
    for teacher in Teacher.objects.filter(school=a):
        assert teacher.name not in spread
