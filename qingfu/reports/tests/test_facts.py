"""Report figures recomputed independently from the raw records (items, logs, requests)."""

from __future__ import annotations

import datetime as dt

import pytest

from qingfu.conftest import World
from qingfu.homework.models import AssignmentClass, Item, LoadException, TimeLog
from qingfu.reports.facts import report_facts
from qingfu.reports.selectors import scope_get
from qingfu.reports.tests.helpers import (
    END,
    PERIOD,
    START,
    TODAY,
    actor,
    make_activity,
    school_days,
)


@pytest.fixture(autouse=True)
def _today(settings) -> None:
    settings.QINGFU_TODAY = "2026-09-01"


def _planned_from_items(
    class_ids: list[int], days: list[dt.date]
) -> dict[tuple[int, dt.date], int]:
    """Take-home written mandatory minutes per class-day, straight from published items."""
    out: dict[tuple[int, dt.date], int] = {}
    for target in AssignmentClass.objects.filter(
        school_class_id__in=class_ids, date__in=days, assignment__status="published"
    ):
        minutes = sum(
            i.minutes
            for i in Item.objects.filter(assignment_id=target.assignment_id)
            if i.kind == "written" and i.place == "home" and i.is_mandatory
        )
        key = (target.school_class_id, target.date)
        out[key] = out.get(key, 0) + minutes
    return out


def test_homework_figures_match_the_raw_records(world: World) -> None:
    make_activity(world)
    scope = scope_get(actor(world.users["admin_a"]), kind="school", scope_id=world.a.pk)
    facts = report_facts(scope=scope, period=PERIOD, today=TODAY)

    days = school_days(START, END)
    classes = [world.c31.pk, world.c32.pk]
    planned = _planned_from_items(classes, days)
    band = next(b for b in facts.bands if b.band == "g3-6")
    assert facts.school_days == len(days) == 10
    assert band.classes == 2
    assert band.school_class_days == 2 * len(days)
    assert band.planned_school_days == sum(planned.values())
    assert band.average_planned == pytest.approx(sum(planned.values()) / (2 * len(days)))
    over = [k for k, m in planned.items() if m > 60]
    assert band.over == len(over) == 1
    assert band.over_approved == 1
    assert band.compliance == pytest.approx((2 * len(days) - 1) / (2 * len(days)))

    logs = TimeLog.objects.filter(school_class_id__in=classes, date__gte=START, date__lte=END)
    assert band.logs == logs.count() == 7 * len(days)
    assert band.late_finishes == logs.filter(is_late=True).count() == 2 * 2
    assert band.late_share == pytest.approx(4 / 70)

    exceptions = LoadException.objects.filter(date__gte=START, date__lte=END)
    assert len(facts.exceptions.lines) == exceptions.count() == 1
    line = facts.exceptions.lines[0]
    assert (line.class_name, line.measured, line.limit, line.status) == (
        "三年级(1)班",
        75,
        60,
        "granted",
    )
    # Grade 7 had no homework at all: every school day counts as zero minutes, within the cap.
    junior = next(b for b in facts.bands if b.band == "g7-9")
    assert (junior.planned_school_days, junior.over, junior.compliance) == (0, 0, 1.0)
    assert junior.school_class_days == len(days)
    grades = {g.label: g for g in facts.grades}
    assert set(grades) == {"三年级", "七年级"}
    assert grades["三年级"].planned_school_days == sum(planned.values())
    assert (grades["三年级"].over, grades["三年级"].over_approved) == (1, 1)
    assert grades["七年级"].planned_school_days == 0


def test_small_groups_are_suppressed(world: World) -> None:
    make_activity(world)
    scope = scope_get(actor(world.users["admin_a"]), kind="school", scope_id=world.a.pk)
    one_day = type(PERIOD)(START, START, "9月7日")
    facts = report_facts(scope=scope, period=one_day, today=TODAY)
    band = next(b for b in facts.bands if b.band == "g3-6")
    assert band.logs == 7 and band.average_reported is not None  # seven logs: shown
    # c32 had no logs, c31 seven: only classes with enough logs can be named for late finishing.
    assert all(c.logs >= facts.min_group for c in facts.late_classes)


def test_a_district_report_covers_its_schools_only(world: World) -> None:
    make_activity(world)
    scope = scope_get(actor(world.users["officer_d1"]), kind="district", scope_id=world.d1.pk)
    facts = report_facts(scope=scope, period=PERIOD, today=TODAY)
    assert facts.schools == 2 and [s.name for s in facts.school_lines] == ["乙校", "甲校"]
    assert facts.classes == 4  # 3(1), 3(2), 7(1) at A; 3(1) at B; nothing from school C


def test_query_count_does_not_grow_with_days_or_classes(
    world: World, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    make_activity(world)
    scope = scope_get(actor(world.users["admin_a"]), kind="school", scope_id=world.a.pk)
    with django_assert_max_num_queries(25):
        report_facts(scope=scope, period=PERIOD, today=TODAY)
    district = scope_get(actor(world.users["officer_d1"]), kind="district", scope_id=world.d1.pk)
    with django_assert_max_num_queries(25 + 2 * 20):  # a bounded number per school
        report_facts(scope=district, period=PERIOD, today=TODAY)


@pytest.mark.clock
def test_overdue_rectification_is_a_problem_with_a_next_step_and_in_the_register(
    world: World,
) -> None:
    from io import BytesIO

    from openpyxl import load_workbook

    from qingfu.inspections import services as inspections
    from qingfu.reports import ledgers
    from qingfu.reports.writing import report_document

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
        data=inspections.NoticeInput(item.pk, "作业总量整改", "超量", "按上限控制", dt.date(2026, 9, 25)),
    )  # fmt: skip
    scope = scope_get(actor(world.users["admin_a"]), kind="school", scope_id=world.a.pk)
    facts = report_facts(scope=scope, period=PERIOD, today=TODAY)
    assert facts.rectifications is not None
    assert (facts.rectifications.issued, facts.rectifications.overdue) == (1, 1)
    text = report_document(facts).text()
    assert "整改没有按期完成" in text and "“作业总量整改”（9月25日到期）" in text
    assert "限期完成整改" in text
    book = load_workbook(
        BytesIO(ledgers.ledger_xlsx(scope=scope, period=PERIOD, key="rectifications", today=TODAY))
    )
    row = next(book.active.iter_rows(min_row=4, max_row=4, values_only=True))
    assert row[2] == "作业总量整改" and row[-1] == "逾期"
