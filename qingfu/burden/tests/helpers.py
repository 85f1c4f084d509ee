"""A county for the burden tests: offices, the campaign office, a town with communities,
and one person per role (in district d1 of the shared world; d2 is the other county)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest
from django.contrib.auth.models import User
from django.test import Client

from qingfu.burden.data import DemandInput
from qingfu.burden.models import InspectionPlanEntry, ListEntry
from qingfu.conftest import World, committed
from qingfu.core.roles import Role
from qingfu.schools.models import RoleGrant, Unit
from qingfu.schools.tests import factories as f

# The day the tests run on (a Tuesday; next month, December, starts on a Tuesday).
TODAY = dt.date(2026, 11, 10)


@dataclass
class County:
    world: World
    office: Unit  # 民政局, the clerk's and the leader's
    other_office: Unit  # 卫健委
    campaign: Unit  # 减负办
    town: Unit
    villages: list[Unit]
    far_town: Unit  # in d2
    plan: InspectionPlanEntry
    task: ListEntry
    users: dict[str, User] = field(default_factory=dict)

    def client(self, who: str) -> Client:
        if who in self.users:
            client = Client()
            client.force_login(self.users[who])
            return client
        return self.world.client(who)


def _unit(world: World, kind: str, name: str, code: str, parent: Unit | None = None) -> Unit:
    return Unit.objects.create(district=world.d1, kind=kind, name=name, code=code, parent=parent)


@pytest.fixture
def county(world: World) -> County:
    with committed():
        office = _unit(world, Unit.Kind.OFFICE, "县民政局", "MZJ")
        other = _unit(world, Unit.Kind.OFFICE, "县卫健委", "WJW")
        campaign = _unit(world, Unit.Kind.CAMPAIGN_OFFICE, "县减负办", "JFB")
        town = _unit(world, Unit.Kind.TOWN, "青禾镇", "T1")
        villages = [
            _unit(world, Unit.Kind.COMMUNITY, f"青禾{i}村", f"T1C{i}", town) for i in range(1, 5)
        ]
        far = Unit.objects.create(district=world.d2, kind=Unit.Kind.TOWN, name="远方镇", code="F1")
        far_office = Unit.objects.create(
            district=world.d2, kind=Unit.Kind.CAMPAIGN_OFFICE, name="外县减负办", code="WJFB"
        )
        plan = InspectionPlanEntry.objects.create(
            district=world.d1, issuer=office, year=TODAY.year, title="养老服务年度检查"
        )
        plan_next = TODAY.year + 1
        InspectionPlanEntry.objects.create(
            district=world.d1, issuer=office, year=plan_next, title="养老服务年度检查"
        )
        task = ListEntry.objects.create(
            district=world.d1, kind=ListEntry.Kind.TASK, name="低保入户核查"
        )
        users: dict[str, User] = {}
        for key, role, unit in (
            ("clerk", Role.ISSUER_CLERK, office),
            ("leader", Role.ISSUER_LEADER, office),
            ("other_clerk", Role.ISSUER_CLERK, other),
            ("jianfu", Role.CAMPAIGN_OFFICER, campaign),
            ("town1", Role.RECEIVER, town),
            ("village1", Role.RECEIVER, villages[0]),
            ("far_jianfu", Role.CAMPAIGN_OFFICER, far_office),
            ("far_town", Role.RECEIVER, far),
        ):
            users[key] = f.UserFactory(username=key)
            RoleGrant.objects.create(user=users[key], role=role, unit=unit)
    return County(world, office, other, campaign, town, villages, far, plan, task, users)


def next_month_day(day: int) -> dt.date:
    """Day ``day`` of next month (always in the future)."""
    today = TODAY
    year, month = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
    return dt.date(year, month, day)


def demand_input(county: County, **changes: object) -> DemandInput:
    values: dict[str, object] = {
        "kind": "meeting",
        "title": "养老服务工作推进会",
        "day": next_month_day(15),
        "receiver_unit_ids": (county.town.pk,),
        "staff_hours": 3.0,
        "attendee_level": "分管负责人",
    }
    values.update(changes)
    return DemandInput(**values)  # type: ignore[arg-type]
