"""Who gets which report: a role matrix over the page and the downloads, bad periods, and a
period without records."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from qingfu.conftest import World
from qingfu.core.errors import NotFound, ValidationFailed
from qingfu.reports import services
from qingfu.reports.selectors import period_for, scope_get, scopes_for
from qingfu.reports.tests.helpers import actor


@pytest.fixture(autouse=True)
def _today(settings) -> None:
    settings.QINGFU_TODAY = "2026-11-18"


def _scope(world: World, key: str) -> str:
    return {
        "a": f"school-{world.a.pk}",
        "b": f"school-{world.b.pk}",
        "c": f"school-{world.c.pk}",
        "d1": f"district-{world.d1.pk}",
        "d2": f"district-{world.d2.pk}",
    }[key]


@pytest.mark.parametrize(
    ("who", "scope", "status"),
    [
        ("anonymous", "a", 302),
        ("guardian1", "a", 404),
        ("head31", "a", 404),
        ("inspector_a", "a", 404),
        ("admin_b", "a", 404),
        ("admin_a", "b", 404),
        ("officer_d2", "d1", 404),
        ("officer_d2", "a", 404),
        ("officer_d1", "c", 404),
        ("admin_a", "a", 200),
        ("officer_d1", "d1", 200),
        ("officer_d1", "a", 200),
    ],
)
@pytest.mark.parametrize(
    "path", ["/reports/", "/reports/download/docx/", "/reports/ledger/exceptions/"]
)
def test_role_matrix(world: World, who: str, scope: str, status: int, path: str) -> None:
    response = world.client(who).get(path, {"scope": _scope(world, scope), "preset": "month"})
    assert response.status_code == status
    if status == 200 and path != "/reports/":
        assert response["Content-Disposition"].startswith("attachment;")


def test_scopes_offered(world: World) -> None:
    officer = [s.name for s in scopes_for(actor(world.users["officer_d1"]))]
    assert officer == ["青禾区", "乙校", "甲校"]
    assert [s.name for s in scopes_for(actor(world.users["admin_a"]))] == ["甲校"]
    with pytest.raises(NotFound):
        scope_get(actor(world.users["officer_d2"]), kind="district", scope_id=world.d1.pk)
    with pytest.raises(NotFound):
        scope_get(actor(world.users["officer_d1"]), kind="district", scope_id=999_999)


def test_end_before_start_is_a_clear_error(world: World) -> None:
    scope = scope_get(actor(world.users["admin_a"]), kind="school", scope_id=world.a.pk)
    with pytest.raises(ValidationFailed) as exc:
        period_for(scope=scope, preset="custom", today=dt.date(2026, 11, 18),
                   start=dt.date(2026, 11, 10), end=dt.date(2026, 11, 1))  # fmt: skip
    assert exc.value.errors == {"end": ["结束日期早于开始日期，请重新选择。"]}
    response = world.client("admin_a").get(
        "/reports/", {"preset": "custom", "start": "2026-11-10", "end": "2026-11-01"}
    )
    assert response.status_code == 422 and "结束日期早于开始日期" in response.content.decode()
    bad = world.client("admin_a").get(
        "/reports/download/pdf/", {"preset": "custom", "start": "11/10"}
    )
    assert bad.status_code == 422 and "请按“年-月-日”填写日期" in bad.content.decode()


def test_presets(world: World) -> None:
    scope = scope_get(actor(world.users["admin_a"]), kind="school", scope_id=world.a.pk)
    today = dt.date(2026, 11, 18)
    week = period_for(scope=scope, preset="week", today=today)
    assert (week.start, week.end) == (dt.date(2026, 11, 16), dt.date(2026, 11, 22))
    month = period_for(scope=scope, preset="month", today=today)
    assert (month.start, month.end, month.label) == (
        dt.date(2026, 11, 1),
        dt.date(2026, 11, 30),
        "2026年11月",
    )
    semester = period_for(scope=scope, preset="semester", today=today)
    assert (semester.start, semester.end) == (dt.date(2026, 9, 1), dt.date(2027, 1, 22))


def test_a_period_without_records_gives_a_plain_report(world: World) -> None:
    request = services.ReportRequest(
        "school", world.a.pk, "custom", dt.date(2026, 8, 1), dt.date(2026, 8, 20)
    )
    built = services.report_build(actor=actor(world.users["admin_a"]), request=request,
                                  today=dt.date(2026, 11, 18))  # fmt: skip
    assert not built.facts.has_data
    assert "无法据实形成本期工作总结" in built.document.text()
    data, name = services.report_file(actor=actor(world.users["admin_a"]), request=request,
                                      today=dt.date(2026, 11, 18), fmt="pdf")  # fmt: skip
    assert data.startswith(b"%PDF") and name.endswith(".pdf")
    page = world.client("admin_a").get(
        "/reports/", {"preset": "custom", "start": "2026-08-01", "end": "2026-08-20"}
    )
    assert page.status_code == 200 and "不列任何数字" in page.content.decode()


def test_nav_entry_for_admins_and_officers_only(world: World, settings: Any) -> None:
    # The home counts today's duties: pin the day and the time of day.
    settings.QINGFU_TODAY, settings.QINGFU_CLOCK = "2026-11-23", "18:00"
    assert "报告与台账" in world.client("admin_a").get("/").content.decode()
    assert "报告与台账" in world.client("officer_d1").get("/").content.decode()
    assert "报告与台账" not in world.client("head31").get("/").content.decode()


def test_unknown_formats_and_ledgers_are_not_found(world: World) -> None:
    client = world.client("admin_a")
    assert client.get("/reports/download/xls/", {"preset": "month"}).status_code == 404
    assert client.get("/reports/ledger/students/", {"preset": "month"}).status_code == 404
    assert client.get("/reports/", {"scope": "school-abc"}).status_code == 404
    assert client.get("/reports/", {"scope": "class-1"}).status_code == 404
