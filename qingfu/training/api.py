"""JSON endpoints for off-campus training: the public registry and complaints (no sign-in),
the officer's registry writes and complaint handling, an institution's filings. The same
services as the pages; a refusal is 422 with each rule's message, id and document."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.utils.translation import ngettext
from ninja import Field, File, Router, Schema, Status
from ninja.files import UploadedFile

from qingfu.core.api import (
    ERRORS,
    PUBLIC_ERRORS,
    amount_parser,
    amount_schema,
    request_language,
)
from qingfu.core.errors import ValidationFailed
from qingfu.core.signin import client_address
from qingfu.policy.profile import rule_title
from qingfu.schools.actors import actor_from_request
from qingfu.schools.calendars import local_today
from qingfu.training import registry_import as imports
from qingfu.training import selectors, services
from qingfu.training.models import Complaint, Institution

router = Router(tags=["training"])

# Amounts as their columns hold them (digits, places).
Area = Annotated[Decimal, amount_parser(8, 1), amount_schema(8, 1)]
Price = Annotated[Decimal, amount_parser(8, 2), amount_schema(8, 2)]
Charge = Annotated[Decimal, amount_parser(10, 2), amount_schema(10, 2)]


class InstitutionOut(Schema):
    id: int
    name: str
    credit_code: str
    category: str
    subcategory: str
    status: str
    status_since: dt.date
    district: str


class TrainerOut(Schema):
    name: str
    certificate_number: str


class CourseOut(Schema):
    id: int
    name: str
    subject: str
    grade_from: int
    grade_to: int
    lesson_minutes: int
    benchmark_price: Decimal | None
    price: Decimal


class InstitutionDetailOut(InstitutionOut):
    licence_number: str
    licence_from: dt.date | None
    licence_to: dt.date | None
    is_nonprofit: bool
    address: str
    area_m2: Decimal
    status_reason: str
    trainers: list[TrainerOut]
    courses: list[CourseOut]


def _institution_out(i: Institution) -> dict[str, Any]:
    return {
        "id": i.pk,
        "name": i.unit.name,
        "credit_code": i.credit_code,
        "category": i.category,
        "subcategory": i.subcategory,
        "status": i.status,
        "status_since": i.status_since,
        "district": i.district.name,
    }


def _detail_out(institution_id: int) -> dict[str, Any]:
    found = selectors.public_institution(institution_id)
    i = found.institution
    return {
        **_institution_out(i),
        "licence_number": i.licence_number,
        "licence_from": i.licence_from,
        "licence_to": i.licence_to,
        "is_nonprofit": i.is_nonprofit,
        "address": i.address,
        "area_m2": i.area_m2,
        "status_reason": i.status_reason,
        "trainers": [{"name": n, "certificate_number": c} for n, c in found.trainers],
        "courses": found.courses,
    }


@router.get(
    "/training/institutions",
    response={200: list[InstitutionOut], **PUBLIC_ERRORS},
    auth=None,
)
def institutions_search(request: HttpRequest, q: str = "") -> list[dict[str, Any]]:
    """公开查询校外培训机构（名称或统一社会信用代码）"""
    return [_institution_out(i) for i in selectors.public_search(q[:60])]


@router.get(
    "/training/institutions/{institution_id}",
    response={200: InstitutionDetailOut, **PUBLIC_ERRORS},
    auth=None,
)
def institution_detail(request: HttpRequest, institution_id: int) -> dict[str, Any]:
    """公开查看机构：状态、许可证、持证人员、已备案课程与收费"""
    return _detail_out(institution_id)


class InstitutionIn(Schema):
    name: str = Field(max_length=100)
    credit_code: str = Field(max_length=18)
    licence_number: str = ""
    licence_from: dt.date | None = None
    licence_to: dt.date | None = None
    category: Literal["academic", "non-academic"]
    subcategory: Literal["compulsory", "high-school", "sports", "arts", "science", "other"]
    is_nonprofit: bool = False
    address: str
    area_m2: Area

    def data(self) -> services.InstitutionInput:
        return services.InstitutionInput(**self.dict())


class InstitutionCreateIn(InstitutionIn):
    district_id: int


@router.post(
    "/training/institutions",
    response={201: InstitutionDetailOut, **ERRORS},
)
def institution_create(request: HttpRequest, payload: InstitutionCreateIn) -> Status[Any]:
    """登记机构（校外培训监管）"""
    values = payload.dict()
    district_id = values.pop("district_id")
    made = services.institution_create(
        actor=actor_from_request(request),
        district_id=district_id,
        data=services.InstitutionInput(**values),
    )
    return Status(201, _detail_out(made.pk))


@router.put(
    "/training/institutions/{institution_id}",
    response={200: InstitutionDetailOut, **ERRORS},
)
def institution_update(
    request: HttpRequest, institution_id: int, payload: InstitutionIn
) -> dict[str, Any]:
    """更正机构登记信息（校外培训监管）"""
    services.institution_update(
        actor=actor_from_request(request), institution_id=institution_id, data=payload.data()
    )
    return _detail_out(institution_id)


class RegistryImportOut(Schema):
    rows: int
    created: int
    updated: int


@router.post(
    "/training/districts/{district_id}/registry",
    response={200: RegistryImportOut, **ERRORS},
)
def registry_import(
    request: HttpRequest, district_id: int, file: File[UploadedFile]
) -> Status[Any]:
    """导入机构名录（XLSX 或 UTF-8/GBK CSV，全部成功或全部不导入，逐行报错）"""
    try:
        result = imports.registry_import(
            actor=actor_from_request(request),
            district_id=district_id,
            filename=file.name or "",
            data=file.read(),
        )
    except imports.RegistryInvalid as exc:
        return Status(
            422,
            {
                "code": "registry_invalid",
                "message": ngettext(
                    "名录有 %(n)d 处错误，未导入任何数据。",
                    "名录有 %(n)d 处错误，未导入任何数据。",
                    len(exc.row_errors),
                )
                % {"n": len(exc.row_errors)},
                "row_errors": [e.__dict__ for e in exc.row_errors],
            },
        )
    except ValidationFailed as exc:
        message = " ".join(m for ms in exc.errors.values() for m in ms)
        return Status(422, {"code": "registry_unreadable", "message": message, "row_errors": []})
    return Status(200, result.__dict__)


class StatusIn(Schema):
    status: Literal["registered", "rectifying", "deregistered", "blacklisted"]
    reason: str = ""
    date: dt.date | None = None


@router.post(
    "/training/institutions/{institution_id}/status",
    response={200: InstitutionDetailOut, **ERRORS},
)
def institution_status(
    request: HttpRequest, institution_id: int, payload: StatusIn
) -> dict[str, Any]:
    """变更机构状态（黑名单、整改、注销须写原因）"""
    services.institution_set_status(
        actor=actor_from_request(request),
        institution_id=institution_id,
        status=payload.status,
        reason=payload.reason,
        date=payload.date,
    )
    return _detail_out(institution_id)


class TrainerIn(Schema):
    name: str
    certificate_number: str = ""
    teaches_academic: bool = False


class FiledOut(Schema):
    id: int
    status: str
    verdicts: list[dict[str, Any]]


@router.post(
    "/training/institutions/{institution_id}/trainers",
    response={201: TrainerOut, **ERRORS},
)
def trainer_add(request: HttpRequest, institution_id: int, payload: TrainerIn) -> Status[Any]:
    """添加培训人员（学科类须有教师资格证）"""
    made = services.trainer_add(
        actor=actor_from_request(request), institution_id=institution_id, **payload.dict()
    )
    return Status(201, {"name": made.name, "certificate_number": made.certificate_number})


class TrainerRowOut(TrainerOut):
    id: int
    teaches_academic: bool


class TrainerChangeIn(Schema):
    name: str = Field(max_length=50)
    certificate_number: str = Field(default="", max_length=40)
    teaches_academic: bool = False


@router.put(
    "/training/trainers/{trainer_id}",
    response={200: TrainerRowOut, **ERRORS},
)
def trainer_update(request: HttpRequest, trainer_id: int, payload: TrainerChangeIn) -> Any:
    """更正培训人员信息（本机构人员或本区县监管人员；学科类须有教师资格证）"""
    return services.trainer_update(
        actor=actor_from_request(request), trainer_id=trainer_id, **payload.dict()
    )


class TrainerRemovedOut(Schema):
    id: int
    name: str


@router.delete(
    "/training/trainers/{trainer_id}",
    response={200: TrainerRemovedOut, **ERRORS},
)
def trainer_remove(request: HttpRequest, trainer_id: int) -> dict[str, Any]:
    """将培训人员移出名单（其他记录引用时不予删除）"""
    name = services.trainer_remove(actor=actor_from_request(request), trainer_id=trainer_id)
    return {"id": trainer_id, "name": name}


class CourseIn(Schema):
    name: str
    subject: str
    grade_from: int
    grade_to: int
    lesson_minutes: int
    benchmark_price: Price | None = None
    price: Price


@router.post(
    "/training/institutions/{institution_id}/courses",
    response={201: FiledOut, **ERRORS},
)
def course_file(request: HttpRequest, institution_id: int, payload: CourseIn) -> Status[Any]:
    """课程与收费备案（超出指导价上浮幅度不予备案：trn.prices）"""
    made = services.course_file(
        actor=actor_from_request(request),
        institution_id=institution_id,
        data=services.CourseInput(**payload.dict()),
    )
    return Status(201, made)


class SessionIn(Schema):
    course_id: int
    weekday: int
    start: dt.time
    end: dt.time
    mode: Literal["online", "offline"]
    lessons: int = 1
    break_minutes: int = 0
    term_first: dt.date
    term_last: dt.date


@router.post(
    "/training/institutions/{institution_id}/sessions",
    response={201: FiledOut, **ERRORS},
)
def session_file(request: HttpRequest, institution_id: int, payload: SessionIn) -> Status[Any]:
    """课程安排备案（学科类休息日、节假日、寒暑假及超时不予备案）"""
    made = services.session_file(
        actor=actor_from_request(request),
        institution_id=institution_id,
        data=services.SessionInput(**payload.dict()),
    )
    return Status(201, made)


class ChargeIn(Schema):
    student_label: str = Field(max_length=40)
    amount: Charge
    lesson_hours: int
    months: int
    paid_on: dt.date
    into_supervised_account: bool
    account_bank: str = ""


@router.post(
    "/training/institutions/{institution_id}/charges",
    response={201: FiledOut, **ERRORS},
)
def charge_file(request: HttpRequest, institution_id: int, payload: ChargeIn) -> Status[Any]:
    """预收费备案（超过 3 个月或 60 课时、未进监管账户不予备案：trn.prepaid）"""
    made = services.charge_file(
        actor=actor_from_request(request),
        institution_id=institution_id,
        data=services.ChargeInput(**payload.dict()),
    )
    return Status(201, made)


class ComplaintIn(Schema):
    institution_id: int | None = None
    institution_name: str = ""
    what_happened: str
    contact: str = ""
    district_id: int | None = None


class ComplaintEventOut(Schema):
    date: dt.date
    status: str
    note: str


class ComplaintFollowOut(Schema):
    reference: str
    status: str
    institution: str
    received_on: dt.date
    deadline: dt.date
    events: list[ComplaintEventOut]


class ComplaintMadeOut(ComplaintFollowOut):
    follow_token: str


def _follow_out(c: Complaint) -> dict[str, Any]:
    return {
        "reference": c.reference,
        "status": c.status,
        "institution": c.about,
        "received_on": c.received_on,
        "deadline": c.deadline,
        "events": list(c.events.all()),
    }


@router.post(
    "/training/complaints",
    response={201: ComplaintMadeOut, **PUBLIC_ERRORS},
    auth=None,
)
def complaint_submit(request: HttpRequest, payload: ComplaintIn) -> Status[Any]:
    """投诉举报（无需登录；返回受理编号和查询码；同一地址每小时最多 5 件）"""
    made = services.complaint_submit(
        district_id=payload.district_id,
        institution_id=payload.institution_id,
        institution_name=payload.institution_name[:100],
        what_happened=payload.what_happened[:2000],
        contact=payload.contact[:100],
        address=client_address(request) or "unknown",
    )
    return Status(201, {**_follow_out(made), "follow_token": made.follow_token})


@router.get(
    "/training/complaints/{reference}",
    response={200: ComplaintFollowOut, **PUBLIC_ERRORS},
    auth=None,
)
def complaint_follow(request: HttpRequest, reference: str, token: str = "") -> dict[str, Any]:
    """凭受理编号和查询码查看办理进度"""
    return _follow_out(selectors.complaint_follow(reference, token))


class ComplaintOut(Schema):
    id: int
    reference: str
    status: str
    institution: str
    what_happened: str
    contact: str
    received_on: dt.date
    deadline: dt.date
    is_overdue: bool


@router.get(
    "/training/districts/{district_id}/complaints",
    response={200: list[ComplaintOut], **ERRORS},
)
def complaints_list(
    request: HttpRequest, district_id: int, status: str = ""
) -> list[dict[str, Any]]:
    """本区县投诉举报（校外培训监管；含联系方式）"""
    today = local_today()
    rows = selectors.complaints_for(
        actor_from_request(request),
        district_id=district_id,
        status=status if status in Complaint.Status.values else "",
    )
    return [
        {
            "id": c.pk,
            "reference": c.reference,
            "status": c.status,
            "institution": c.about,
            "what_happened": c.what_happened,
            "contact": c.contact,
            "received_on": c.received_on,
            "deadline": c.deadline,
            "is_overdue": c.is_open and c.deadline < today,
        }
        for c in rows
    ]


class MoveIn(Schema):
    status: Literal["verifying", "handling", "closed", "rejected"]
    note: str = ""


@router.post(
    "/training/complaints/{complaint_id}/moves",
    response={200: ComplaintFollowOut, **ERRORS},
)
def complaint_move(request: HttpRequest, complaint_id: int, payload: MoveIn) -> dict[str, Any]:
    """办理投诉：核查、处理、办结或不予受理（办结、不予受理须写说明）"""
    moved = services.complaint_move(
        actor=actor_from_request(request),
        complaint_id=complaint_id,
        status=payload.status,
        note=payload.note[:500],
    )
    return _follow_out(moved)


# --- the registry's reads: the officer's district, an institution's own staff --------------


class RegistryRowOut(InstitutionOut):
    licence_number: str
    licence_to: dt.date | None
    is_nonprofit: bool
    refused: int  # refused filings (courses, sessions, charges)


class RegistryPageOut(Schema):
    count: int
    page: int
    page_size: int
    items: list[RegistryRowOut]


@router.get(
    "/training/districts/{district_id}/institutions",
    response={200: RegistryPageOut, **ERRORS},
)
def registry_list(
    request: HttpRequest,
    district_id: int,
    category: Literal["", "academic", "non-academic"] = "",
    status: Literal["", "registered", "rectifying", "deregistered", "blacklisted"] = "",
    q: Annotated[str, Field(max_length=60)] = "",
    page: Annotated[int, Field(ge=1, le=10_000)] = 1,
    page_size: Annotated[int, Field(ge=1, le=selectors.REGISTRY_PAGE_MOST)] = 50,
) -> dict[str, Any]:
    """本区县机构名录（校外培训监管）：按类别、状态筛选，按名称或信用代码查找，分页"""
    found = selectors.registry_page(
        actor_from_request(request),
        district_id=district_id,
        category=category,
        status=status,
        query=q,
        page=page,
        page_size=page_size,
    )
    return {
        "count": found.total,
        "page": found.page,
        "page_size": found.page_size,
        "items": [
            {
                **_institution_out(i),
                "licence_number": i.licence_number,
                "licence_to": i.licence_to,
                "is_nonprofit": i.is_nonprofit,
                "refused": i.refused,  # type: ignore[attr-defined]
            }
            for i in found.rows
        ],
    }


class StatusChangeOut(Schema):
    status: str
    reason: str
    date: dt.date


@router.get(
    "/training/institutions/{institution_id}/history",
    response={200: list[StatusChangeOut], **ERRORS},
)
def status_history(request: HttpRequest, institution_id: int) -> list[Any]:
    """机构状态变更记录（本区县监管人员，或本机构人员）"""
    return list(
        selectors.status_history(actor_from_request(request), institution_id=institution_id)
    )


class RefusedRuleOut(Schema):
    rule_id: str
    title: str
    message: str
    citation: str


class RefusedFilingOut(Schema):
    kind: Literal["course", "session", "charge"]
    id: int
    filed_at: dt.datetime
    rules: list[RefusedRuleOut]


def _rules_out(rows: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    english = lang.startswith("en")
    return [
        {
            "rule_id": str(r.get("rule_id", "")),
            "title": rule_title(str(r.get("rule_id", "")), lang),
            "message": str(r.get("message_en") if english else r.get("message_zh")),
            "citation": str(r.get("citation", "")),
        }
        for r in rows
    ]


@router.get(
    "/training/institutions/{institution_id}/refusals",
    response={200: list[RefusedFilingOut], **ERRORS},
)
def refused_filings(request: HttpRequest, institution_id: int) -> list[dict[str, Any]]:
    """不予备案的课程、课程安排和预收费，及所违反的规则和依据"""
    lang = request_language(request)
    return [
        {
            "kind": r.kind,
            "id": r.filing_id,
            "filed_at": r.filed_at,
            "rules": _rules_out(r.refusals, lang),
        }
        for r in selectors.refused_filings(
            actor_from_request(request), institution_id=institution_id
        )
    ]


class SessionOut(Schema):
    id: int
    status: str
    course_id: int
    course: str
    weekday: int
    start: dt.time
    end: dt.time
    mode: str
    lessons: int
    break_minutes: int
    term_first: dt.date
    term_last: dt.date


@router.get(
    "/training/institutions/{institution_id}/sessions",
    response={200: list[SessionOut], **ERRORS},
)
def sessions_list(request: HttpRequest, institution_id: int) -> list[dict[str, Any]]:
    """机构的课程安排（已备案和不予备案）"""
    return [
        {
            "id": s.pk,
            "status": s.status,
            "course_id": s.course_id,
            "course": s.course.name,
            "weekday": s.weekday,
            "start": s.start,
            "end": s.end,
            "mode": s.mode,
            "lessons": s.lessons,
            "break_minutes": s.break_minutes,
            "term_first": s.term_first,
            "term_last": s.term_last,
        }
        for s in selectors.sessions_of(actor_from_request(request), institution_id=institution_id)
    ]


class ChargeOut(Schema):
    id: int
    status: str
    student_label: str
    amount: Decimal
    lesson_hours: int
    months: int
    paid_on: dt.date
    into_supervised_account: bool
    account_bank: str


@router.get(
    "/training/institutions/{institution_id}/charges",
    response={200: list[ChargeOut], **ERRORS},
)
def charges_list(request: HttpRequest, institution_id: int) -> list[Any]:
    """机构的预收费（学员编号属个人信息，查看记入审计日志；最近 500 笔）"""
    return list(selectors.charges_of(actor_from_request(request), institution_id=institution_id))


class RecheckedOut(Schema):
    kind: Literal["course", "session", "charge"]
    id: int
    rules: list[RefusedRuleOut]


class RecheckOut(Schema):
    refused: int
    filings: list[RecheckedOut]


@router.post(
    "/training/institutions/{institution_id}/recheck",
    response={200: RecheckOut, **ERRORS},
)
def institution_recheck(request: HttpRequest, institution_id: int) -> dict[str, Any]:
    """按现行规则和校历复核机构已备案的课程、安排和预收费；返回因此不予备案的各项及规则"""
    lang = request_language(request)
    changed = services.institution_recheck(
        actor=actor_from_request(request), institution_id=institution_id
    )
    return {
        "refused": len(changed),
        "filings": [
            {"kind": c.kind, "id": c.filing_id, "rules": _rules_out(c.refusals, lang)}
            for c in changed
        ],
    }
