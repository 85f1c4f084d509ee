"""JSON endpoint for a student's results: bands only, in date order, for those who may see."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.http import HttpRequest
from django.utils.translation import gettext_lazy
from ninja import Router, Schema

from qingfu.assessment import selectors
from qingfu.core.api import ERRORS
from qingfu.schools.actors import actor_from_request


def _(text: str) -> str:
    """An endpoint's summary, translated when the OpenAPI document is rendered."""
    return cast(str, gettext_lazy(text))


router = Router(tags=["assessment"])


class ResultOut(Schema):
    exam_id: int
    date: dt.date
    subject: str
    kind: str
    band: str


@router.get(
    "/assessment/students/{student_id}/results",
    response={200: list[ResultOut], **ERRORS},
    summary=_("学生的考试等级（不含分数与名次）"),
)
def student_results(request: HttpRequest, student_id: int) -> list[dict[str, Any]]:
    _student, results = selectors.student_results(actor_from_request(request), student_id)
    return [
        {
            "exam_id": r.exam_id,
            "date": r.exam.date,
            "subject": r.exam.subject.name,
            "kind": r.exam.get_kind_display(),
            "band": r.band,
        }
        for r in results
    ]
