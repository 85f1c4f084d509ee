"""JSON endpoints for inspections of off-campus training institutions: the training
officer's visits, checklist marks and notices, and the institution staff's answers. The
same services as the pages; a refusal is 422 with each field's message."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Router, Schema, Status

from qingfu.core.access import as_training_officer
from qingfu.core.api import ERRORS
from qingfu.core.errors import NotFound
from qingfu.inspections import institutions as svc
from qingfu.inspections.models import InstitutionNotice, InstitutionVisit
from qingfu.inspections.selectors import days_overdue
from qingfu.inspections.services import MarkInput, NoticeInput
from qingfu.schools.actors import actor_from_request
from qingfu.schools.calendars import local_today

router = Router(tags=["inspections"])


class ItemOut(Schema):
    id: int
    area: str
    title: str
    rules: list[dict[str, str]]
    evidence: str
    mark: str
    note: str


class VisitOut(Schema):
    id: int
    institution_id: int
    institution: str
    date: dt.date
    period_start: dt.date
    period_end: dt.date
    status: str
    summary: str
    inspector: str


class VisitDetailOut(VisitOut):
    items: list[ItemOut]


class NoticeOut(Schema):
    id: int
    visit_id: int
    institution_id: int
    institution: str
    title: str
    problem: str
    requirement: str
    rule_ids: list[str]
    deadline: dt.date
    status: str
    issued_on: dt.date
    response: str
    days_overdue: int


def _visit_out(v: InstitutionVisit, *, items: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": v.pk,
        "institution_id": v.institution_id,
        "institution": v.institution.unit.name,
        "date": v.date,
        "period_start": v.period_start,
        "period_end": v.period_end,
        "status": v.status,
        "summary": v.summary,
        "inspector": v.inspector_name,
    }
    if items:
        out["items"] = [
            {
                "id": i.pk,
                "area": i.area,
                "title": i.title,
                "rules": i.rules,
                "evidence": i.evidence,
                "mark": i.mark,
                "note": i.note,
            }
            for i in v.items.all()
        ]
    return out


def _notice_out(n: InstitutionNotice) -> dict[str, Any]:
    return {
        "id": n.pk,
        "visit_id": n.visit_id,
        "institution_id": n.institution_id,
        "institution": n.institution.unit.name,
        "title": n.title,
        "problem": n.problem,
        "requirement": n.requirement,
        "rule_ids": list(n.rule_ids),
        "deadline": n.deadline,
        "status": n.status,
        "issued_on": n.issued_on,
        "response": n.response,
        "days_overdue": days_overdue(status=n.status, deadline=n.deadline, today=local_today()),
    }


def _visit_detail(request: HttpRequest, visit_id: int) -> dict[str, Any]:
    return _visit_out(svc.visit_get(actor_from_request(request), visit_id), items=True)


@router.get("/inspections/institution-visits", response={200: list[VisitOut], **ERRORS})
def visits(request: HttpRequest) -> list[dict[str, Any]]:
    """培训机构检查记录（校外培训监管）"""
    actor = actor_from_request(request)
    as_training_officer(actor)
    return [_visit_out(v) for v in svc.visits_for(actor).order_by("-date", "-id")[:200]]


class VisitIn(Schema):
    date: dt.date | None = None
    period_start: dt.date | None = None
    period_end: dt.date | None = None


@router.post(
    "/inspections/institutions/{institution_id}/visits",
    response={201: VisitDetailOut, **ERRORS},
)
def visit_start(request: HttpRequest, institution_id: int, payload: VisitIn) -> Status[Any]:
    """开始检查培训机构：按 trn.* 规则生成检查清单，并由名录、备案、投诉预先填好"""
    today = local_today()
    visit = svc.visit_start(
        actor=actor_from_request(request),
        institution_id=institution_id,
        day=payload.date or today,
        today=today,
        period_start=payload.period_start,
        period_end=payload.period_end,
    )
    return Status(201, _visit_detail(request, visit.pk))


@router.get("/inspections/institution-visits/{visit_id}", response={200: VisitDetailOut, **ERRORS})
def visit_detail(request: HttpRequest, visit_id: int) -> dict[str, Any]:
    """培训机构检查清单"""
    return _visit_detail(request, visit_id)


class MarkIn(Schema):
    item_id: int
    mark: Literal["unchecked", "conforms", "mostly", "fails"]
    note: str = ""


class MarksIn(Schema):
    marks: list[MarkIn]
    complete: bool = False
    summary: str = ""


@router.post(
    "/inspections/institution-visits/{visit_id}/marks",
    response={200: VisitDetailOut, **ERRORS},
)
def visit_marks(request: HttpRequest, visit_id: int, payload: MarksIn) -> dict[str, Any]:
    """保存检查结论（可同时完成检查）"""
    actor = actor_from_request(request)
    svc.checklist_save(
        actor=actor,
        visit_id=visit_id,
        marks={m.item_id: MarkInput(m.mark, m.note) for m in payload.marks},
    )
    if payload.complete:
        svc.visit_complete(actor=actor, visit_id=visit_id, summary=payload.summary)
    return _visit_detail(request, visit_id)


class NoticeIn(Schema):
    item_id: int
    title: str
    problem: str
    requirement: str
    deadline: dt.date


@router.post(
    "/inspections/institution-visits/{visit_id}/notices",
    response={201: NoticeOut, **ERRORS},
)
def notice_issue(request: HttpRequest, visit_id: int, payload: NoticeIn) -> Status[Any]:
    """下发整改通知（对结论为不符合、基本符合的项目）"""
    notice = svc.notice_issue(
        actor=actor_from_request(request),
        visit_id=visit_id,
        data=NoticeInput(
            payload.item_id, payload.title, payload.problem, payload.requirement, payload.deadline
        ),
        today=local_today(),
    )
    return Status(201, _notice_out(notice))


@router.get("/inspections/institution-notices", response={200: list[NoticeOut], **ERRORS})
def notices(request: HttpRequest) -> list[dict[str, Any]]:
    """培训机构整改通知（监管人员：本区；机构人员：本机构）"""
    actor = actor_from_request(request)
    if not svc.may_read_notices(actor):
        raise NotFound()
    rows = svc.notice_rows(svc.notices_for(actor), local_today())
    return [_notice_out(r.notice) for r in rows[:500]]


@router.get("/inspections/institution-notices/{notice_id}", response={200: NoticeOut, **ERRORS})
def notice_detail(request: HttpRequest, notice_id: int) -> dict[str, Any]:
    """整改通知"""
    return _notice_out(svc.notice_get(actor_from_request(request), notice_id))


class ResponseIn(Schema):
    measures: str


@router.post(
    "/inspections/institution-notices/{notice_id}/response",
    response={200: NoticeOut, **ERRORS},
)
def notice_respond(request: HttpRequest, notice_id: int, payload: ResponseIn) -> dict[str, Any]:
    """机构回复整改情况"""
    notice = svc.notice_respond(
        actor=actor_from_request(request),
        notice_id=notice_id,
        measures=payload.measures[:5000],
        today=local_today(),
    )
    return _notice_out(notice)


class ReviewIn(Schema):
    decision: Literal["accept", "return"]
    comment: str = ""


@router.post(
    "/inspections/institution-notices/{notice_id}/review",
    response={200: NoticeOut, **ERRORS},
)
def notice_review(request: HttpRequest, notice_id: int, payload: ReviewIn) -> dict[str, Any]:
    """复核：通过销号，或退回继续整改（退回须写明内容）"""
    actor = actor_from_request(request)
    comment = payload.comment[:2000]
    if payload.decision == "accept":
        notice = svc.notice_accept(
            actor=actor, notice_id=notice_id, comment=comment, today=local_today()
        )
    else:
        notice = svc.notice_return(actor=actor, notice_id=notice_id, comment=comment)
    return _notice_out(notice)
