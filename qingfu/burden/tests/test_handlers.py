"""The principal names the teachers who handle (承办) a demand sent to the school: only the
school's teachers, only a demand the school received; the list replaces the last; every
refusal leaves the handlers as they were. Through the service, the page and the API."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from qingfu.burden import services
from qingfu.burden.models import Demand, DemandHandler
from qingfu.burden.services import demand_receivers_set
from qingfu.burden.tests.helpers import TODAY, County
from qingfu.core.errors import NotFound, ValidationFailed
from qingfu.schools.actors import actor_for
from qingfu.schools.models import School, Teacher
from qingfu.schools.tests import factories as f

pytestmark = pytest.mark.django_db


def _sent(county: County, *schools: School, status: str = "sent") -> Demand:
    demand = Demand.objects.create(
        district=county.world.d1,
        issuer=county.office,
        kind="data_request",
        title="学生体质健康数据填报",
        day=TODAY - dt.timedelta(days=2),
        staff_hours=6.0,
        status=status,
    )
    demand_receivers_set(demand, units=[], schools=list(schools))
    return demand


def _teacher(county: County, who: str) -> Teacher:
    return county.world.users[who].teacher


def _handlers(demand: Demand) -> list[tuple[int, int]]:
    return sorted(
        DemandHandler.objects.filter(demand=demand).values_list("school_id", "teacher_id")
    )


def _admin(county: County, who: str = "admin_a"):  # type: ignore[no-untyped-def]
    return actor_for(county.world.users[who])


def test_the_principal_names_handlers_and_a_new_list_replaces_the_last(county: County) -> None:
    a = county.world.a
    demand = _sent(county, a)
    math3, head31 = _teacher(county, "math3"), _teacher(county, "head31")
    named = services.demand_handlers_set(
        actor=_admin(county), school_id=a.pk, demand_id=demand.pk, teacher_ids=[math3.pk, head31.pk]
    )
    assert [t.pk for t in named] == [math3.pk, head31.pk]
    assert _handlers(demand) == sorted([(a.pk, math3.pk), (a.pk, head31.pk)])
    row = DemandHandler.objects.filter(demand=demand).first()
    assert row is not None and row.district_id == county.world.d1.pk
    services.demand_handlers_set(
        actor=_admin(county), school_id=a.pk, demand_id=demand.pk, teacher_ids=[head31.pk]
    )
    assert _handlers(demand) == [(a.pk, head31.pk)]
    services.demand_handlers_set(
        actor=_admin(county), school_id=a.pk, demand_id=demand.pk, teacher_ids=[]
    )
    assert _handlers(demand) == []


def test_each_school_names_its_own_handlers(county: County) -> None:
    a, b = county.world.a, county.world.b
    demand = _sent(county, a, b)
    services.demand_handlers_set(
        actor=_admin(county),
        school_id=a.pk,
        demand_id=demand.pk,
        teacher_ids=[_teacher(county, "math3").pk],
    )
    teacher_b = _teacher(county, "teacher_b")
    services.demand_handlers_set(
        actor=_admin(county, "admin_b"),
        school_id=b.pk,
        demand_id=demand.pk,
        teacher_ids=[teacher_b.pk],
    )
    services.demand_handlers_set(
        actor=_admin(county), school_id=a.pk, demand_id=demand.pk, teacher_ids=[]
    )
    assert _handlers(demand) == [(b.pk, teacher_b.pk)]


def test_another_schools_teacher_is_refused_and_nothing_changes(county: County) -> None:
    a = county.world.a
    demand = _sent(county, a)
    math3 = _teacher(county, "math3")
    services.demand_handlers_set(
        actor=_admin(county), school_id=a.pk, demand_id=demand.pk, teacher_ids=[math3.pk]
    )
    stranger = _teacher(county, "teacher_b")
    with pytest.raises(ValidationFailed) as refused:
        services.demand_handlers_set(
            actor=_admin(county),
            school_id=a.pk,
            demand_id=demand.pk,
            teacher_ids=[stranger.pk, 999999],
        )
    assert "teachers" in refused.value.errors
    assert _handlers(demand) == [(a.pk, math3.pk)]


@pytest.mark.parametrize("case", ["other school", "not received", "draft", "not admin"])
def test_a_demand_the_school_did_not_receive_is_not_found(county: County, case: str) -> None:
    a, b = county.world.a, county.world.b
    demand = _sent(
        county, b if case == "not received" else a, status="draft" if case == "draft" else "sent"
    )
    who = {"other school": "admin_b", "not admin": "math3"}.get(case, "admin_a")
    with pytest.raises(NotFound):
        services.demand_handlers_set(
            actor=_admin(county, who),
            school_id=a.pk,
            demand_id=demand.pk,
            teacher_ids=[_teacher(county, "math3").pk],
        )
    assert _handlers(demand) == []


def test_the_receiver_page_names_handlers_and_shows_them(county: County) -> None:
    a = county.world.a
    demand = _sent(county, a)
    math3 = _teacher(county, "math3")
    client = county.client("admin_a")
    page = client.get("/burden/received/")
    assert page.status_code == 200
    assert "指定承办人" in page.content.decode()
    answer = client.post(
        "/burden/received/", {"action": "handlers", "demand": demand.pk, "teachers": [math3.pk]}
    )
    assert answer.status_code == 302
    assert _handlers(demand) == [(a.pk, math3.pk)]
    page = client.get("/burden/received/")
    assert f'value="{math3.pk}" checked' in page.content.decode()
    refused = client.post(
        "/burden/received/",
        {"action": "handlers", "demand": demand.pk, "teachers": [_teacher(county, "teacher_b").pk]},
    )
    assert refused.status_code == 422
    assert "不是本校的教师" in refused.content.decode()
    assert _handlers(demand) == [(a.pk, math3.pk)]


def test_the_api_reads_and_writes_handlers(county: County) -> None:
    a = county.world.a
    demand = _sent(county, a)
    math3 = _teacher(county, "math3")
    client = county.client("admin_a")
    path = f"/api/v1/burden/demands/{demand.pk}/handlers"
    put = client.put(
        path,
        json.dumps({"school_id": a.pk, "teacher_ids": [math3.pk]}),
        content_type="application/json",
    )
    assert put.status_code == 200, put.content
    assert put.json()["teachers"] == [{"id": math3.pk, "name": math3.name}]
    got = client.get(f"{path}?school_id={a.pk}")
    assert got.json() == put.json()
    bad = client.put(
        path,
        json.dumps({"school_id": a.pk, "teacher_ids": [_teacher(county, "teacher_b").pk]}),
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert _handlers(demand) == [(a.pk, math3.pk)]
    assert client.get(f"{path}?school_id={county.world.b.pk}").status_code == 404


def test_a_teacher_without_an_account_may_be_named(county: County) -> None:
    a = county.world.a
    demand = _sent(county, a)
    plain = f.TeacherFactory(school=a)
    services.demand_handlers_set(
        actor=_admin(county), school_id=a.pk, demand_id=demand.pk, teacher_ids=[plain.pk]
    )
    assert _handlers(demand) == [(a.pk, plain.pk)]
