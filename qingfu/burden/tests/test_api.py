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


def test_the_plan_the_lists_and_the_points_through_the_api(county: County) -> None:
    """The API keeps the plan, the lists and the observation points through the pages'
    forms and services: what it adds, the pages show; what a page refuses, it refuses
    with the same message, and nothing changes."""
    from decimal import Decimal

    from qingfu.burden.models import InspectionPlanEntry, ListEntry
    from qingfu.schools.models import Unit

    paths = set(Client().get("/api/v1/openapi.json").json()["paths"])
    for path in (
        "/api/v1/burden/plan-entries",
        "/api/v1/burden/plan-entries/{entry_id}",
        "/api/v1/burden/list-entries",
        "/api/v1/burden/list-entries/{entry_id}",
        "/api/v1/burden/observation-points",
    ):
        assert path in paths, path

    clerk = county.client("clerk")
    body = {"issuer_id": county.office.pk, "year": TODAY.year, "title": "消防安全检查"}
    made = _post(clerk, "/api/v1/burden/plan-entries", {**body, "month": 12})
    assert made.status_code == 201, made.content
    entry = InspectionPlanEntry.objects.get(pk=made.json()["id"])
    assert (entry.issuer_id, entry.year, entry.title, entry.month) == (
        county.office.pk, TODAY.year, "消防安全检查", 12,
    )  # fmt: skip
    assert "消防安全检查" in clerk.get("/burden/plan/").content.decode()
    listed = clerk.get("/api/v1/burden/plan-entries", {"year": TODAY.year}).json()
    assert {e["title"] for e in listed} == {"养老服务年度检查", "消防安全检查"}
    in_county = county.client("jianfu").get("/api/v1/burden/plan-entries").json()
    assert {e["id"] for e in in_county} == {e["id"] for e in listed}

    def plans() -> list[tuple[int, int, str, int | None]]:
        return sorted(
            InspectionPlanEntry.objects.values_list("issuer_id", "year", "title", "month")
        )

    before = plans()
    for bad, field in (
        ({**body, "month": 13, "title": "另一项"}, "month"),  # the service's rule
        ({**body, "year": TODAY.year - 1, "title": "另一项"}, "year"),
        (body, "title"),  # already on the plan
        ({**body, "title": "   "}, "title"),  # the form's: required
    ):
        refused = _post(clerk, "/api/v1/burden/plan-entries", bad)
        assert refused.status_code == 422, (bad, refused.content)
        assert refused.json()["code"] and field in refused.json()["errors"], refused.json()
        page = clerk.post("/burden/plan/", {"action": "add", **_as_form(bad)})
        assert page.status_code == 422
        assert refused.json()["errors"][field][0] in page.content.decode()
    other = _post(county.client("other_clerk"), "/api/v1/burden/plan-entries", body)
    assert other.status_code == 404 and other.json()["code"]
    assert plans() == before
    assert (
        county.client("other_clerk").delete(f"/api/v1/burden/plan-entries/{entry.pk}").status_code
        == 404
    )
    gone = clerk.delete(f"/api/v1/burden/plan-entries/{entry.pk}")
    assert gone.status_code == 200 and gone.json()["id"] == entry.pk
    assert not InspectionPlanEntry.objects.filter(pk=entry.pk).exists()

    office = county.client("jianfu")
    added = _post(
        office,
        "/api/v1/burden/list-entries",
        {"kind": "task", "name": "人口普查入户", "funding_per_year": "5000"},
    )
    assert added.status_code == 201, added.content
    row = ListEntry.objects.get(pk=added.json()["id"])
    assert (row.district_id, row.kind, row.funding_per_year) == (
        county.world.d1.pk, "task", Decimal("5000.00"),
    )  # fmt: skip
    assert "人口普查入户" in office.get("/burden/lists/").content.decode()
    tasks = county.client("clerk").get("/api/v1/burden/list-entries", {"kind": "task"}).json()
    assert {t["name"] for t in tasks} == {"低保入户核查", "人口普查入户"}
    lists_before = sorted(ListEntry.objects.values_list("district_id", "kind", "name"))
    for bad in (
        {
            "kind": "certificate",
            "name": "户籍证明",
            "funding_per_year": "10",
        },  # funding: tasks only
        {"kind": "nonsense", "name": "x"},
        {"kind": "task", "name": "人口普查入户"},  # already listed
    ):
        assert _post(office, "/api/v1/burden/list-entries", bad).status_code == 422, bad
    assert (
        _post(
            county.client("clerk"), "/api/v1/burden/list-entries", {"kind": "task", "name": "y"}
        ).status_code
        == 404
    )
    far = _post(
        county.client("far_jianfu"),
        f"/api/v1/burden/list-entries?district={county.world.d1.pk}",
        {"kind": "task", "name": "越权"},
    )
    assert far.status_code == 404
    in_use = county.task
    Demand.objects.create(
        district=county.world.d1, issuer=county.office, kind="task", title="入户",
        day=TODAY, list_entry=in_use, status="sent",
    )  # fmt: skip
    kept = office.delete(f"/api/v1/burden/list-entries/{in_use.pk}")
    assert kept.status_code == 422 and "entry" in kept.json()["errors"]
    assert sorted(ListEntry.objects.values_list("district_id", "kind", "name")) == lists_before
    assert office.delete(f"/api/v1/burden/list-entries/{row.pk}").status_code == 200
    assert not ListEntry.objects.filter(pk=row.pk).exists()

    def points() -> list[int]:
        return sorted(Unit.objects.filter(is_observation_point=True).values_list("pk", flat=True))

    chosen = [county.villages[0].pk, county.villages[2].pk]
    put = office.put(
        "/api/v1/burden/observation-points",
        {"unit_ids": chosen},
        content_type="application/json",
    )
    assert put.status_code == 200, put.content
    assert points() == sorted(chosen)
    assert sorted(u["id"] for u in put.json() if u["is_observation_point"]) == sorted(chosen)
    got = office.get("/api/v1/burden/observation-points").json()
    assert {u["id"] for u in got} == {county.town.pk, *(v.pk for v in county.villages)}
    for who, ids, status in (
        ("jianfu", [county.far_town.pk], 422),  # another county's town
        ("jianfu", [county.office.pk], 422),  # an office is no receiver
        ("far_jianfu", [county.villages[1].pk], 422),
        ("town1", [county.villages[1].pk], 404),
    ):
        refused = county.client(who).put(
            "/api/v1/burden/observation-points", {"unit_ids": ids}, content_type="application/json"
        )
        assert refused.status_code == status, (who, refused.content)
        assert refused.json()["code"]
    assert points() == sorted(chosen)


def _as_form(body: dict[str, Any]) -> dict[str, Any]:
    return {
        "issuer": body["issuer_id"],
        "year": body["year"],
        "title": body["title"],
        "month": body.get("month") or "",
    }
