"""The kinds only schools receive (教师减负): a social affair entering campus answers to the
county's whitelist and the per-semester limit (``tb.campus-whitelist``), a teacher's
secondment to the 6-month limit (``tb.secondment``); neither may be sent to a town."""

from __future__ import annotations

import datetime as dt

import pytest

from qingfu.burden import services
from qingfu.burden.models import Demand, ListEntry
from qingfu.burden.services import demand_receivers_set
from qingfu.burden.tests.helpers import County, demand_input, next_month_day
from qingfu.core.errors import ValidationFailed
from qingfu.schools.actors import actor_for

pytestmark = pytest.mark.django_db


def _submit(county: County, **changes: object) -> Demand:
    return services.demand_create_and_submit(
        actor=actor_for(county.users["clerk"]),
        issuer_id=county.office.pk,
        data=demand_input(
            county, receiver_unit_ids=(), receiver_school_ids=(county.world.a.pk,), **changes
        ),
        confirm=True,
    )


@pytest.fixture
def whitelist(county: County) -> ListEntry:
    return ListEntry.objects.create(
        district=county.world.d1, kind=ListEntry.Kind.CAMPUS_ACTIVITY, name="防溺水安全教育"
    )


def test_a_whitelisted_campus_activity_is_sent(county: County, whitelist: ListEntry) -> None:
    demand = _submit(
        county, kind="campus_activity", title="防溺水安全教育进校园", list_entry_id=whitelist.pk
    )
    assert demand.status == Demand.Status.SENT


def test_an_activity_off_the_whitelist_is_refused_with_the_rule(county: County) -> None:
    with pytest.raises(services.DemandRefused) as refused:
        _submit(county, kind="campus_activity", title="某品牌进校园宣传")
    assert [v.rule_id for v in refused.value.verdicts] == ["tb.campus-whitelist.list"]
    assert Demand.objects.get().status == Demand.Status.DRAFT


def test_the_semesters_limit_counts_what_the_school_already_has(
    county: County, whitelist: ListEntry
) -> None:
    day = next_month_day(15)
    for n in range(6):  # the national limit: 6 a semester
        held = Demand.objects.create(
            district=county.world.d1, issuer=county.office, kind="campus_activity",
            title=f"活动{n}", day=day - dt.timedelta(days=n), status="sent",
            list_entry=whitelist,
        )  # fmt: skip
        demand_receivers_set(held, units=(), schools=[county.world.a])
    with pytest.raises(services.DemandRefused) as refused:
        _submit(county, kind="campus_activity", title="第七项", list_entry_id=whitelist.pk, day=day)
    assert [v.rule_id for v in refused.value.verdicts] == ["tb.campus-whitelist"]
    assert refused.value.verdicts[0].measured == 7
    other = services.demand_create_and_submit(
        actor=actor_for(county.users["clerk"]), issuer_id=county.office.pk,
        data=demand_input(county, kind="campus_activity", title="另一所学校", day=day,
                          receiver_unit_ids=(), receiver_school_ids=(county.world.b.pk,),
                          list_entry_id=whitelist.pk),
    )  # fmt: skip
    assert other.status == Demand.Status.SENT


def test_a_secondment_over_six_months_is_refused(county: County) -> None:
    start = next_month_day(1)
    with pytest.raises(services.DemandRefused) as refused:
        _submit(
            county, kind="secondment", title="借调到县文旅局", day=start,
            last_day=start.replace(year=start.year + 1),
        )  # fmt: skip
    assert [v.rule_id for v in refused.value.verdicts] == ["tb.secondment"]
    ok = _submit(
        county, kind="secondment", title="借调三个月", day=start,
        last_day=start + dt.timedelta(days=80),
    )  # fmt: skip
    assert ok.status == Demand.Status.SENT


@pytest.mark.parametrize("kind", ["campus_activity", "secondment"])
def test_school_kinds_go_to_schools_only_and_a_secondment_needs_its_end(
    county: County, kind: str
) -> None:
    with pytest.raises(ValidationFailed) as bad:
        services.demand_create_and_submit(
            actor=actor_for(county.users["clerk"]), issuer_id=county.office.pk,
            data=demand_input(county, kind=kind, title="x"),
        )  # fmt: skip
    assert "receivers" in bad.value.errors
    assert ("last_day" in bad.value.errors) == (kind == "secondment")
    assert not Demand.objects.exists()
