"""JSON endpoints for homework: the live check, publishing, exceptions, a class's day."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.http import HttpRequest
from django.utils.translation import gettext_lazy
from ninja import Router, Schema, Status

from qingfu.core.api import ERRORS, ErrorOut, VerdictOut, request_language, verdict_out
from qingfu.homework import selectors, services
from qingfu.homework.data import HomeworkDraft, ItemDraft
from qingfu.homework.load import ClassDayCheck
from qingfu.schools import selectors as school_selectors
from qingfu.schools.actors import actor_from_request


def _(text: str) -> str:
    """An endpoint's summary, translated when the OpenAPI document is rendered."""
    return cast(str, gettext_lazy(text))


router = Router(tags=["homework"])


class HomeworkItemIn(Schema):
    content: str
    kind: str = "written"
    tier: str = "basic"
    minutes: int
    place: str = "home"
    is_mandatory: bool = True
    ability_elements: list[str] = []
    needs_phone: bool = False
    asks_parents_to_grade: bool = False
    is_punitive: bool = False
    copying_minutes: int = 0


class DraftIn(Schema):
    subject_id: int
    class_ids: list[int]
    date: dt.date
    due_on: dt.date
    items: list[HomeworkItemIn]
    note: str = ""
    exception_reason: str | None = None


class DayItemOut(Schema):
    subject: str
    teacher: str
    content: str
    minutes: int
    counts_toward_cap: bool


class ClassDayOut(Schema):
    class_id: int
    class_name: str
    day_kind: str
    cap: int
    minutes_before: int
    minutes_after: int
    status: str
    existing: list[DayItemOut]
    verdicts: list[VerdictOut]


class BlockedOut(ErrorOut):
    """The error shape, with why each class's day is over its limit."""

    can_request_exception: bool
    classes: list[ClassDayOut]


class AssignmentOut(Schema):
    id: int
    status: str
    class_ids: list[int]


class ExceptionDecisionIn(Schema):
    grant: bool
    reason: str


def _draft(payload: DraftIn) -> HomeworkDraft:
    return HomeworkDraft(
        subject_id=payload.subject_id,
        class_ids=tuple(payload.class_ids),
        date=payload.date,
        due_on=payload.due_on,
        items=tuple(
            ItemDraft(**(item.dict() | {"ability_elements": tuple(item.ability_elements)}))
            for item in payload.items
        ),
        note=payload.note,
    )


def _check_out(check: ClassDayCheck, lang: str) -> dict[str, Any]:
    return {
        "class_id": check.class_id,
        "class_name": check.class_name,
        "day_kind": check.day_kind.value,
        "cap": check.cap,
        "minutes_before": check.minutes_before,
        "minutes_after": check.minutes_after,
        "status": check.status.value,
        "existing": [e.__dict__ for e in check.existing],
        "verdicts": [verdict_out(v, lang) for v in check.all_verdicts],
    }


@router.post(
    "/homework/check", response={200: list[ClassDayOut], **ERRORS}, summary=_("作业量实时检查")
)
def homework_check(request: HttpRequest, payload: DraftIn) -> list[dict[str, Any]]:
    actor = actor_from_request(request)
    return [
        _check_out(c, request_language(request))
        for c in selectors.draft_check(actor, _draft(payload))
    ]


@router.post(
    "/homework",
    response={200: AssignmentOut, 409: BlockedOut, **ERRORS},
    summary=_("发布作业（多个班级全部成功或全部不发布）"),
)
def homework_publish(request: HttpRequest, payload: DraftIn) -> Status[Any]:
    actor = actor_from_request(request)
    try:
        assignment = services.homework_publish(
            actor=actor, draft=_draft(payload), exception_reason=payload.exception_reason
        )
    except services.PublishBlocked as exc:
        return Status(
            409,
            {
                "code": "over_limit",
                "message": exc.message(),
                "can_request_exception": exc.can_request_exception,
                "classes": [_check_out(c, request_language(request)) for c in exc.checks],
            },
        )
    return Status(
        200,
        {
            "id": assignment.pk,
            "status": assignment.status,
            "class_ids": list(assignment.targets.values_list("school_class_id", flat=True)),
        },
    )


@router.post(
    "/homework/exceptions/{exception_id}/decision",
    response={200: AssignmentOut, **ERRORS},
    summary=_("年级组长审批作业超量例外"),
)
def exception_decide(
    request: HttpRequest, exception_id: int, payload: ExceptionDecisionIn
) -> dict[str, Any]:
    actor = actor_from_request(request)
    decided = services.exception_decide(
        actor=actor, exception_id=exception_id, grant=payload.grant, reason=payload.reason
    )
    assignment = decided.assignment
    assignment.refresh_from_db()
    return {
        "id": assignment.pk,
        "status": assignment.status,
        "class_ids": list(assignment.targets.values_list("school_class_id", flat=True)),
    }


@router.get(
    "/classes/{class_id}/homework",
    response={200: list[DayItemOut], **ERRORS},
    summary=_("班级某天的作业"),
)
def class_homework(request: HttpRequest, class_id: int, date: dt.date) -> list[dict[str, Any]]:
    actor = actor_from_request(request)
    school_selectors.class_get(actor, class_id)
    day = selectors.today_for_classes([class_id], date).get(class_id)
    return [item.__dict__ for item in day.items] if day else []
