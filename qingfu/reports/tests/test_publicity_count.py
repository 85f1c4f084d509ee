"""One definition of a published class-week board (issue 19 item 11): the report's "覆盖 N 个
班级周的公示栏" counts what the publicity ledger lists as published — every class of a grade
whose weekly plan is published, grades 1–2 included (their plans have no entries)."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from qingfu.homework.models import PlanEntry, WeeklyPlan
from qingfu.reports import ledgers
from qingfu.reports.data import Period
from qingfu.reports.facts import report_facts
from qingfu.reports.selectors import scope_get
from qingfu.reports.writing import report_document
from qingfu.schools.actors import actor_for
from qingfu.schools.models import RoleGrant

pytestmark = pytest.mark.django_db
DAY = "2026-11-23"


def test_the_report_and_the_ledger_count_the_same_boards(settings: object) -> None:
    settings.QINGFU_TODAY = DAY  # type: ignore[attr-defined]
    settings.QINGFU_CLOCK = "19:30"  # type: ignore[attr-defined]
    call_command("demo", "--schools", "1", "--classes-per-grade", "2", "--students-per-class", "6", "--today", DAY, "--weeks", "4", stdout=StringIO())  # fmt: skip
    today = dt.date.fromisoformat(DAY)
    grant = RoleGrant.objects.filter(user__username="principal").first()
    assert grant is not None
    scope = scope_get(
        actor_for(User.objects.get(pk=grant.user_id)), kind="school", scope_id=grant.school_id
    )
    period = Period(today - dt.timedelta(days=27), today, "近四周", is_named=False)
    facts = report_facts(scope=scope, period=period, today=today)
    ledger = ledgers._publicity(scope, period)
    published_rows = [row for row in ledger.sheets[0].rows if row[3] is not None]
    assert facts.publicity is not None
    # Grades 1–2 have published plans without entries: the old count left them out.
    lower = WeeklyPlan.objects.filter(
        school_id=grant.school_id, grade__number__lte=2, published_at__isnull=False
    )
    assert lower.exists() and not PlanEntry.objects.filter(plan__in=lower).exists()
    assert facts.publicity.class_boards == len(published_rows) > 0
    text = report_document(facts).text()
    assert f"覆盖{len(published_rows)}个班级周的公示栏（每班每周一栏" in text
