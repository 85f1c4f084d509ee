"""JSON endpoint for burden-survey results: the same selector as the results page, so the
same scoping and the same small-group suppression (a suppressed group has ``null``
counts per option, never zeros)."""

from __future__ import annotations

from typing import Any, cast

from django.http import HttpRequest
from django.utils.translation import gettext_lazy
from ninja import Router, Schema

from qingfu.core.api import ERRORS
from qingfu.schools.actors import actor_from_request
from qingfu.surveys import selectors, tally


def _(text: str) -> str:
    """An endpoint's summary, translated when the OpenAPI document is rendered."""
    return cast(str, gettext_lazy(text))


router = Router(tags=["surveys"])


class OptionOut(Schema):
    value: str
    label: str
    count: int
    percent: float


class QuestionOut(Schema):
    id: str
    text: str
    kind: str
    answered: int
    suppressed: bool
    options: list[OptionOut] | None = None
    mean: float | None = None
    median: float | None = None


class GradeMinutesOut(Schema):
    grade: int
    respondents: int
    cap_minutes: int
    over_cap_percent: float | None = None


class AudienceOut(Schema):
    audience: str
    invited: int
    responded: int
    response_rate: float | None = None
    questions: list[QuestionOut]
    minutes_by_grade: list[GradeMinutesOut]
    comments: list[str] | None = None  # sorted by text, identical ones repeated


class RateOut(Schema):
    grade: int | None = None  # None: teachers
    audience: str
    invited: int
    responded: int
    response_rate: float | None = None


class ResultsOut(Schema):
    survey_id: int
    title: str
    status: str
    scope: str  # the school's name, or the district's for a district total
    school_id: int | None = None
    min_group: int
    audiences: list[AudienceOut]
    rates: list[RateOut]


@router.get(
    "/surveys/{survey_id}/results",
    response={200: ResultsOut, **ERRORS},
    summary=_("课业负担调查结果：回收率（按年级、对象）与各题分布，小群体不显示"),
)
def survey_results(
    request: HttpRequest, survey_id: int, school_id: int | None = None
) -> dict[str, Any]:
    r = selectors.survey_results(actor_from_request(request), survey_id, school_id)
    return {
        "survey_id": r.survey.pk,
        "title": r.survey.title,
        "status": r.survey.status,
        "scope": r.title,
        "school_id": r.school_id,
        "min_group": r.minimum,
        "audiences": [
            {
                "audience": a.audience,
                "invited": a.invited,
                "responded": a.responded,
                "response_rate": a.rate,
                "questions": [_question_out(t) for t in a.questions],
                "minutes_by_grade": [
                    {
                        "grade": g.grade,
                        "respondents": g.respondents,
                        "cap_minutes": g.cap,
                        "over_cap_percent": g.over_cap_percent,
                    }
                    for g in a.minutes_by_grade
                ],
                "comments": (
                    [text for text, n in a.comments for _copy in range(n)]
                    if a.comments is not None
                    else None
                ),
            }
            for a in r.audiences
        ],
        "rates": [
            {
                "grade": row.grade,
                "audience": audience,
                "responded": cell[0],
                "invited": cell[1],
                "response_rate": cell[2],
            }
            for row in r.rates
            for audience, cell in row.cells.items()
        ],
    }


def _question_out(t: tally.QuestionTally) -> dict[str, Any]:
    bars = t.bars
    return {
        "id": t.question.id,
        "text": t.question.text,
        "kind": t.question.kind.value,
        "answered": t.answered,
        "suppressed": t.is_suppressed,
        "options": None
        if bars is None
        else [
            {"value": b.value, "label": b.label, "count": b.count, "percent": b.percent}
            for b in bars
        ],
        "mean": t.mean,
        "median": t.median,
    }
