"""Inspections in the role matrix (qingfu/core/tests/matrix.py): the inspector's index,
starting a visit, the checklist, issuing a rectification notice, the notices, answering
one. School A's responsible inspector is inspector_a; the matrix's day is 2026-11-23."""

from __future__ import annotations

import datetime as dt

from qingfu.conftest import World
from qingfu.core.tests.matrix import ADMINS, OFFICERS, SIGNED_IN, Case, Request
from qingfu.inspections import services
from qingfu.inspections.models import ChecklistItem, Notice, Visit
from qingfu.schools.actors import actor_for

TODAY = dt.date(2026, 11, 23)
INSPECTOR = frozenset({"inspector_a"})
# School A's notices are read by its inspector, its admin and its district; its visits by
# the inspector and the district.
READERS_A = frozenset({"inspector_a", "admin_a", "officer_d1"})
VISIT_READERS = READERS_A - {"admin_a"}


def _visit(w: World) -> Visit:
    return services.visit_start(
        actor=actor_for(w.users["inspector_a"]), school_id=w.a.pk, day=TODAY, today=TODAY,
        period_start=dt.date(2026, 10, 1), period_end=dt.date(2026, 10, 31),
    )  # fmt: skip


def _completed(w: World) -> tuple[Visit, ChecklistItem]:
    """A completed visit whose homework-cap item fails."""
    visit = _visit(w)
    item = visit.items.get(area="hw-cap")
    inspector = actor_for(w.users["inspector_a"])
    services.checklist_save(
        actor=inspector, visit_id=visit.pk,
        marks={item.pk: services.MarkInput("fails", "三年级10月多日超量")},
    )  # fmt: skip
    services.visit_complete(actor=inspector, visit_id=visit.pk)
    return visit, item


def _notice(w: World) -> Notice:
    visit, item = _completed(w)
    return services.notice_issue(
        actor=actor_for(w.users["inspector_a"]), visit_id=visit.pk,
        data=services.NoticeInput(
            item.pk, "作业总量整改", "超量", "按上限控制", TODAY + dt.timedelta(days=14)
        ),
        today=TODAY,
    )  # fmt: skip


def _checklist(w: World) -> Request:
    visit = _visit(w)
    item = visit.items.get(area="hw-cap")
    return f"/inspections/visit/{visit.pk}/", {
        "action": "save", f"mark-{item.pk}": "fails", f"note-{item.pk}": "多日超量",
    }  # fmt: skip


def _notice_form(w: World) -> Request:
    visit, item = _completed(w)
    return f"/inspections/visit/{visit.pk}/notice/", {
        "item_id": str(item.pk), "title": "作业总量整改", "problem": "超量",
        "requirement": "按上限控制", "deadline": (TODAY + dt.timedelta(days=14)).isoformat(),
    }  # fmt: skip


CASES = [
    Case("inspections/", lambda w: "/inspections/", allowed=INSPECTOR | OFFICERS),
    Case(
        "inspections/school/<int:school_id>/start/",
        lambda w: f"/inspections/school/{w.a.pk}/start/",
        answers=dict.fromkeys(SIGNED_IN, 405),
    ),
    Case(
        "inspections/school/<int:school_id>/start/",
        lambda w: (f"/inspections/school/{w.a.pk}/start/", {}),
        "POST",
        allowed=INSPECTOR,
    ),
    # A visit is the inspector's and the district's (the school reads the notices it leads
    # to); the district reads it and is told "not permitted" when it marks an item.
    Case(
        "inspections/visit/<int:visit_id>/",
        lambda w: f"/inspections/visit/{_visit(w).pk}/",
        allowed=VISIT_READERS,
    ),
    Case(
        "inspections/visit/<int:visit_id>/",
        _checklist,
        "POST",
        allowed=INSPECTOR,
        forbidden=frozenset({"officer_d1"}),
    ),
    Case(
        "inspections/visit/<int:visit_id>/notice/",
        lambda w: _notice_form(w)[0],
        allowed=INSPECTOR,
    ),
    Case("inspections/visit/<int:visit_id>/notice/", _notice_form, "POST", allowed=INSPECTOR),
    Case(
        "inspections/notices/",
        lambda w: "/inspections/notices/",
        allowed=ADMINS | OFFICERS | INSPECTOR,
    ),
    Case(
        "inspections/notice/<int:notice_id>/",
        lambda w: f"/inspections/notice/{_notice(w).pk}/",
        allowed=READERS_A,
    ),
    Case(
        "inspections/notice/<int:notice_id>/",
        lambda w: (
            f"/inspections/notice/{_notice(w).pk}/",
            {"action": "respond", "measures": "各学科每天作业控制在60分钟内", "references": ""},
        ),
        "POST",
        allowed=frozenset({"admin_a"}),
        # They read the notice; the school answers it.
        forbidden=frozenset({"inspector_a", "officer_d1"}),
    ),
]
