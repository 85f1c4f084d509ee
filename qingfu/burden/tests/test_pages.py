"""The burden pages through the Django client: a refusal shown next to the form with its
rule and source, bad input answered with 422 and nothing changed, the approval queues, the
receiver's month and report, and the office's handling of a report."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from qingfu.burden import services
from qingfu.burden.data import ReportInput
from qingfu.burden.models import AppOrGroup, Approval, Demand, UnregisteredReport
from qingfu.burden.tests.helpers import TODAY, County, demand_input, next_month_day
from qingfu.core.services import user_language_set
from qingfu.schools.actors import actor_for

pytestmark = pytest.mark.django_db


def _post(county: County, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "action": "submit",
        "issuer": county.office.pk,
        "kind": "meeting",
        "title": "养老服务工作推进会",
        "day": next_month_day(15).isoformat(),
        "receiver_units": [county.town.pk],
        "staff_hours": "3",
        "attendee_level": "分管负责人",
    }
    data.update(changes)
    return data


def _state() -> tuple[object, ...]:
    return (
        list(Demand.objects.values_list("pk", "status", "title")),
        Approval.objects.count(),
        UnregisteredReport.objects.count(),
    )


def test_the_clerk_sends_a_meeting(county: County) -> None:
    client = county.client("clerk")
    page = client.get("/burden/demands/")
    assert page.status_code == 200
    assert "青禾镇" in page.content.decode()
    response = client.post("/burden/demands/", _post(county))
    assert response.status_code == 302
    assert Demand.objects.get().status == Demand.Status.SENT


def test_a_meeting_in_the_meeting_free_week_shows_the_rule_and_its_source(county: County) -> None:
    client = county.client("clerk")
    response = client.post("/burden/demands/", _post(county, day=next_month_day(2).isoformat()))
    assert response.status_code == 422
    text = response.content.decode()
    assert 'id="refusal"' in text
    assert "每月第一周无会周" in text and "gr.meeting-free-week" not in text
    assert "依据" in text
    demand = Demand.objects.get()
    assert demand.status == Demand.Status.DRAFT
    # Submitting the same draft again with a reason sends it to the leader, no second row.
    response = client.post(
        "/burden/demands/",
        _post(
            county,
            day=next_month_day(2).isoformat(),
            draft=demand.pk,
            exception_reason="省防汛紧急部署",
        ),
    )
    assert response.status_code == 302
    assert list(Demand.objects.values_list("status", flat=True)) == ["pending_leader"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"receiver_units": [999999]}, "receivers"),
        ({"day": (TODAY - dt.timedelta(days=1)).isoformat()}, "day"),
        ({"day": "明天"}, "day"),
        ({"kind": "data_request", "field_list": "（学生数、班级数"}, "field_list"),
        ({"issuer": 0}, "issuer"),
        ({"kind": "spaceship"}, "kind"),
    ],
)
def test_bad_input_gets_422_and_changes_nothing(
    county: County, changes: dict[str, Any], field: str
) -> None:
    before = _state()
    response = county.client("clerk").post("/burden/demands/", _post(county, **changes))
    assert response.status_code == 422
    assert f'data-field="{field}"' in response.content.decode()
    assert _state() == before


def test_a_forged_issuer_gets_422_and_changes_nothing(county: County) -> None:
    before = _state()
    response = county.client("clerk").post(
        "/burden/demands/", _post(county, issuer=county.other_office.pk)
    )
    assert response.status_code == 422
    assert 'data-field="issuer"' in response.content.decode()
    assert _state() == before


def test_pages_are_not_found_for_the_wrong_people(county: County) -> None:
    assert county.client("town1").get("/burden/demands/").status_code == 404
    assert county.client("clerk").get("/burden/board/").status_code == 404
    assert county.client("clerk").get("/burden/approvals/").status_code == 404
    assert county.client("clerk").get("/burden/received/").status_code == 404
    assert county.client("anonymous").get("/burden/board/").status_code == 302


def test_the_unplanned_inspection_through_both_queues(county: County) -> None:
    county.client("clerk").post(
        "/burden/demands/", _post(county, kind="inspection", title="养老机构消防专项检查")
    )
    demand = Demand.objects.get()
    assert demand.status == Demand.Status.PENDING_LEADER
    # A warning kept on the demand, as the demo's merge suggestion is.
    Demand.objects.filter(pk=demand.pk).update(
        verdicts=[
            {
                "status": "warn",
                "rule_id": "gr.inspection-plan.merge",
                "message_zh": "同一单位同月有 2 项督查检查考核，建议合并为一次（青禾镇）",
                "message_en": "2 inspections on the same unit in one month: merge them (青禾镇)",
                "citation": "《关于解决形式主义突出问题为基层减负的通知》（中共中央办公厅，2019）",
            }
        ]
    )
    leader = county.client("leader")
    queue = leader.get("/burden/approvals/").content.decode()
    assert "养老机构消防专项检查" in queue
    # The rule by its title and document, never its id (the office read the raw id).
    assert "同月督查检查合并进行" in queue and "依据：《关于解决形式主义" in queue
    assert "gr.inspection-plan.merge" not in queue
    user_language_set(user=county.users["leader"], language="en")
    english = leader.get("/burden/approvals/").content.decode()
    assert "Merge inspections in the same month" in english
    assert "2 inspections on the same unit in one month" in english
    user_language_set(user=county.users["leader"], language="zh-hans")
    response = leader.post(
        "/burden/approvals/", {"demand": demand.pk, "role": "leader", "approve": "1"}
    )
    assert response.status_code == 302
    jianfu = county.client("jianfu")
    # The office may not act as the leader, nor refuse without a reason.
    before = _state()
    assert (
        jianfu.post(
            "/burden/approvals/", {"demand": demand.pk, "role": "leader", "approve": "1"}
        ).status_code
        == 404
    )
    assert (
        jianfu.post(
            "/burden/approvals/", {"demand": demand.pk, "role": "office", "approve": "0"}
        ).status_code
        == 422
    )
    assert _state() == before
    response = jianfu.post(
        "/burden/approvals/",
        {"demand": demand.pk, "role": "office", "approve": "1", "reason": "同意"},
    )
    assert response.status_code == 302
    assert Demand.objects.get().status == Demand.Status.SENT


def test_the_receiver_sees_the_month_and_reports(county: County) -> None:
    services.demand_create_and_submit(
        actor=actor_for(county.users["clerk"]),
        issuer_id=county.office.pk,
        data=demand_input(county),
    )
    client = county.client("town1")
    month = next_month_day(1).strftime("%Y-%m")
    text = client.get(f"/burden/received/?month={month}").content.decode()
    assert "养老服务工作推进会" in text
    assert "县民政局" in text
    response = client.post(
        "/burden/received/",
        {
            "issuer": county.other_office.pk,
            "what": "微信群要求当天上报接种截图",
            "day": TODAY.isoformat(),
            "channel": "wechat",
        },
    )
    assert response.status_code == 302
    report = UnregisteredReport.objects.get()
    assert report.receiver_unit == county.town
    bad = client.post(
        "/burden/received/",
        {"issuer": county.far_town.pk, "what": "x", "day": TODAY.isoformat(), "channel": "qq"},
    )
    assert bad.status_code == 422
    assert UnregisteredReport.objects.count() == 1
    board = county.client("jianfu")
    assert "微信群要求当天上报接种截图" in board.get("/burden/board/").content.decode()
    response = board.post("/burden/board/", {"report": report.pk, "note": "已约谈卫健委"})
    assert response.status_code == 302
    assert UnregisteredReport.objects.get().status == "handled"


def test_a_school_admin_receives_as_the_school(county: County) -> None:
    services.report_create(
        actor=actor_for(county.world.users["admin_a"]),
        school_id=county.world.a.pk,
        data=ReportInput(issuer_id=county.office.pk, what="x", day=TODAY, channel="phone"),
    )
    page = county.client("admin_a").get("/burden/received/")
    assert page.status_code == 200


def test_a_village_registers_and_closes_its_groups(county: County) -> None:
    client = county.client("village1")
    assert client.get("/burden/apps/").status_code == 200
    response = client.post(
        "/burden/apps/",
        {
            "action": "register",
            "unit": county.villages[0].pk,
            "name": "村两委打卡群",
            "kind": "dingtalk",
            "status": "kept",
            "features": ["check-in", "location"],
        },
    )
    assert response.status_code == 302
    app = AppOrGroup.objects.get()
    text = client.get("/burden/apps/").content.decode()
    assert "政务应用和工作群不搞指尖上的形式主义" in text and "gr.apps-groups" not in text
    # Another village's registration, or a stranger's change, is refused and changes nothing.
    before = list(AppOrGroup.objects.values_list("pk", "status"))
    forged = client.post(
        "/burden/apps/",
        {
            "action": "register",
            "unit": county.villages[1].pk,
            "name": "x",
            "kind": "qq",
            "status": "kept",
        },
    )
    assert forged.status_code == 404
    stranger = county.client("far_town").post(
        "/burden/apps/", {"action": "status", "app": app.pk, "status": "closed"}
    )
    assert stranger.status_code == 404
    assert list(AppOrGroup.objects.values_list("pk", "status")) == before
    response = client.post("/burden/apps/", {"action": "status", "app": app.pk, "status": "closed"})
    assert response.status_code == 302
    assert AppOrGroup.objects.get().status == "closed"
    assert county.client("clerk").get("/burden/apps/").status_code == 200
    assert county.client("admin_a").get("/burden/apps/").status_code == 404
