"""The data migrations that renamed the after-school rules (``asvc.*`` → ``afterschool.*``)
rewrite every stored id: a school's overrides, a visit's checklist (its area and its rules)
and a notice. Rows written under the old ids are migrated forwards, and back."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps

from qingfu.inspections import services
from qingfu.inspections.models import ChecklistItem, Notice
from qingfu.policy.renames import rule_id_renamed
from qingfu.schools.actors import actor_for
from qingfu.schools.models import PolicyOverride

# The visit and notice take "today" as an argument; the migration reads no clock.
TODAY = dt.date(2026, 11, 23)
MIGRATIONS = (
    "qingfu.schools.migrations.0003_rename_afterschool_rule_ids",
    "qingfu.inspections.migrations.0002_rename_afterschool_rule_ids",
    "qingfu.homework.migrations.0009_rename_afterschool_rule_ids",
)


def _migrate(*, backwards: bool = False) -> None:
    for name in MIGRATIONS:
        module = importlib.import_module(name)
        (module.backwards if backwards else module.forwards)(apps, None)


def test_rule_id_renamed_maps_whole_prefixes_only() -> None:
    assert rule_id_renamed("asvc.end") == "afterschool.end"
    assert rule_id_renamed("asvc") == "afterschool"
    assert rule_id_renamed("afterschool.end", backwards=True) == "asvc.end"
    assert rule_id_renamed("asvcx.end") == "asvcx.end"
    assert rule_id_renamed("hw.cap.g3-6") == "hw.cap.g3-6"


@pytest.mark.django_db
def test_stored_ids_are_rewritten_forwards_and_back(world, settings) -> None:
    settings.QINGFU_TODAY, settings.QINGFU_CLOCK = TODAY.isoformat(), "10:00"
    inspector = actor_for(world.users["inspector_a"])
    visit = services.visit_start(
        actor=inspector, school_id=world.a.pk, day=TODAY, today=TODAY,
        period_start=dt.date(2026, 10, 1), period_end=dt.date(2026, 10, 31),
    )  # fmt: skip
    item = visit.items.get(area="afterschool")
    assert item.rule_ids and all(r.startswith("afterschool.") for r in item.rule_ids)
    notice = Notice.objects.create(
        visit=visit, item=item, school=world.a, district=world.a.district, title="课后服务",
        problem="结束过早", requirement="按规定", rule_ids=["afterschool.end", "hw.cap.g3-6"],
        deadline=TODAY + dt.timedelta(days=14), issued_by=world.users["inspector_a"],
        issued_on=TODAY, issued_at=visit.created_at,
    )  # fmt: skip
    override = PolicyOverride.objects.create(
        level="school", school=world.a, thresholds={"afterschool.end": "17:45", "hw.cap.g3-6": 50}
    )
    new_rules = list(item.rules)

    # The rows as an older release wrote them.
    _migrate(backwards=True)
    item.refresh_from_db()
    notice.refresh_from_db()
    override.refresh_from_db()
    assert item.area == "asvc" and all(r.startswith("asvc.") for r in item.rule_ids)
    assert notice.rule_ids == ["asvc.end", "hw.cap.g3-6"]
    assert override.thresholds == {"asvc.end": "17:45", "hw.cap.g3-6": 50}
    untouched = ChecklistItem.objects.get(visit=visit, area="hw-cap").rules

    _migrate()
    item.refresh_from_db()
    notice.refresh_from_db()
    override.refresh_from_db()
    assert item.area == "afterschool" and item.rules == new_rules
    assert notice.rule_ids == ["afterschool.end", "hw.cap.g3-6"]
    assert override.thresholds == {"afterschool.end": "17:45", "hw.cap.g3-6": 50}
    assert ChecklistItem.objects.get(visit=visit, area="hw-cap").rules == untouched
    # Running it again changes nothing.
    _migrate()
    override.refresh_from_db()
    assert override.thresholds == {"afterschool.end": "17:45", "hw.cap.g3-6": 50}
