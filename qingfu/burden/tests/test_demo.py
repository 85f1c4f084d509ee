"""The demo county: its units, accounts and a year of demands that tell the seeds' story."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from qingfu.burden import answers, selectors
from qingfu.burden.models import AppOrGroup, Demand, UnregisteredReport
from qingfu.schools.actors import actor_for
from qingfu.schools.models import School, Unit

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 23)


def test_the_demo_county(settings: object) -> None:
    settings.QINGFU_TODAY = DAY.isoformat()  # type: ignore[attr-defined]
    settings.QINGFU_CLOCK = "18:00"  # type: ignore[attr-defined]
    call_command(
        "demo",
        "--classes-per-grade",
        "1",
        "--students-per-class",
        "3",
        "--today",
        DAY.isoformat(),
        stdout=StringIO(),
    )
    assert Unit.objects.filter(kind=Unit.Kind.TOWN).count() == 3
    assert Unit.objects.filter(kind=Unit.Kind.COMMUNITY).count() == 12
    assert Unit.objects.filter(kind=Unit.Kind.OFFICE).count() >= 5
    jianfu = actor_for(User.objects.get(username="jianfu"))
    district = min(selectors.campaign_districts(jianfu))
    board = selectors.board_for(jianfu, district, today=DAY)
    year = {c.kind: c for c in board.counts if c.first == dt.date(2026, 1, 1) and c.last == DAY}
    assert year["document"].count < year["document"].last_year
    assert year["inspection"].count > year["inspection"].last_year  # the office that keeps checking
    assert board.issuers[0][0] == "县应急管理局"
    assert board.refused > 0 and board.exceptions > 0 and board.reports_open > 0
    assert board.apps["closed"] > board.apps["kept"]
    assert selectors.leader_queue(actor_for(User.objects.get(username="leader"))).exists()
    assert selectors.office_queue(jianfu).exists()
    town1 = actor_for(User.objects.get(username="town1"))
    assert selectors.demands_received(
        town1, unit_id=min(town1.units_as()), first=DAY.replace(day=1), last=DAY
    ).exists()
    principal = actor_for(User.objects.get(username="principal"))
    request = Demand.objects.get(kind="data_request")
    school = School.objects.get(code="Q0001")
    answer = answers.data_request_answer(principal, request.pk, school_id=school.pk, today=DAY)
    assert answer.answered * 2 == answer.asked  # half answered from records
    assert UnregisteredReport.objects.exists() and AppOrGroup.objects.exists()
    # The principal has named handlers: math32's home shows the share, the principal's the
    # school's spread.
    from django.test import Client

    from qingfu.burden.models import DemandHandler

    assert DemandHandler.objects.filter(demand=request, school=school).count() == 2
    client = Client()
    client.force_login(User.objects.get(username="math32"))
    home = client.get("/").content.decode()
    assert "我本周的非教学工作" in home and request.title in home
    client.force_login(User.objects.get(username="principal"))
    assert "教师本周非教学工作时长" in client.get("/").content.decode()


def recounted() -> list[tuple[int, int, int]]:
    """Each demand's receivers counted from its links, beside the counts it keeps."""
    from django.db.models import Count

    rows = Demand.objects.annotate(
        units=Count("receiver_units", distinct=True),
        schools=Count("receiver_schools", distinct=True),
    ).values_list("pk", "units", "schools")
    return sorted(rows)


def stored() -> list[tuple[int, int, int]]:
    return sorted(Demand.objects.values_list("pk", "receiver_unit_count", "receiver_school_count"))


def test_each_demand_keeps_its_receivers_counted(settings: object) -> None:
    """The counts a demand keeps (the board's hours read them instead of the links) equal a
    recount of its links: for the demo's bulk year, its demands set one by one, a demand
    submitted and then changed through the service, and after a bulk recount."""
    from qingfu.burden.services import receiver_counts_refresh

    settings.QINGFU_TODAY = DAY.isoformat()  # type: ignore[attr-defined]
    settings.QINGFU_CLOCK = "18:00"  # type: ignore[attr-defined]
    call_command(
        "demo", "--classes-per-grade", "1", "--students-per-class", "3",
        "--today", DAY.isoformat(), stdout=StringIO(),
    )  # fmt: skip
    assert Demand.objects.filter(receiver_unit_count__gt=0).count() > 100
    assert Demand.objects.filter(receiver_school_count__gt=0).exists()
    assert stored() == recounted()
    Demand.objects.update(receiver_unit_count=0, receiver_school_count=0)
    assert stored() != recounted()  # the comparison sees a stale count
    receiver_counts_refresh(Demand.objects.all())
    assert stored() == recounted()
