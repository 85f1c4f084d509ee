"""JSON endpoints of the burden registry, over the same services and selectors as the
pages: demands drafted and submitted (a refusal is a 422 naming the rule and its source),
decisions of the leader and the campaign office, what a receiver got this month, reports of
demands that came outside Qingfu, apps and work groups, and the campaign office's board."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal, cast

from django.http import HttpRequest
from django.utils.translation import gettext_lazy
from ninja import Field, Router, Schema, Status

from qingfu.burden import forms, keep, selectors, services
from qingfu.burden.data import AppInput, DemandInput, ReportInput
from qingfu.burden.models import (
    AppOrGroup,
    Demand,
    InspectionPlanEntry,
    ListEntry,
    UnregisteredReport,
)
from qingfu.core.api import ERRORS, amount_parser, amount_schema
from qingfu.core.edge import cleaned
from qingfu.core.scope import current_district_id
from qingfu.schools.actors import actor_from_request
from qingfu.schools.calendars import local_today
from qingfu.schools.models import Unit


def _(text: str) -> str:
    """An endpoint's summary, translated when the OpenAPI document is rendered."""
    return cast(str, gettext_lazy(text))


router = Router(tags=["burden"])


def _campaign_district_id(request: HttpRequest) -> int:
    """The county whose campaign office the request acts for: ``?district=`` (declared by
    each endpoint that takes it) or the one the person last chose, as on the pages."""
    actor = actor_from_request(request)
    return current_district_id(request, actor, among=selectors.campaign_districts(actor))


FundingIn = Annotated[Decimal, amount_parser(12, 2), amount_schema(12, 2)]


class DemandIn(Schema):
    issuer_id: int
    kind: str
    title: str = Field(max_length=200)
    day: dt.date
    last_day: dt.date | None = None
    receiver_unit_ids: list[int] = []
    receiver_school_ids: list[int] = []
    staff_hours: float = Field(0.0, ge=0, le=1000)
    attendee_level: str = Field("", max_length=40)
    forwards_higher_document: bool = False
    evidence_asked: list[str] = []
    plan_entry_id: int | None = None
    list_entry_id: int | None = None
    exception_reason: str = Field("", max_length=500)
    funding_amount: FundingIn | None = None
    field_list: str = Field("", max_length=8000)
    confirm: bool = False


class RuleVerdictOut(Schema):
    status: str
    rule_id: str
    message_zh: str
    message_en: str
    citation: str


class DemandOut(Schema):
    id: int
    issuer_id: int
    issuer: str
    kind: str
    title: str
    day: dt.date
    last_day: dt.date | None
    staff_hours: float
    status: str
    receiver_unit_ids: list[int]
    receiver_school_ids: list[int]
    exception_reason: str
    verdicts: list[RuleVerdictOut]


class DemandDecisionIn(Schema):
    role: Literal["leader", "office"]
    approve: bool
    reason: str = Field("", max_length=500)


class ReportIn(Schema):
    unit_id: int | None = None
    school_id: int | None = None
    issuer_id: int
    what: str = Field(max_length=300)
    day: dt.date
    channel: str


class ReportOut(Schema):
    id: int
    issuer_id: int
    receiver_unit_id: int | None
    receiver_school_id: int | None
    what: str
    day: dt.date
    channel: str
    status: str
    handling_note: str


class HandleIn(Schema):
    note: str = Field(max_length=1000)


class AppIn(Schema):
    unit_id: int
    name: str = Field(max_length=100)
    kind: str
    purpose: str = Field("", max_length=200)
    owner: str = Field("", max_length=50)
    status: str = "kept"
    features: list[str] = []


class AppOut(Schema):
    id: int
    unit_id: int
    name: str
    kind: str
    purpose: str
    owner: str
    status: str
    features: list[str]
    verdicts: list[RuleVerdictOut]


class CountOut(Schema):
    kind: str
    first: dt.date
    last: dt.date
    count: int
    last_year: int
    allowed: int
    change_percent: float | None


class LoadOut(Schema):
    id: int
    name: str
    hours: float
    demands: int


class BoardOut(Schema):
    district_id: int
    today: dt.date
    counts: list[CountOut]
    receivers: list[LoadOut]
    issuers: list[LoadOut]
    refused: int
    exceptions: int
    pending: int
    reports_open: int
    reports_handled: int
    apps: dict[str, int]
    fields_asked: int
    fields_answered: int
    hours_saved: float


class PlanEntryIn(Schema):
    issuer_id: int
    year: int
    title: str = Field(max_length=200)
    month: int | None = None


class PlanEntryOut(Schema):
    id: int
    issuer_id: int
    issuer: str
    year: int
    title: str
    month: int | None
    in_use: bool


class ListEntryIn(Schema):
    kind: str
    name: str = Field(max_length=200)
    funding_per_year: FundingIn | None = None


class ListEntryOut(Schema):
    id: int
    kind: str
    name: str
    funding_per_year: Decimal | None
    in_use: bool


class ObservationPointsIn(Schema):
    unit_ids: list[int] = []


class CandidateOut(Schema):
    id: int
    name: str
    kind: str
    parent_id: int | None
    is_observation_point: bool
    reports: int


def _demand_out(demand: Demand) -> dict[str, Any]:
    return {
        "id": demand.pk,
        "issuer_id": demand.issuer_id,
        "issuer": demand.issuer.name,
        "kind": demand.kind,
        "title": demand.title,
        "day": demand.day,
        "last_day": demand.last_day,
        "staff_hours": demand.staff_hours,
        "status": demand.status,
        "receiver_unit_ids": sorted(demand.receiver_units.values_list("pk", flat=True)),
        "receiver_school_ids": sorted(demand.receiver_schools.values_list("pk", flat=True)),
        "exception_reason": demand.exception_reason,
        "verdicts": demand.verdicts,
    }


def _report_out(report: UnregisteredReport) -> dict[str, Any]:
    return {
        "id": report.pk,
        "issuer_id": report.issuer_id,
        "receiver_unit_id": report.receiver_unit_id,
        "receiver_school_id": report.receiver_school_id,
        "what": report.what,
        "day": report.day,
        "channel": report.channel,
        "status": report.status,
        "handling_note": report.handling_note,
    }


def _app_out(app: AppOrGroup) -> dict[str, Any]:
    return {
        "id": app.pk,
        "unit_id": app.unit_id,
        "name": app.name,
        "kind": app.kind,
        "purpose": app.purpose,
        "owner": app.owner,
        "status": app.status,
        "features": app.features,
        "verdicts": app.verdicts,
    }


@router.get(
    "/burden/demands", response={200: list[DemandOut], **ERRORS}, summary=_("减负登记：可见的事项")
)
def demand_list(request: HttpRequest, status: str = "") -> list[dict[str, Any]]:
    demands = selectors.demands_for(actor_from_request(request)).select_related("issuer")
    if status:
        demands = demands.filter(status=status)
    return [_demand_out(d) for d in demands.order_by("-day", "-pk")[:200]]


@router.post(
    "/burden/demands",
    response={201: DemandOut, **ERRORS},
    summary=_("登记并提交事项（按减负规定检查：下发、待审批，或不予下发并说明规则和依据）"),
)
def demand_create(request: HttpRequest, payload: DemandIn) -> Status[Any]:
    data = DemandInput(
        kind=payload.kind,
        title=payload.title,
        day=payload.day,
        last_day=payload.last_day,
        receiver_unit_ids=tuple(payload.receiver_unit_ids),
        receiver_school_ids=tuple(payload.receiver_school_ids),
        staff_hours=payload.staff_hours,
        attendee_level=payload.attendee_level,
        forwards_higher_document=payload.forwards_higher_document,
        evidence_asked=tuple(payload.evidence_asked),
        plan_entry_id=payload.plan_entry_id,
        list_entry_id=payload.list_entry_id,
        exception_reason=payload.exception_reason,
        funding_amount=payload.funding_amount,
        field_list=payload.field_list,
    )
    demand = services.demand_create_and_submit(
        actor=actor_from_request(request),
        issuer_id=payload.issuer_id,
        data=data,
        confirm=payload.confirm,
    )
    return Status(201, _demand_out(demand))


@router.get(
    "/burden/demands/{demand_id}", response={200: DemandOut, **ERRORS}, summary=_("事项详情")
)
def demand_detail(request: HttpRequest, demand_id: int) -> dict[str, Any]:
    return _demand_out(selectors.demand_get(actor_from_request(request), demand_id))


@router.post(
    "/burden/demands/{demand_id}/decisions",
    response={200: DemandOut, **ERRORS},
    summary=_("分管领导审核或减负办审批（role: leader / office）"),
)
def demand_decision(
    request: HttpRequest, demand_id: int, payload: DemandDecisionIn
) -> dict[str, Any]:
    demand = services.demand_decide(
        actor=actor_from_request(request),
        demand_id=demand_id,
        role=payload.role,
        approve=payload.approve,
        reason=payload.reason,
    )
    return _demand_out(demand)


@router.get(
    "/burden/received",
    response={200: list[DemandOut], **ERRORS},
    summary=_("本单位（乡镇、社区村或学校）某月收到的事项"),
)
def received_list(
    request: HttpRequest,
    unit_id: int | None = None,
    school_id: int | None = None,
    month: str = "",
) -> list[dict[str, Any]]:
    actor = actor_from_request(request)
    today = local_today()
    try:
        first = dt.date.fromisoformat(f"{month}-01") if month else today.replace(day=1)
    except ValueError:
        first = today.replace(day=1)
    following = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
    demands = selectors.demands_received(
        actor,
        unit_id=unit_id,
        school_id=school_id,
        first=first,
        last=following - dt.timedelta(days=1),
    )
    return [_demand_out(d) for d in demands]


@router.get(
    "/burden/reports", response={200: list[ReportOut], **ERRORS}, summary=_("未登记事项报告")
)
def report_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [_report_out(r) for r in selectors.reports_for(actor_from_request(request))[:200]]


@router.post(
    "/burden/reports",
    response={201: ReportOut, **ERRORS},
    summary=_("报告未经登记下达的事项（如微信群），报减负办"),
)
def report_create(request: HttpRequest, payload: ReportIn) -> Status[Any]:
    report = services.report_create(
        actor=actor_from_request(request),
        unit_id=payload.unit_id,
        school_id=payload.school_id,
        data=ReportInput(
            issuer_id=payload.issuer_id, what=payload.what, day=payload.day, channel=payload.channel
        ),
    )
    return Status(201, _report_out(report))


@router.post(
    "/burden/reports/{report_id}/handling",
    response={200: ReportOut, **ERRORS},
    summary=_("减负办记录处理情况"),
)
def report_handling(request: HttpRequest, report_id: int, payload: HandleIn) -> dict[str, Any]:
    report = services.report_handle(
        actor=actor_from_request(request), report_id=report_id, note=payload.note
    )
    return _report_out(report)


class HandlersIn(Schema):
    school_id: int
    teacher_ids: list[int] = []


class TeacherOut(Schema):
    id: int
    name: str


class HandlersOut(Schema):
    demand_id: int
    school_id: int
    teachers: list[TeacherOut]


def _handlers_out(demand_id: int, school_id: int, teachers: list[Any]) -> dict[str, Any]:
    return {
        "demand_id": demand_id,
        "school_id": school_id,
        "teachers": [{"id": t.pk, "name": t.name} for t in teachers],
    }


@router.get(
    "/burden/demands/{demand_id}/handlers",
    response={200: HandlersOut, **ERRORS},
    summary=_("学校收到的事项的承办人"),
)
def handlers_get(request: HttpRequest, demand_id: int, school_id: int) -> dict[str, Any]:
    teachers = selectors.school_demand_handlers(
        actor_from_request(request), school_id=school_id, demand_id=demand_id
    )
    return _handlers_out(demand_id, school_id, teachers)


@router.put(
    "/burden/demands/{demand_id}/handlers",
    response={200: HandlersOut, **ERRORS},
    summary=_("校长指定承办人（本校教师；空表示由全校教师分担）"),
)
def handlers_set(request: HttpRequest, demand_id: int, payload: HandlersIn) -> dict[str, Any]:
    posted = cleaned(forms.HandlersForm, {"demand": demand_id, "teachers": payload.teacher_ids})
    teachers = services.demand_handlers_set(
        actor=actor_from_request(request),
        school_id=payload.school_id,
        demand_id=posted["demand"],
        teacher_ids=posted["teachers"],
    )
    return _handlers_out(demand_id, payload.school_id, teachers)


@router.get("/burden/apps", response={200: list[AppOut], **ERRORS}, summary=_("政务应用和工作群"))
def app_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [_app_out(a) for a in selectors.apps_for(actor_from_request(request))[:500]]


@router.post(
    "/burden/apps",
    response={201: AppOut, **ERRORS},
    summary=_("登记政务应用或工作群（检查强制打卡、截图等功能）"),
)
def app_create(request: HttpRequest, payload: AppIn) -> Status[Any]:
    app = services.app_save(
        actor=actor_from_request(request),
        unit_id=payload.unit_id,
        data=AppInput(
            name=payload.name,
            kind=payload.kind,
            purpose=payload.purpose,
            owner=payload.owner,
            status=payload.status,
            features=tuple(payload.features),
        ),
    )
    return Status(201, _app_out(app))


@router.put(
    "/burden/apps/{app_id}",
    response={200: AppOut, **ERRORS},
    summary=_("更新政务应用或工作群（保留、合并、关停）"),
)
def app_update(request: HttpRequest, app_id: int, payload: AppIn) -> dict[str, Any]:
    app = services.app_save(
        actor=actor_from_request(request),
        unit_id=payload.unit_id,
        app_id=app_id,
        data=AppInput(
            name=payload.name,
            kind=payload.kind,
            purpose=payload.purpose,
            owner=payload.owner,
            status=payload.status,
            features=tuple(payload.features),
        ),
    )
    return _app_out(app)


@router.get("/burden/board", response={200: BoardOut, **ERRORS}, summary=_("减负办看板"))
def board(
    request: HttpRequest, issuer_id: int | None = None, district: int | None = None
) -> dict[str, Any]:
    actor = actor_from_request(request)
    b = selectors.board_for(
        actor, _campaign_district_id(request), today=local_today(), issuer_id=issuer_id
    )
    return {
        "district_id": b.district_id,
        "today": b.today,
        "counts": [
            {
                "kind": c.kind,
                "first": c.first,
                "last": c.last,
                "count": c.count,
                "last_year": c.last_year,
                "allowed": c.allowed,
                "change_percent": c.change_percent,
            }
            for c in b.counts
        ],
        "receivers": [
            {"id": x.receiver_id, "name": n, "hours": x.hours, "demands": x.demands}
            for n, x in b.receivers
        ],
        "issuers": [
            {"id": x.issuer_id, "name": n, "hours": x.hours, "demands": x.demands}
            for n, x in b.issuers
        ],
        "refused": b.refused,
        "exceptions": b.exceptions,
        "pending": b.pending,
        "reports_open": b.reports_open,
        "reports_handled": b.reports_handled,
        "apps": b.apps,
        "fields_asked": b.fields_asked,
        "fields_answered": b.fields_answered,
        "hours_saved": b.hours_saved,
    }


# --- the year's plan, the county's lists, the observation points ----------------------------
# Through the pages' own forms and services (qingfu.burden.keep): the same input is refused
# with the same message here and there.


def _plan_out(entry: InspectionPlanEntry, in_use: frozenset[int], pk: int) -> dict[str, Any]:
    return {
        "id": pk,
        "issuer_id": entry.issuer_id,
        "issuer": entry.issuer.name,
        "year": entry.year,
        "title": entry.title,
        "month": entry.month,
        "in_use": pk in in_use,
    }


@router.get(
    "/burden/plan-entries",
    response={200: list[PlanEntryOut], **ERRORS},
    summary=_("年度督查检查考核计划（本单位的，减负办为全县的）"),
)
def plan_entry_list(request: HttpRequest, year: int | None = None) -> list[dict[str, Any]]:
    actor = actor_from_request(request)
    entries = list(selectors.plan_entries_visible(actor, year or local_today().year))
    in_use = selectors.plan_entries_in_use(e.pk for e in entries)
    return [_plan_out(e, in_use, e.pk) for e in entries]


@router.post(
    "/burden/plan-entries",
    response={201: PlanEntryOut, **ERRORS},
    summary=_("报备一项年度计划内的督查检查考核"),
)
def plan_entry_create(request: HttpRequest, payload: PlanEntryIn) -> Status[Any]:
    data = {
        "issuer": payload.issuer_id,
        "year": payload.year,
        "title": payload.title,
        "month": payload.month,
    }
    entry = keep.PLAN.parse_and_add(actor_from_request(request), data)
    return Status(201, _plan_out(entry, frozenset(), entry.pk))


@router.delete(
    "/burden/plan-entries/{entry_id}",
    response={200: PlanEntryOut, **ERRORS},
    summary=_("从年度计划中删除（已有事项引用的不能删除）"),
)
def plan_entry_delete(request: HttpRequest, entry_id: int) -> dict[str, Any]:
    entry = keep.PLAN.remove_entry(actor_from_request(request), entry_id)
    return _plan_out(entry, frozenset(), entry_id)


def _list_out(entry: ListEntry, in_use: frozenset[int], pk: int) -> dict[str, Any]:
    return {
        "id": pk,
        "kind": entry.kind,
        "name": entry.name,
        "funding_per_year": entry.funding_per_year,
        "in_use": pk in in_use,
    }


@router.get(
    "/burden/list-entries",
    response={200: list[ListEntryOut], **ERRORS},
    summary=_("准入清单、证明事项清单、进校园白名单（kind 选一份）"),
)
def list_entry_list(
    request: HttpRequest, kind: str = "", district: int | None = None
) -> list[dict[str, Any]]:
    actor = actor_from_request(request)
    district_id = current_district_id(request, actor, among=selectors.list_districts(actor))
    entries = [e for e in selectors.list_entries(district_id) if not kind or e.kind == kind]
    in_use = selectors.list_entries_in_use(e.pk for e in entries)
    return [_list_out(e, in_use, e.pk) for e in entries]


@router.post(
    "/burden/list-entries",
    response={201: ListEntryOut, **ERRORS},
    summary=_("减负办增加清单事项"),
)
def list_entry_create(
    request: HttpRequest, payload: ListEntryIn, district: int | None = None
) -> Status[Any]:
    data = {
        "kind": payload.kind,
        "name": payload.name,
        "funding_per_year": payload.funding_per_year,
    }
    entry = keep.LISTS.parse_and_add(
        actor_from_request(request), data, district_id=_campaign_district_id(request)
    )
    return Status(201, _list_out(entry, frozenset(), entry.pk))


@router.delete(
    "/burden/list-entries/{entry_id}",
    response={200: ListEntryOut, **ERRORS},
    summary=_("减负办删除清单事项（已有事项引用的不能删除）"),
)
def list_entry_delete(request: HttpRequest, entry_id: int) -> dict[str, Any]:
    entry = keep.LISTS.remove_entry(actor_from_request(request), entry_id)
    return _list_out(entry, frozenset(), entry_id)


def _candidate_out(unit: Unit) -> dict[str, Any]:
    return {
        "id": unit.pk,
        "name": unit.name,
        "kind": unit.kind,
        "parent_id": unit.parent_id,
        "is_observation_point": unit.is_observation_point,
        "reports": getattr(unit, "reports", 0),
    }


@router.get(
    "/burden/observation-points",
    response={200: list[CandidateOut], **ERRORS},
    summary=_("全县乡镇、社区（村），及哪些是减负观察点"),
)
def observation_point_list(
    request: HttpRequest, district: int | None = None
) -> list[dict[str, Any]]:
    actor = actor_from_request(request)
    units = selectors.observation_candidates(actor, _campaign_district_id(request))
    return [_candidate_out(u) for u in units]


@router.put(
    "/burden/observation-points",
    response={200: list[CandidateOut], **ERRORS},
    summary=_("减负办设置减负观察点（所列的是，其余不是）"),
)
def observation_point_set(
    request: HttpRequest, payload: ObservationPointsIn, district: int | None = None
) -> list[dict[str, Any]]:
    actor = actor_from_request(request)
    district_id = _campaign_district_id(request)
    units = cleaned(forms.ObservationPointsForm, {"units": payload.unit_ids})["units"]
    services.observation_points_set(actor=actor, district_id=district_id, unit_ids=units)
    return [_candidate_out(u) for u in selectors.observation_candidates(actor, district_id)]
