"""The burden API: the same services as the pages, in the OpenAPI document; a refusal is a
422 naming the rule and its source and changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from qingfu.burden.models import AppOrGroup, Demand, UnregisteredReport
from qingfu.burden.tests.helpers import TODAY, County, next_month_day

pytestmark = pytest.mark.django_db


def _demand(county: County, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "issuer_id": county.office.pk,
        "kind": "meeting",
        "title": "养老服务工作推进会",
        "day": next_month_day(15).isoformat(),
        "receiver_unit_ids": [county.town.pk],
        "staff_hours": 3,
    }
    body.update(changes)
    return body


def _post(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.post(path, body, content_type="application/json")


def test_the_openapi_document_lists_the_burden_endpoints(county: County) -> None:
    paths = set(Client().get("/api/v1/openapi.json").json()["paths"])
    for path in (
        "/api/v1/burden/demands",
        "/api/v1/burden/demands/{demand_id}",
        "/api/v1/burden/demands/{demand_id}/decisions",
        "/api/v1/burden/received",
        "/api/v1/burden/reports",
        "/api/v1/burden/reports/{report_id}/handling",
        "/api/v1/burden/apps",
        "/api/v1/burden/apps/{app_id}",
        "/api/v1/burden/board",
    ):
        assert path in paths, path


def test_a_meeting_through_the_api(county: County) -> None:
    clerk = county.client("clerk")
    response = _post(clerk, "/api/v1/burden/demands", _demand(county))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "sent"
    listed = county.client("town1").get(
        "/api/v1/burden/received",
        {"unit_id": county.town.pk, "month": next_month_day(1).strftime("%Y-%m")},
    )
    assert [d["id"] for d in listed.json()] == [body["id"]]


def test_a_refusal_is_a_422_with_the_rule_and_changes_nothing(county: County) -> None:
    response = _post(
        county.client("clerk"),
        "/api/v1/burden/demands",
        _demand(county, day=next_month_day(2).isoformat()),
    )
    assert response.status_code == 422
    message = response.json()["message"]
    assert "gr.meeting-free-week" in message and "依据" in message
    assert Demand.objects.get().status == Demand.Status.DRAFT


def test_a_forged_issuer_and_bad_input_change_nothing(county: County) -> None:
    clerk = county.client("clerk")
    for body in (
        _demand(county, issuer_id=county.other_office.pk),
        _demand(county, receiver_unit_ids=[county.far_town.pk]),
        _demand(county, day="2020-01-01"),
        _demand(county, kind="data_request", field_list=""),
        _demand(county, staff_hours=-1),
    ):
        assert _post(clerk, "/api/v1/burden/demands", body).status_code == 422
    assert not Demand.objects.exists()


def test_decisions_reports_apps_and_board(county: County) -> None:
    body = _post(
        county.client("clerk"),
        "/api/v1/burden/demands",
        _demand(county, kind="inspection", title="临时检查"),
    ).json()
    assert body["status"] == "pending_leader"
    path = f"/api/v1/burden/demands/{body['id']}/decisions"
    assert (
        _post(county.client("jianfu"), path, {"role": "leader", "approve": True}).status_code == 404
    )
    assert (
        _post(county.client("leader"), path, {"role": "leader", "approve": True}).json()["status"]
        == "pending_office"
    )
    assert (
        _post(county.client("jianfu"), path, {"role": "office", "approve": True}).json()["status"]
        == "sent"
    )

    report = _post(
        county.client("village1"),
        "/api/v1/burden/reports",
        {
            "unit_id": county.villages[0].pk,
            "issuer_id": county.other_office.pk,
            "what": "钉钉群要求每日打卡截图",
            "day": TODAY.isoformat(),
            "channel": "dingtalk",
        },
    )
    assert report.status_code == 201
    handled = _post(
        county.client("jianfu"),
        f"/api/v1/burden/reports/{report.json()['id']}/handling",
        {"note": "已通知卫健委停止"},
    )
    assert handled.json()["status"] == "handled"
    assert UnregisteredReport.objects.get().status == "handled"

    app = _post(
        county.client("village1"),
        "/api/v1/burden/apps",
        {
            "unit_id": county.villages[0].pk,
            "name": "村务打卡群",
            "kind": "wechat",
            "features": ["check-in"],
        },
    )
    assert app.status_code == 201
    assert "gr.apps-groups" in {v["rule_id"] for v in app.json()["verdicts"]}
    closed = county.client("village1").put(
        f"/api/v1/burden/apps/{app.json()['id']}",
        {
            "unit_id": county.villages[0].pk,
            "name": "村务打卡群",
            "kind": "wechat",
            "status": "closed",
        },
        content_type="application/json",
    )
    assert closed.json()["status"] == "closed"
    assert AppOrGroup.objects.get().status == "closed"

    board = county.client("jianfu").get("/api/v1/burden/board").json()
    assert board["apps"]["closed"] == 1 and board["reports_handled"] == 1
    assert county.client("town1").get("/api/v1/burden/board").status_code == 404
