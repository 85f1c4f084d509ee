"""Inspections in the role matrix (qingfu/core/tests/matrix.py): the inspector's index,
starting a visit, the checklist, issuing a rectification notice, the notices, answering
one. School A's responsible inspector is inspector_a; the matrix's day is 2026-11-23."""

from __future__ import annotations

import datetime as dt

from qingfu.conftest import World
from qingfu.core.tests.matrix import (
    ADMINS,
    INSTITUTION_STAFF,
    OFFICERS,
    SIGNED_IN,
    TRAINING_OFFICER,
    Case,
    Request,
)
from qingfu.inspections import institutions, services
from qingfu.inspections.models import (
    ChecklistItem,
    InstitutionItem,
    InstitutionNotice,
    InstitutionVisit,
    Notice,
    Visit,
)
from qingfu.schools.actors import actor_for
from qingfu.training.models import Institution

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


# --- training institutions: d1's training officer inspects, the institution's staff answer,
# the education bureau of d1 reads the notices (its dashboard lists the overdue ones).


def _i_visit(w: World) -> InstitutionVisit:
    institution = Institution.objects.filter(district=w.d1).order_by("pk").first()
    assert institution is not None
    return institutions.visit_start(
        actor=actor_for(w.users["training_d1"]), institution_id=institution.pk, day=TODAY,
        today=TODAY,
    )  # fmt: skip


def _i_completed(w: World) -> tuple[InstitutionVisit, InstitutionItem]:
    visit = _i_visit(w)
    item = visit.items.get(area="trn-schedule")
    officer = actor_for(w.users["training_d1"])
    institutions.checklist_save(
        actor=officer, visit_id=visit.pk, marks={item.pk: services.MarkInput("fails", "周六排课")}
    )
    institutions.visit_complete(actor=officer, visit_id=visit.pk)
    return visit, item


def _i_notice(w: World, *, responded: bool = False) -> InstitutionNotice:
    visit, item = _i_completed(w)
    notice = institutions.notice_issue(
        actor=actor_for(w.users["training_d1"]), visit_id=visit.pk,
        data=services.NoticeInput(
            item.pk, "停止周六学科类培训", "周六排课", "停止", TODAY + dt.timedelta(days=14)
        ),
        today=TODAY,
    )  # fmt: skip
    if responded:
        institutions.notice_respond(
            actor=actor_for(w.users["staff_i1"]), notice_id=notice.pk, measures="已停课",
            today=TODAY,
        )  # fmt: skip
    return notice


def _i_checklist(w: World) -> Request:
    visit = _i_visit(w)
    item = visit.items.get(area="trn-schedule")
    return f"/inspections/institution-visit/{visit.pk}/", {
        "action": "save", f"mark-{item.pk}": "fails", f"note-{item.pk}": "周六排课",
    }  # fmt: skip


def _i_notice_form(w: World) -> Request:
    visit, item = _i_completed(w)
    return f"/inspections/institution-visit/{visit.pk}/notice/", {
        "item_id": str(item.pk), "title": "停止周六学科类培训", "problem": "周六排课",
        "requirement": "停止", "deadline": (TODAY + dt.timedelta(days=14)).isoformat(),
    }  # fmt: skip


def _i_start(w: World) -> Request:
    institution = Institution.objects.filter(district=w.d1).order_by("pk").first()
    assert institution is not None
    return f"/inspections/institutions/{institution.pk}/start/", {}


IAPI = "/api/v1/inspections"
NOTICE_READERS = TRAINING_OFFICER | INSTITUTION_STAFF | frozenset({"officer_d1"})
LISTS = TRAINING_OFFICER | INSTITUTION_STAFF | OFFICERS


def _i_api_marks(w: World) -> Request:
    visit = _i_visit(w)
    item = visit.items.get(area="trn-schedule")
    return f"{IAPI}/institution-visits/{visit.pk}/marks", {
        "marks": [{"item_id": item.pk, "mark": "fails", "note": "周六排课"}], "complete": True,
    }  # fmt: skip


def _i_api_notice(w: World) -> Request:
    visit, item = _i_completed(w)
    return f"{IAPI}/institution-visits/{visit.pk}/notices", {
        "item_id": item.pk, "title": "停止周六学科类培训", "problem": "周六排课",
        "requirement": "停止", "deadline": (TODAY + dt.timedelta(days=14)).isoformat(),
    }  # fmt: skip


def _i_api_start(w: World) -> Request:
    institution = Institution.objects.filter(district=w.d1).order_by("pk").first()
    assert institution is not None
    return f"{IAPI}/institutions/{institution.pk}/visits", {"date": TODAY.isoformat()}


INSTITUTION_CASES = [
    Case("inspections/institutions/", lambda w: "/inspections/institutions/", allowed=LISTS),
    Case(
        "inspections/institutions/<int:institution_id>/start/",
        _i_start,
        "POST",
        allowed=TRAINING_OFFICER,
    ),
    Case(
        "inspections/institution-visit/<int:visit_id>/",
        lambda w: f"/inspections/institution-visit/{_i_visit(w).pk}/",
        allowed=TRAINING_OFFICER,
    ),
    Case(
        "inspections/institution-visit/<int:visit_id>/",
        _i_checklist,
        "POST",
        allowed=TRAINING_OFFICER,
    ),
    Case(
        "inspections/institution-visit/<int:visit_id>/notice/",
        lambda w: _i_notice_form(w)[0],
        allowed=TRAINING_OFFICER,
    ),
    Case(
        "inspections/institution-visit/<int:visit_id>/notice/",
        _i_notice_form,
        "POST",
        allowed=TRAINING_OFFICER,
    ),
    Case(
        "inspections/institution-notice/<int:notice_id>/",
        lambda w: f"/inspections/institution-notice/{_i_notice(w).pk}/",
        allowed=NOTICE_READERS,
    ),
    Case(
        "inspections/institution-notice/<int:notice_id>/",
        lambda w: (
            f"/inspections/institution-notice/{_i_notice(w).pk}/",
            {"action": "respond", "measures": "已停止周六学科类培训并退费"},
        ),
        "POST",
        allowed=INSTITUTION_STAFF,
        # They read the notice; the institution answers it (the refusal is "not found").
    ),
    Case(
        "inspections/institution-notice/<int:notice_id>/",
        lambda w: (
            f"/inspections/institution-notice/{_i_notice(w, responded=True).pk}/",
            {"action": "accept", "comment": ""},
        ),
        "POST",
        allowed=TRAINING_OFFICER,
        note="review",
    ),
    Case(
        "GET /api/v1/inspections/institution-visits",
        lambda w: f"{IAPI}/institution-visits",
        allowed=TRAINING_OFFICER,
    ),
    Case(
        "POST /api/v1/inspections/institutions/{institution_id}/visits",
        _i_api_start,
        "POST",
        json=True,
        allowed=TRAINING_OFFICER,
    ),
    Case(
        "GET /api/v1/inspections/institution-visits/{visit_id}",
        lambda w: f"{IAPI}/institution-visits/{_i_visit(w).pk}",
        allowed=TRAINING_OFFICER,
    ),
    Case(
        "POST /api/v1/inspections/institution-visits/{visit_id}/marks",
        _i_api_marks,
        "POST",
        json=True,
        allowed=TRAINING_OFFICER,
    ),
    Case(
        "POST /api/v1/inspections/institution-visits/{visit_id}/notices",
        _i_api_notice,
        "POST",
        json=True,
        allowed=TRAINING_OFFICER,
    ),
    Case(
        "GET /api/v1/inspections/institution-notices",
        lambda w: f"{IAPI}/institution-notices",
        allowed=LISTS,
    ),
    Case(
        "GET /api/v1/inspections/institution-notices/{notice_id}",
        lambda w: f"{IAPI}/institution-notices/{_i_notice(w).pk}",
        allowed=NOTICE_READERS,
    ),
    Case(
        "POST /api/v1/inspections/institution-notices/{notice_id}/response",
        lambda w: (
            f"{IAPI}/institution-notices/{_i_notice(w).pk}/response",
            {"measures": "已停止周六学科类培训"},
        ),
        "POST",
        json=True,
        allowed=INSTITUTION_STAFF,
    ),
    Case(
        "POST /api/v1/inspections/institution-notices/{notice_id}/review",
        lambda w: (
            f"{IAPI}/institution-notices/{_i_notice(w, responded=True).pk}/review",
            {"decision": "accept"},
        ),
        "POST",
        json=True,
        allowed=TRAINING_OFFICER,
    ),
]

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
    *INSTITUTION_CASES,
]
