"""The burden registry's services: what is sent, what waits for whom, what is refused (and
that a refusal changes nothing), with the rule that decided."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from qingfu.burden import selectors, services
from qingfu.burden.data import AppInput, ReportInput
from qingfu.burden.models import AppOrGroup, Approval, Demand, UnregisteredReport
from qingfu.burden.tests.helpers import TODAY, County, demand_input, next_month_day
from qingfu.core.errors import NotFound, ValidationFailed
from qingfu.schools.actors import actor_for

pytestmark = pytest.mark.django_db


def _actor(county: County, who: str):  # type: ignore[no-untyped-def]
    return actor_for(county.users[who])


def _snapshot() -> tuple[object, ...]:
    return (
        list(Demand.objects.values_list("pk", "status", "verdicts")),
        list(Approval.objects.values_list("pk")),
    )


def test_a_plain_meeting_is_sent(county: County) -> None:
    clerk = _actor(county, "clerk")
    demand = services.demand_create_and_submit(
        actor=clerk, issuer_id=county.office.pk, data=demand_input(county)
    )
    assert demand.status == Demand.Status.SENT
    assert demand.sent_at is not None


def test_a_meeting_in_the_meeting_free_week_is_refused_and_stays_a_draft(county: County) -> None:
    clerk = _actor(county, "clerk")
    draft = services.demand_save(
        actor=clerk, issuer_id=county.office.pk, data=demand_input(county, day=next_month_day(3))
    )
    before = _snapshot()
    with pytest.raises(services.DemandRefused) as refused:
        services.demand_submit(actor=clerk, demand_id=draft.pk)
    assert [v.rule_id for v in refused.value.verdicts] == ["gr.meeting-free-week"]
    assert "gr.meeting-free-week" in refused.value.errors["__all__"][0]
    assert refused.value.verdicts[0].citation
    assert _snapshot() == before
    assert Demand.objects.get(pk=draft.pk).status == Demand.Status.DRAFT


def test_an_exception_with_a_reason_goes_to_the_leader(county: County) -> None:
    clerk = _actor(county, "clerk")
    demand = services.demand_create_and_submit(
        actor=clerk,
        issuer_id=county.office.pk,
        data=demand_input(county, day=next_month_day(3), exception_reason="省里紧急部署防汛"),
    )
    assert demand.status == Demand.Status.PENDING_LEADER
    assert demand in selectors.leader_queue(_actor(county, "leader"))
    with pytest.raises(NotFound):  # a clerk is no leader
        services.demand_decide(actor=clerk, demand_id=demand.pk, role="leader", approve=True)
    demand = services.demand_decide(
        actor=_actor(county, "leader"), demand_id=demand.pk, role="leader", approve=True
    )
    assert demand.status == Demand.Status.SENT
    approval = Approval.objects.get(demand=demand)
    assert (approval.role, approval.decision, approval.reason) == (
        "leader",
        "approved",
        "省里紧急部署防汛",
    )
    assert demand.is_exception


def test_an_unplanned_inspection_needs_the_leader_then_the_office(county: County) -> None:
    clerk = _actor(county, "clerk")
    demand = services.demand_create_and_submit(
        actor=clerk,
        issuer_id=county.office.pk,
        data=demand_input(county, kind="inspection", title="养老机构消防专项检查"),
    )
    assert demand.status == Demand.Status.PENDING_LEADER
    jianfu = _actor(county, "jianfu")
    with pytest.raises(NotFound):  # not the office's turn yet
        services.demand_decide(actor=jianfu, demand_id=demand.pk, role="office", approve=True)
    demand = services.demand_decide(
        actor=_actor(county, "leader"),
        demand_id=demand.pk,
        role="leader",
        approve=True,
        reason="确有必要",
    )
    assert demand.status == Demand.Status.PENDING_OFFICE
    assert demand in selectors.office_queue(jianfu)
    assert not selectors.office_queue(_actor(county, "far_jianfu")).exists()
    demand = services.demand_decide(actor=jianfu, demand_id=demand.pk, role="office", approve=True)
    assert demand.status == Demand.Status.SENT
    assert sorted(Approval.objects.filter(demand=demand).values_list("role", flat=True)) == [
        "leader",
        "office",
    ]


def test_the_office_may_refuse_with_a_reason(county: County) -> None:
    clerk = _actor(county, "clerk")
    demand = services.demand_create_and_submit(
        actor=clerk,
        issuer_id=county.office.pk,
        data=demand_input(county, kind="inspection", title="临时检查"),
    )
    leader = _actor(county, "leader")
    services.demand_decide(actor=leader, demand_id=demand.pk, role="leader", approve=True)
    jianfu = _actor(county, "jianfu")
    with pytest.raises(ValidationFailed):
        services.demand_decide(actor=jianfu, demand_id=demand.pk, role="office", approve=False)
    demand = services.demand_decide(
        actor=jianfu, demand_id=demand.pk, role="office", approve=False, reason="与年终考核合并"
    )
    assert demand.status == Demand.Status.REFUSED


def test_a_planned_inspection_is_sent(county: County) -> None:
    demand = services.demand_create_and_submit(
        actor=_actor(county, "clerk"),
        issuer_id=county.office.pk,
        data=demand_input(county, kind="inspection", plan_entry_id=county.plan.pk),
    )
    assert demand.status == Demand.Status.SENT


def test_an_unlisted_inspection_into_schools_is_refused(county: County) -> None:
    with pytest.raises(services.DemandRefused) as refused:
        services.demand_create_and_submit(
            actor=_actor(county, "clerk"),
            issuer_id=county.office.pk,
            data=demand_input(
                county,
                kind="inspection",
                receiver_unit_ids=(),
                receiver_school_ids=(county.world.a.pk,),
            ),
        )
    assert [v.rule_id for v in refused.value.verdicts] == ["tb.inspection-list"]


def test_an_unlisted_task_needs_funding_and_the_office(county: County) -> None:
    clerk = _actor(county, "clerk")
    with pytest.raises(services.DemandRefused) as refused:
        services.demand_create_and_submit(
            actor=clerk, issuer_id=county.office.pk, data=demand_input(county, kind="task")
        )
    assert "gr.funding" in [v.rule_id for v in refused.value.verdicts]
    demand = services.demand_create_and_submit(
        actor=clerk,
        issuer_id=county.office.pk,
        data=demand_input(county, kind="task", funding_amount=Decimal("50000")),
    )
    assert demand.status == Demand.Status.PENDING_OFFICE
    listed = services.demand_create_and_submit(
        actor=clerk,
        issuer_id=county.office.pk,
        data=demand_input(county, kind="task", list_entry_id=county.task.pk),
    )
    assert listed.status == Demand.Status.SENT


def test_a_second_meeting_of_the_same_audience_is_a_merge_suggestion(county: County) -> None:
    clerk = _actor(county, "clerk")
    services.demand_create_and_submit(
        actor=clerk, issuer_id=county.office.pk, data=demand_input(county)
    )
    with pytest.raises(services.DemandWarned) as warned:
        services.demand_create_and_submit(
            actor=_actor(county, "other_clerk"),
            issuer_id=county.other_office.pk,
            data=demand_input(county, title="卫生健康工作会", day=next_month_day(16)),
        )
    assert [v.rule_id for v in warned.value.verdicts] == ["gr.meetings"]
    draft_id = warned.value.draft_id  # type: ignore[attr-defined]
    demand = services.demand_submit(
        actor=_actor(county, "other_clerk"), demand_id=draft_id, confirm=True
    )
    assert demand.status == Demand.Status.SENT
    assert demand.verdicts[0]["rule_id"] == "gr.meetings"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"receiver_unit_ids": (999999,)}, "receivers"),
        ({"receiver_unit_ids": ()}, "receivers"),
        ({"day": TODAY - dt.timedelta(days=1)}, "day"),
        ({"kind": "data_request", "field_list": "学生数（含男、女"}, "field_list"),
        ({"kind": "inspection", "plan_entry_id": 999999}, "plan_entry"),
    ],
)
def test_bad_input_is_refused_and_saves_nothing(
    county: County, changes: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationFailed) as failed:
        services.demand_save(
            actor=_actor(county, "clerk"),
            issuer_id=county.office.pk,
            data=demand_input(county, **changes),
        )
    assert field in failed.value.errors
    assert not Demand.objects.exists()


def test_a_receiver_of_another_county_is_unknown(county: County) -> None:
    with pytest.raises(ValidationFailed) as failed:
        services.demand_save(
            actor=_actor(county, "clerk"),
            issuer_id=county.office.pk,
            data=demand_input(county, receiver_unit_ids=(county.far_town.pk,)),
        )
    assert "receivers" in failed.value.errors
    assert not Demand.objects.exists()


def test_a_forged_issuer_is_refused(county: County) -> None:
    with pytest.raises(ValidationFailed) as failed:
        services.demand_save(
            actor=_actor(county, "clerk"),
            issuer_id=county.other_office.pk,
            data=demand_input(county),
        )
    assert "issuer" in failed.value.errors
    assert not Demand.objects.exists()


def test_receivers_see_what_was_sent_to_them(county: County) -> None:
    services.demand_create_and_submit(
        actor=_actor(county, "clerk"), issuer_id=county.office.pk, data=demand_input(county)
    )
    day = next_month_day(15)
    first, last = day.replace(day=1), day.replace(day=28)
    town = selectors.demands_received(
        _actor(county, "town1"), unit_id=county.town.pk, first=first, last=last
    )
    assert [d.title for d in town] == ["养老服务工作推进会"]
    village = selectors.demands_received(
        _actor(county, "village1"), unit_id=county.villages[0].pk, first=first, last=last
    )
    assert not village.exists()
    with pytest.raises(NotFound):
        selectors.demands_received(
            _actor(county, "village1"), unit_id=county.town.pk, first=first, last=last
        )


def test_a_receiver_reports_and_the_office_handles(county: County) -> None:
    report = services.report_create(
        actor=_actor(county, "village1"),
        unit_id=county.villages[0].pk,
        data=ReportInput(
            issuer_id=county.other_office.pk,
            what="微信群里要求当天报送疫苗接种截图",
            day=TODAY,
            channel="wechat",
        ),
    )
    assert report.district_id == county.world.d1.pk
    with pytest.raises(NotFound):
        services.report_handle(actor=_actor(county, "far_jianfu"), report_id=report.pk, note="x")
    report = services.report_handle(
        actor=_actor(county, "jianfu"), report_id=report.pk, note="已约谈卫健委，改为系统内登记"
    )
    assert report.status == UnregisteredReport.Status.HANDLED
    with pytest.raises(ValidationFailed):
        services.report_create(
            actor=_actor(county, "village1"),
            unit_id=county.villages[0].pk,
            data=ReportInput(issuer_id=county.far_town.pk, what="x", day=TODAY, channel="wechat"),
        )
    assert UnregisteredReport.objects.count() == 1


def test_apps_with_forced_features_are_flagged(county: County) -> None:
    app = services.app_save(
        actor=_actor(county, "village1"),
        unit_id=county.villages[0].pk,
        data=AppInput(name="打卡群", kind="wechat", features=("check-in",)),
    )
    assert {v["rule_id"] for v in app.verdicts} >= {"gr.apps-groups"}
    with pytest.raises(NotFound):
        services.app_save(
            actor=_actor(county, "far_town"),
            unit_id=county.villages[0].pk,
            data=AppInput(name="x", kind="wechat"),
        )
    assert AppOrGroup.objects.count() == 1


def test_a_draft_s_receivers_are_counted_when_set_and_changed(county: County) -> None:
    """The service that sets a demand's receivers keeps their counts (test_demo recounts
    the demo's): a draft to the town and two villages, then changed to one village and a
    school."""
    from qingfu.burden import services
    from qingfu.schools.actors import actor_for

    clerk = actor_for(county.users["clerk"])
    data = demand_input(
        county, receiver_unit_ids=(county.town.pk, county.villages[0].pk, county.villages[1].pk)
    )
    demand = services.demand_save(actor=clerk, issuer_id=county.office.pk, data=data)
    demand.refresh_from_db()
    assert (demand.receiver_unit_count, demand.receiver_school_count) == (3, 0)
    changed = demand_input(
        county,
        receiver_unit_ids=(county.villages[0].pk,),
        receiver_school_ids=(county.world.a.pk,),
    )
    services.demand_save(actor=clerk, issuer_id=county.office.pk, data=changed, demand_id=demand.pk)
    demand.refresh_from_db()
    assert (demand.receiver_unit_count, demand.receiver_school_count) == (
        demand.receiver_units.count(), demand.receiver_schools.count(),
    ) == (1, 1)  # fmt: skip
