"""Instants in the ledgers are the school's wall-clock time, not UTC (issue 19, item 5).

A plan published or an exception decided at 21:13 in Beijing is stored as 13:13 UTC; a
spreadsheet cell has no time zone, so writing the stored value as it is showed 13:13.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from qingfu.conftest import World
from qingfu.homework.models import LoadException, WeeklyPlan
from qingfu.reports import ledgers
from qingfu.reports.selectors import scope_get
from qingfu.reports.tests.helpers import PERIOD, START, TODAY, actor, make_activity
from qingfu.schools.models import Grade

LATE_EVENING_UTC = dt.datetime(2026, 9, 4, 13, 13, tzinfo=dt.UTC)  # Friday 21:13 in Beijing
LATE_EVENING_LOCAL = dt.datetime(2026, 9, 4, 21, 13)


@pytest.fixture(autouse=True)
def _today(settings) -> None:  # type: ignore[no-untyped-def]
    settings.QINGFU_TODAY = "2026-09-01"


def _sheet_rows(world: World, key: str) -> tuple[tuple[str, ...], list[tuple[object, ...]]]:
    scope = scope_get(actor(world.users["admin_a"]), kind="school", scope_id=world.a.pk)
    book = load_workbook(
        io.BytesIO(ledgers.ledger_xlsx(scope=scope, period=PERIOD, key=key, today=TODAY))
    )
    rows = list(book.worksheets[0].iter_rows(min_row=3, values_only=True))
    return tuple(str(h) for h in rows[0]), rows[1:]


def test_the_publicity_ledger_gives_a_late_evening_publication_in_local_time(
    world: World,
) -> None:
    make_activity(world)
    WeeklyPlan.objects.create(
        school=world.a,
        grade=Grade.objects.get(school=world.a, number=3),
        week_start=START,
        status=WeeklyPlan.Status.APPROVED,
        published_at=LATE_EVENING_UTC,
    )
    header, rows = _sheet_rows(world, "publicity")
    column = header.index("公示时间")
    monday = dt.datetime.combine(START, dt.time())  # openpyxl reads a date back as midnight
    published = {r[column] for r in rows if r[1] == monday and str(r[0]).startswith("三年级")}
    assert published == {LATE_EVENING_LOCAL}


def test_the_exception_register_gives_a_late_evening_decision_in_local_time(
    world: World,
) -> None:
    make_activity(world)
    assert LoadException.objects.filter(decided_at__isnull=False).exists()
    LoadException.objects.filter(decided_at__isnull=False).update(decided_at=LATE_EVENING_UTC)
    header, rows = _sheet_rows(world, "exceptions")
    column = header.index("审批时间")
    decided = {row[column] for row in rows if row[column] is not None}
    assert decided == {LATE_EVENING_LOCAL}
    rules = {row[header.index("规则")] for row in rows} - {None}
    assert rules == {"三至六年级每日书面作业时长"}  # the rule's title, not hw.cap.g3-6
