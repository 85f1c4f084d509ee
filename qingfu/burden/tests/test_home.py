"""The county's people land on a home that shows what waits for them in the registry (the
campaign office's home said "no role assigned" before), each figure counted from records."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from qingfu.burden import services
from qingfu.burden.models import Demand
from qingfu.burden.tests.helpers import County, demand_input, next_month_day
from qingfu.schools.actors import actor_for

pytestmark = pytest.mark.django_db


def _home(county: County, user: str) -> str:
    client = Client()
    client.force_login(county.users[user])
    return client.get("/").content.decode()


def _figure(html: str, label: str) -> int:
    found = re.search(label + r'</small><br><b><a href="[^"]+">(\d+)</a>', html)
    assert found, label
    return int(found[1])


def test_each_burden_role_sees_its_waiting_work_on_its_home(county: County, settings: Any) -> None:
    settings.QINGFU_CLOCK = "10:00"  # the day is pinned by the app's conftest
    clerk = actor_for(county.users["clerk"])
    services.demand_save(actor=clerk, issuer_id=county.office.pk, data=demand_input(county))
    services.demand_create_and_submit(
        actor=clerk,
        issuer_id=county.office.pk,
        data=demand_input(county, title="秋冬季养老机构安全会", day=next_month_day(20)),
    )

    home = _home(county, "clerk")
    assert "还没有分配角色" not in home
    assert _figure(home, "草稿") == 1
    waiting = Demand.objects.filter(
        status__in=[Demand.Status.PENDING_LEADER, Demand.Status.PENDING_OFFICE]
    ).count()
    sent = Demand.objects.filter(status=Demand.Status.SENT).count()
    assert waiting + sent == 1
    assert _figure(home, "待审核、审批") == waiting
    assert _figure(home, "本月已下发") == sent
    for user in ("leader", "jianfu", "town1"):
        home = _home(county, user)
        assert "还没有分配角色" not in home, user
    jianfu = _home(county, "jianfu")
    assert "/burden/board/" in jianfu and "/reports/burden/" in jianfu
    pending_office = Demand.objects.filter(status=Demand.Status.PENDING_OFFICE).count()
    assert _figure(jianfu, "待减负办审批的事项") == pending_office
    # The meeting falls next month: nothing has landed on the town this month yet.
    assert _figure(_home(county, "town1"), "本月落到本单位的事项") == 0
