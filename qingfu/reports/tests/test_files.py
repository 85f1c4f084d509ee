"""Ledgers cannot attack their reader: stored text comes back as text, through the download."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from qingfu.conftest import World
from qingfu.inspections import services as inspections
from qingfu.reports.tests.helpers import actor

LINK = '=HYPERLINK("http://evil.example/","点此")'


@pytest.fixture(autouse=True)
def _today(settings) -> None:  # type: ignore[no-untyped-def]
    settings.QINGFU_TODAY = "2026-09-30"
    settings.QINGFU_CLOCK = "16:05"


def test_the_rectification_ledger_writes_a_formula_title_as_text(world: World) -> None:
    day = dt.date(2026, 9, 15)
    inspector = actor(world.users["inspector_a"])
    visit = inspections.visit_start(
        actor=inspector, school_id=world.a.pk, day=day, today=day,
        period_start=dt.date(2026, 9, 1), period_end=day,
    )  # fmt: skip
    item = visit.items.get(area="hw-cap")
    inspections.checklist_save(
        actor=inspector, visit_id=visit.pk,
        marks={item.pk: inspections.MarkInput("fails", "三年级多日超量")},
    )  # fmt: skip
    inspections.visit_complete(actor=inspector, visit_id=visit.pk)
    inspections.notice_issue(
        actor=inspector, visit_id=visit.pk, today=day,
        data=inspections.NoticeInput(item.pk, LINK, "超\x01量", "@按上限控制", dt.date(2026, 9, 25)),
    )  # fmt: skip
    response = world.client("admin_a").get(
        "/reports/ledger/rectifications/",
        {"scope": f"school-{world.a.pk}", "preset": "custom", "start": "2026-09-01",
         "end": "2026-09-30"},
    )  # fmt: skip
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    cells = {c.value: c for row in sheet.iter_rows(min_row=4) for c in row if c.value}
    assert cells[LINK].data_type == "s" and cells[LINK].quotePrefix
    assert not any(c.data_type == "f" for c in cells.values())
