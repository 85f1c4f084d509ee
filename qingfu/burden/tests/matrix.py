"""Burden in the role matrix (qingfu/core/tests/matrix.py): the clerk's demands, the
approval queues, the receiver's month and its report, the 一表通 download, the campaign
office's board, and the burden API. None of the world's roles holds a unit role (clerk,
leader, campaign officer, receiver of a town): those pages answer everyone the uniform 404
and their writes change nothing. A school's admin receives for its school: admin_a reads
and reports on school A's month and downloads A's data request; admin_b, in the same
county, may report too, for school B (the first school it runs). The unit roles' own
allowed and refused requests are in test_services.py, test_pages.py and test_api.py. The
matrix's day is 2026-11-23."""

from __future__ import annotations

import datetime as dt

from qingfu.burden.models import (
    AppOrGroup,
    Demand,
    InspectionPlanEntry,
    ListEntry,
    UnregisteredReport,
)
from qingfu.burden.services import demand_receivers_set
from qingfu.conftest import World
from qingfu.core.tests.matrix import SIGNED_IN, Case, Request
from qingfu.schools.models import Unit

DAY = dt.date(2026, 12, 15)  # after the matrix's day, outside the meeting-free week
NOBODY = frozenset[str]()
ADMIN_A = frozenset({"admin_a"})
SCHOOL_ADMINS = frozenset({"admin_a", "admin_b"})


def _unit(w: World, kind: str, code: str) -> Unit:
    unit, _ = Unit.objects.get_or_create(
        district=w.d1, code=code, defaults={"kind": kind, "name": f"县{code}"}
    )
    return unit


def _office(w: World) -> Unit:
    return _unit(w, Unit.Kind.OFFICE, "MZJ")


def _town(w: World) -> Unit:
    return _unit(w, Unit.Kind.TOWN, "T1")


def _demand(w: World, *, status: str = Demand.Status.SENT, kind: str = "data_request") -> Demand:
    demand = Demand.objects.create(
        district=w.d1,
        issuer=_office(w),
        kind=kind,
        title="学校基本情况统计",
        day=dt.date(2026, 11, 20),
        staff_hours=2.0,
        field_list="班级数、学生数、食堂从业人员数",
        status=status,
    )
    demand_receivers_set(demand, units=[_town(w)], schools=[w.a])
    return demand


def _math3(w: World) -> int:
    return int(w.users["math3"].teacher.pk)


def _demand_form(w: World) -> Request:
    return "/burden/demands/", {
        "action": "submit",
        "issuer": _office(w).pk,
        "kind": "meeting",
        "title": "推进会",
        "day": DAY.isoformat(),
        "receiver_units": [_town(w).pk],
        "staff_hours": "2",
    }


def _decision(w: World) -> Request:
    demand = _demand(w, status=Demand.Status.PENDING_LEADER, kind="inspection")
    return "/burden/approvals/", {"demand": demand.pk, "role": "leader", "approve": "1"}


def _report_form(w: World) -> Request:
    return "/burden/received/", {
        "issuer": _office(w).pk,
        "what": "微信群要求上报截图",
        "day": "2026-11-20",
        "channel": "wechat",
    }


def _report(w: World) -> UnregisteredReport:
    return UnregisteredReport.objects.create(
        district=w.d1,
        receiver_school=w.a,
        issuer=_office(w),
        what="电话通知报台账",
        day=dt.date(2026, 11, 20),
        channel="phone",
    )


def _plan_entry(w: World) -> InspectionPlanEntry:
    return InspectionPlanEntry.objects.create(
        district=w.d1, issuer=_office(w), year=2026, title="食品安全检查", month=12
    )


def _list_entry(w: World) -> ListEntry:
    return ListEntry.objects.create(district=w.d1, kind="campus_activity", name="交通安全进校园")


def _app(w: World) -> AppOrGroup:
    return AppOrGroup.objects.create(
        district=w.d1, unit=_town(w), name="镇工作群", kind="wechat", status="kept"
    )


def _app_body(w: World) -> dict[str, object]:
    return {"unit_id": _town(w).pk, "name": "镇工作群", "kind": "wechat", "status": "closed"}


CASES = [
    # --- pages ---
    Case("burden/demands/", lambda w: "/burden/demands/"),
    Case("burden/demands/", _demand_form, "POST"),
    Case("burden/approvals/", lambda w: "/burden/approvals/"),
    Case("burden/approvals/", _decision, "POST"),
    Case("burden/received/", lambda w: "/burden/received/", allowed=SCHOOL_ADMINS),
    Case("burden/received/", _report_form, "POST", allowed=SCHOOL_ADMINS),
    # An observation point's monthly report: only a receiver of a point may send it; a
    # school's admin receives as a school, which is no point.
    Case(
        "burden/received/",
        lambda w: (
            "/burden/received/",
            {
                "action": "observe",
                "month": "2026-11-01",
                "hours": "30",
                "unregistered": "0",
                "compared": "same",
            },
        ),
        "POST",
        note="observation",
    ),
    # The principal names the teachers who handle a demand sent to the school (承办人):
    # admin_a for school A; admin_b runs school B, which did not receive it.
    Case(
        "burden/received/",
        lambda w: (
            "/burden/received/",
            {"action": "handlers", "demand": _demand(w).pk, "teachers": [_math3(w)]},
        ),
        "POST",
        allowed=ADMIN_A,
        note="handlers",
    ),
    Case(
        "burden/demands/<int:demand_id>/answer.xlsx",
        lambda w: f"/burden/demands/{_demand(w).pk}/answer.xlsx",
        allowed=ADMIN_A,
    ),
    Case("burden/board/", lambda w: "/burden/board/"),
    Case("burden/apps/", lambda w: "/burden/apps/"),
    Case(
        "burden/apps/",
        lambda w: ("/burden/apps/", {"action": "status", "app": _app(w).pk, "status": "closed"}),
        "POST",
    ),
    Case(
        "burden/board/",
        lambda w: ("/burden/board/", {"report": _report(w).pk, "note": "已处理"}),
        "POST",
    ),
    # The year's plan, the county's lists and the observation points: unit roles only.
    Case("burden/plan/", lambda w: "/burden/plan/"),
    Case(
        "burden/plan/",
        lambda w: (
            "/burden/plan/",
            {"action": "add", "issuer": _office(w).pk, "year": "2026", "title": "养老机构检查"},
        ),
        "POST",
    ),
    Case(
        "burden/plan/",
        lambda w: ("/burden/plan/", {"action": "remove", "entry": _plan_entry(w).pk}),
        "POST",
        note="remove",
    ),
    Case("burden/lists/", lambda w: "/burden/lists/"),
    Case(
        "burden/lists/",
        lambda w: ("/burden/lists/", {"action": "add", "kind": "task", "name": "人口普查"}),
        "POST",
    ),
    Case(
        "burden/lists/",
        lambda w: ("/burden/lists/", {"action": "remove", "entry": _list_entry(w).pk}),
        "POST",
        note="remove",
    ),
    Case("burden/points/", lambda w: "/burden/points/"),
    Case("burden/points/", lambda w: ("/burden/points/", {"units": [_town(w).pk]}), "POST"),
    # --- the API ---
    Case("GET /api/v1/burden/demands", lambda w: "/api/v1/burden/demands", allowed=SIGNED_IN),
    Case(
        "POST /api/v1/burden/demands",
        lambda w: (
            "/api/v1/burden/demands",
            {
                "issuer_id": _office(w).pk,
                "kind": "meeting",
                "title": "推进会",
                "day": DAY.isoformat(),
                "receiver_unit_ids": [_town(w).pk],
            },
        ),
        "POST",
        json=True,
        # No one of the world is a clerk of the office: the issuer is refused by name.
        answers=dict.fromkeys(SIGNED_IN, 422),
    ),
    Case(
        "GET /api/v1/burden/demands/{demand_id}",
        lambda w: f"/api/v1/burden/demands/{_demand(w).pk}",
        allowed=ADMIN_A,
    ),
    Case(
        "POST /api/v1/burden/demands/{demand_id}/decisions",
        lambda w: (
            f"/api/v1/burden/demands/{_demand(w, status='pending_leader', kind='inspection').pk}/decisions",
            {"role": "leader", "approve": True},
        ),
        "POST",
        json=True,
    ),
    Case(
        "GET /api/v1/burden/received",
        lambda w: f"/api/v1/burden/received?school_id={w.a.pk}",
        allowed=ADMIN_A,
    ),
    Case("GET /api/v1/burden/reports", lambda w: "/api/v1/burden/reports", allowed=SIGNED_IN),
    Case(
        "POST /api/v1/burden/reports",
        lambda w: (
            "/api/v1/burden/reports",
            {
                "school_id": w.a.pk,
                "issuer_id": _office(w).pk,
                "what": "微信群要求上报截图",
                "day": "2026-11-20",
                "channel": "wechat",
            },
        ),
        "POST",
        json=True,
        allowed=ADMIN_A,
    ),
    Case(
        "POST /api/v1/burden/reports/{report_id}/handling",
        lambda w: (f"/api/v1/burden/reports/{_report(w).pk}/handling", {"note": "已处理"}),
        "POST",
        json=True,
    ),
    Case("GET /api/v1/burden/apps", lambda w: "/api/v1/burden/apps", allowed=SIGNED_IN),
    Case(
        "POST /api/v1/burden/apps",
        lambda w: ("/api/v1/burden/apps", _app_body(w)),
        "POST",
        json=True,
    ),
    Case(
        "PUT /api/v1/burden/apps/{app_id}",
        lambda w: (f"/api/v1/burden/apps/{_app(w).pk}", _app_body(w)),
        "PUT",
        json=True,
    ),
    Case(
        "GET /api/v1/burden/demands/{demand_id}/handlers",
        lambda w: f"/api/v1/burden/demands/{_demand(w).pk}/handlers?school_id={w.a.pk}",
        allowed=ADMIN_A,
    ),
    Case(
        "PUT /api/v1/burden/demands/{demand_id}/handlers",
        lambda w: (
            f"/api/v1/burden/demands/{_demand(w).pk}/handlers",
            {"school_id": w.a.pk, "teacher_ids": [_math3(w)]},
        ),
        "PUT",
        json=True,
        allowed=ADMIN_A,
    ),
    Case("GET /api/v1/burden/board", lambda w: "/api/v1/burden/board"),
    # The plan, the lists and the observation points through the API: no one of the world
    # holds a unit role, so the plan is an empty list and the rest is not found.
    Case(
        "GET /api/v1/burden/plan-entries",
        lambda w: "/api/v1/burden/plan-entries",
        allowed=SIGNED_IN,
    ),
    Case(
        "POST /api/v1/burden/plan-entries",
        lambda w: (
            "/api/v1/burden/plan-entries",
            {"issuer_id": _office(w).pk, "year": 2026, "title": "养老机构检查"},
        ),
        "POST",
        json=True,
    ),
    Case(
        "DELETE /api/v1/burden/plan-entries/{entry_id}",
        lambda w: f"/api/v1/burden/plan-entries/{_plan_entry(w).pk}",
        "DELETE",
    ),
    Case("GET /api/v1/burden/list-entries", lambda w: "/api/v1/burden/list-entries"),
    Case(
        "POST /api/v1/burden/list-entries",
        lambda w: ("/api/v1/burden/list-entries", {"kind": "task", "name": "人口普查"}),
        "POST",
        json=True,
    ),
    Case(
        "DELETE /api/v1/burden/list-entries/{entry_id}",
        lambda w: f"/api/v1/burden/list-entries/{_list_entry(w).pk}",
        "DELETE",
    ),
    Case("GET /api/v1/burden/observation-points", lambda w: "/api/v1/burden/observation-points"),
    Case(
        "PUT /api/v1/burden/observation-points",
        lambda w: ("/api/v1/burden/observation-points", {"unit_ids": [_town(w).pk]}),
        "PUT",
        json=True,
    ),
]
