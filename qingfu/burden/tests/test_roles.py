"""The burden endpoints by the county's roles: for every endpoint, who gets through, and
that everyone else gets the uniform 404 (or the sign-in) with nothing changed. The shared
role matrix (qingfu/core/tests/matrix.py) runs the school roles; these are the unit roles
it does not have: the clerk and the leader of an office, another office's clerk, the
campaign office and another county's, a town, a village, another county's town, and the
admins of the two schools."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.db import transaction
from django.test import Client

from qingfu.burden.models import (
    AppOrGroup,
    Demand,
    InspectionPlanEntry,
    ListEntry,
    UnregisteredReport,
)
from qingfu.burden.services import demand_receivers_set
from qingfu.burden.tests.helpers import TODAY, County, next_month_day

pytestmark = pytest.mark.django_db

ROLES = (
    "anonymous",
    "clerk",
    "leader",
    "other_clerk",
    "jianfu",
    "far_jianfu",
    "town1",
    "village1",
    "far_town",
    "admin_a",
    "admin_b",
)
SIGNED_IN = frozenset(ROLES) - {"anonymous"}


def _checksum() -> str:
    digest = hashlib.sha256()
    for model in apps.get_app_config("burden").get_models(include_auto_created=True):
        digest.update(repr(list(model._base_manager.order_by("pk").values_list())).encode())
    return digest.hexdigest()


def _demand(county: County, status: str, kind: str = "data_request") -> Demand:
    demand = Demand.objects.create(
        district=county.world.d1,
        issuer=county.office,
        kind=kind,
        title="基本情况统计",
        day=TODAY,
        staff_hours=2.0,
        field_list="班级数、学生数",
        status=status,
    )
    demand_receivers_set(demand, units=[county.town], schools=[county.world.a])
    return demand


def _report(county: County) -> UnregisteredReport:
    return UnregisteredReport.objects.create(
        district=county.world.d1,
        receiver_unit=county.villages[0],
        issuer=county.other_office,
        what="群里要截图",
        day=TODAY,
        channel="wechat",
    )


def _app(county: County) -> AppOrGroup:
    return AppOrGroup.objects.create(
        district=county.world.d1, unit=county.villages[0], name="村群", kind="wechat"
    )


Build = Callable[[County], tuple[str, str, dict[str, Any] | None, bool]]
# (name, build -> (method, path, body, json), roles let through, whether they write)
UNIT_PEOPLE = frozenset(
    {"clerk", "leader", "other_clerk", "jianfu", "far_jianfu", "town1", "village1", "far_town"}
)
CASES: list[tuple[str, Build, frozenset[str], bool]] = [
    ("apps page", lambda c: ("GET", "/burden/apps/", None, False), UNIT_PEOPLE, False),
    (
        "closing a group on the page",
        lambda c: (
            "POST",
            "/burden/apps/",
            {"action": "status", "app": _app(c).pk, "status": "closed"},
            False,
        ),
        frozenset({"village1", "jianfu"}),
        True,
    ),
    (
        "demands page",
        lambda c: ("GET", "/burden/demands/", None, False),
        frozenset({"clerk", "other_clerk"}),
        False,
    ),
    (
        "submit a meeting",
        lambda c: (
            "POST",
            "/burden/demands/",
            {
                "issuer": c.office.pk,
                "kind": "meeting",
                "title": "推进会",
                "day": next_month_day(15).isoformat(),
                "receiver_units": [c.town.pk],
                "staff_hours": "1",
            },
            False,
        ),
        frozenset({"clerk"}),
        True,
    ),
    (
        "approvals page",
        lambda c: ("GET", "/burden/approvals/", None, False),
        frozenset({"leader", "jianfu", "far_jianfu"}),
        False,
    ),
    (
        "the leader's decision",
        lambda c: (
            "POST",
            "/burden/approvals/",
            {
                "demand": _demand(c, "pending_leader", "inspection").pk,
                "role": "leader",
                "approve": "1",
            },
            False,
        ),
        frozenset({"leader"}),
        True,
    ),
    (
        "the office's decision",
        lambda c: (
            "POST",
            f"/api/v1/burden/demands/{_demand(c, 'pending_office', 'inspection').pk}/decisions",
            {"role": "office", "approve": True},
            True,
        ),
        frozenset({"jianfu"}),
        True,
    ),
    (
        "received page",
        lambda c: ("GET", "/burden/received/", None, False),
        frozenset({"town1", "village1", "far_town", "admin_a", "admin_b"}),
        False,
    ),
    (
        "naming a demand's handlers",
        lambda c: (
            "POST",
            "/burden/received/",
            {
                "action": "handlers",
                "demand": _demand(c, "sent").pk,
                "teachers": [c.world.users["math3"].teacher.pk],
            },
            False,
        ),
        frozenset({"admin_a"}),
        True,
    ),
    (
        "naming a demand's handlers (API)",
        lambda c: (
            "PUT",
            f"/api/v1/burden/demands/{_demand(c, 'sent').pk}/handlers",
            {"school_id": c.world.a.pk, "teacher_ids": [c.world.users["math3"].teacher.pk]},
            True,
        ),
        frozenset({"admin_a"}),
        True,
    ),
    (
        "a demand's handlers (API)",
        lambda c: (
            "GET",
            f"/api/v1/burden/demands/{_demand(c, 'sent').pk}/handlers?school_id={c.world.a.pk}",
            None,
            False,
        ),
        frozenset({"admin_a"}),
        False,
    ),
    (
        "the town's data request",
        lambda c: ("GET", f"/burden/demands/{_demand(c, 'sent').pk}/answer.xlsx", None, False),
        frozenset({"town1", "admin_a"}),
        False,
    ),
    (
        "a village's report",
        lambda c: (
            "POST",
            "/api/v1/burden/reports",
            {
                "unit_id": c.villages[0].pk,
                "issuer_id": c.office.pk,
                "what": "x",
                "day": TODAY.isoformat(),
                "channel": "qq",
            },
            True,
        ),
        frozenset({"village1"}),
        True,
    ),
    (
        "handling a report",
        lambda c: ("POST", "/burden/board/", {"report": _report(c).pk, "note": "已处理"}, False),
        frozenset({"jianfu"}),
        True,
    ),
    (
        "board page",
        lambda c: ("GET", "/burden/board/", None, False),
        frozenset({"jianfu", "far_jianfu"}),
        False,
    ),
    (
        "a demand's detail",
        lambda c: ("GET", f"/api/v1/burden/demands/{_demand(c, 'sent').pk}", None, False),
        frozenset({"clerk", "leader", "jianfu", "town1", "admin_a"}),
        False,
    ),
    (
        "closing a village's group",
        lambda c: (
            "PUT",
            f"/api/v1/burden/apps/{_app(c).pk}",
            {"unit_id": c.villages[0].pk, "name": "村群", "kind": "wechat", "status": "closed"},
            True,
        ),
        frozenset({"village1", "jianfu"}),
        True,
    ),
]


def _plan_entry(county: County) -> InspectionPlanEntry:
    return InspectionPlanEntry.objects.create(
        district=county.world.d1, issuer=county.office, year=TODAY.year, title="临时检查"
    )


def _list_entry(county: County) -> ListEntry:
    return ListEntry.objects.create(
        district=county.world.d1, kind=ListEntry.Kind.CERTIFICATE, name="居住证明"
    )


ISSUERS = frozenset({"clerk", "leader"})
OFFICES = frozenset({"jianfu", "far_jianfu"})
CASES += [
    # The year's plan, the county's lists and the observation points through the API.
    (
        "plan entries (API)",
        lambda c: ("GET", "/api/v1/burden/plan-entries", None, False),
        SIGNED_IN,  # each sees its own offices' (or county's): nothing, for most
        False,
    ),
    (
        "filing a plan entry (API)",
        lambda c: (
            "POST",
            "/api/v1/burden/plan-entries",
            {"issuer_id": c.office.pk, "year": TODAY.year, "title": "消防安全检查", "month": 12},
            True,
        ),
        ISSUERS,
        True,
    ),
    (
        "removing a plan entry (API)",
        lambda c: ("DELETE", f"/api/v1/burden/plan-entries/{_plan_entry(c).pk}", None, True),
        ISSUERS,
        True,
    ),
    (
        "lists (API)",
        lambda c: ("GET", "/api/v1/burden/list-entries", None, False),
        OFFICES | ISSUERS | {"other_clerk"},
        False,
    ),
    (
        "adding to a list (API)",
        lambda c: (
            "POST",
            "/api/v1/burden/list-entries",
            {"kind": "task", "name": "人口普查入户", "funding_per_year": "5000"},
            True,
        ),
        OFFICES,  # each to its own county's list
        True,
    ),
    (
        "removing a list entry (API)",
        lambda c: ("DELETE", f"/api/v1/burden/list-entries/{_list_entry(c).pk}", None, True),
        frozenset({"jianfu"}),
        True,
    ),
    (
        "observation points (API)",
        lambda c: ("GET", "/api/v1/burden/observation-points", None, False),
        OFFICES,
        False,
    ),
    (
        # A point is a mark on the unit (not a burden table): the write is checked in
        # test_api.py; here, who gets through.
        "setting observation points (API)",
        lambda c: (
            "PUT",
            "/api/v1/burden/observation-points",
            {"unit_ids": [c.villages[0].pk]},
            True,
        ),
        frozenset({"jianfu"}),
        False,
    ),
]

# Other answers: another office's clerk naming this office as the issuer is told so (422).
ANSWERS = {
    ("submit a meeting", "other_clerk"): "422",
    # Another county's office naming this county's village: not a receiver of its county.
    ("setting observation points (API)", "far_jianfu"): "422",
}


def _send(
    client: Client, method: str, path: str, body: dict[str, Any] | None, as_json: bool
) -> Any:
    if method == "GET":
        return client.get(path)
    if as_json:
        return getattr(client, method.lower())(
            path, json.dumps(body), content_type="application/json"
        )
    return client.post(path, body)


def _answer(response: Any) -> str:
    if response.status_code == 302:
        return "login" if "/login/" in response["Location"] else "ok"
    return "ok" if response.status_code < 300 else str(response.status_code)


@pytest.mark.parametrize(("name", "build", "allowed", "writes"), CASES, ids=[c[0] for c in CASES])
def test_county_roles(
    county: County, name: str, build: Build, allowed: frozenset[str], writes: bool
) -> None:
    method, path, body, as_json = build(county)
    clients = {role: county.client(role) for role in ROLES}
    problems = []
    for role in ROLES:
        before = _checksum()
        try:
            with transaction.atomic():
                response = _send(clients[role], method, path, body, as_json)
                got, after = _answer(response), _checksum()
                raise RuntimeError
        except RuntimeError:
            pass
        expected = ANSWERS.get((name, role)) or (
            "ok"
            if role in allowed
            else (
                "login"
                if role == "anonymous" and path.startswith("/burden/")
                else "401"
                if role == "anonymous"
                else "404"
            )
        )
        if got != expected:
            problems.append(f"{role}: {got}, not {expected}")
        elif got != "ok" and after != before:
            problems.append(f"{role} was refused but changed the registry")
        elif got == "ok" and writes and after == before:
            problems.append(f"{role} was let through but changed nothing")
        elif got == "ok" and not writes and after != before:
            problems.append(f"{role} read but changed the registry")
    assert not problems, "\n".join(problems)
