"""JSON endpoints for schools, classes, students, rosters, calendars and policy.

Thin: parse, call a selector or service, shape the output. Same scoping as the pages.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal, cast

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext, gettext_lazy, ngettext
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile

from qingfu.core.api import ERRORS, VerdictOut, request_language, verdict_out
from qingfu.core.errors import NotFound, ValidationFailed
from qingfu.core.services import user_language_set
from qingfu.policy.checks import HomeworkItemFacts, check_homework_day
from qingfu.schools import selectors, services
from qingfu.schools.actors import actor_from_request
from qingfu.schools.calendars import day_info, local_today, profile_for_school
from qingfu.schools.models import School


def _(text: str) -> str:
    """An endpoint's summary, translated when the OpenAPI document is rendered."""
    return cast(str, gettext_lazy(text))


router = Router(tags=["schools"])


class MeOut(Schema):
    user_id: int
    name: str
    roles: list[str]
    school_ids: list[int]
    district_ids: list[int]


class LanguageIn(Schema):
    language: Literal["zh-hans", "en"]


class SchoolOut(Schema):
    id: int
    name: str
    stage: str
    classes: int
    students: int
    teachers: int


class ClassOut(Schema):
    id: int
    name: str
    grade: int
    number: int
    school_id: int
    head_teacher: str | None


class StudentOut(Schema):
    id: int
    name: str
    gender: str
    national_id: str
    class_id: int
    class_name: str


class GuardianOut(Schema):
    name: str
    relationship: str
    phone: str | None


class StudentDetailOut(StudentOut):
    birth_date: dt.date
    guardians: list[GuardianOut]


class ImportOut(Schema):
    rows: int
    students_created: int
    students_updated: int
    students_unchanged: int
    classes_created: int
    guardians_created: int


class DayOut(Schema):
    date: dt.date
    kind: str
    label: str
    holiday_name: str | None
    week: int | None


class CheckItemIn(Schema):
    subject: str
    minutes: int
    is_written: bool = True
    at_home: bool = True
    is_mandatory: bool = True
    needs_phone: bool = False
    asks_parents_to_grade: bool = False
    is_punitive: bool = False


class ClassDayCheckIn(Schema):
    class_id: int
    date: dt.date
    items: list[CheckItemIn]


def _student_out(s: Any) -> dict[str, Any]:
    return {
        "id": s.pk,
        "name": s.name,
        "gender": s.get_gender_display(),
        "national_id": s.national_id,
        "class_id": s.school_class_id,
        "class_name": s.school_class.name,
    }


@router.get("/me", response={200: MeOut, **ERRORS}, summary=_("当前用户与角色"))
def me(request: HttpRequest) -> dict[str, Any]:
    actor = actor_from_request(request)
    return {
        "user_id": actor.user_id,
        "name": actor.display_name,
        "roles": [r.value for r in selectors.role_list(actor)],
        "school_ids": sorted(actor.school_ids | actor.inspected_school_ids),
        "district_ids": sorted(actor.district_ids),
    }


@router.post("/me/language", response={200: LanguageIn, **ERRORS}, summary=_("设置界面语言"))
def set_language(request: HttpRequest, payload: LanguageIn) -> dict[str, str]:
    user_language_set(user=request.user, language=payload.language)  # type: ignore[arg-type]
    return {"language": payload.language}


@router.get("/schools", response={200: list[SchoolOut], **ERRORS}, summary=_("可见的学校"))
def school_list(request: HttpRequest) -> list[Any]:
    actor = actor_from_request(request)
    ids = list(selectors.schools_for(actor).order_by("code").values_list("id", flat=True))
    return [selectors.school_figures(actor, i).__dict__ | {"id": i} for i in ids]


@router.get("/schools/{school_id}/classes", response={200: list[ClassOut], **ERRORS})
def class_list(request: HttpRequest, school_id: int) -> list[dict[str, Any]]:
    actor = actor_from_request(request)
    if not selectors.schools_for(actor).filter(id=school_id).exists():
        raise NotFound()
    classes = selectors.classes_for(actor).filter(school_id=school_id)
    return [
        {
            "id": c.pk,
            "name": c.name,
            "grade": c.grade.number,
            "number": c.number,
            "school_id": c.school_id,
            "head_teacher": c.head_teacher.name if c.head_teacher else None,
        }
        for c in classes.order_by("grade__number", "number")
    ]


@router.get(
    "/classes/{class_id}/students",
    response={200: list[StudentOut], **ERRORS},
    summary=_("班级学生"),
)
def class_students(request: HttpRequest, class_id: int) -> list[dict[str, Any]]:
    actor = actor_from_request(request)
    school_class = selectors.class_get(actor, class_id)
    if not selectors.may_see_people_of(actor, school_class):
        raise NotFound()
    return [_student_out(s) for s in selectors.class_roster(actor, class_id)]


@router.get("/students/{student_id}", response={200: StudentDetailOut, **ERRORS})
def student_detail(request: HttpRequest, student_id: int) -> dict[str, Any]:
    actor = actor_from_request(request)
    student = selectors.student_get(actor, student_id)
    return _student_out(student) | {
        "birth_date": student.birth_date,
        "guardians": [g.__dict__ for g in selectors.student_guardians(actor, student)],
    }


@router.post(
    "/schools/{school_id}/roster",
    response={200: ImportOut, **ERRORS},
    summary=_("导入学生名册（XLSX 或 CSV，全部成功或全部不导入）"),
)
def roster_import(request: HttpRequest, school_id: int, file: File[UploadedFile]) -> Status[Any]:
    actor = actor_from_request(request)
    try:
        result = services.roster_import(
            actor=actor,
            school_id=school_id,
            filename=file.name or "",
            data=file.read(),
            today=local_today(),
        )
    except services.RosterInvalid as exc:
        return Status(
            422,
            {
                "code": "roster_invalid",
                "message": ngettext(
                    "名册有 %(n)d 处错误，未导入任何数据。",
                    "名册有 %(n)d 处错误，未导入任何数据。",
                    len(exc.row_errors),
                )
                % {"n": len(exc.row_errors)},
                "row_errors": [e.__dict__ for e in exc.row_errors],
            },
        )
    except ValidationFailed as exc:
        return Status(
            422,
            {
                "code": "roster_unreadable",
                "message": exc.errors["file"][0],
                "errors": exc.errors,
                "row_errors": [],
            },
        )
    return Status(200, result.__dict__)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get(
    "/schools/{school_id}/roster.xlsx",
    response={200: None, **ERRORS},
    summary=_("导出学生名册（XLSX）"),
    openapi_extra={
        "responses": {
            200: {
                "description": "OK",
                "content": {XLSX: {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def roster_export(
    request: HttpRequest, school_id: int, class_id: int | None = None
) -> HttpResponse:
    actor = actor_from_request(request)
    data = services.roster_export_xlsx(actor=actor, school_id=school_id, class_id=class_id)
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="roster-{school_id}.xlsx"'
    return response


@router.get("/schools/{school_id}/calendar", response={200: list[DayOut], **ERRORS})
def calendar_days(
    request: HttpRequest, school_id: int, start: dt.date, end: dt.date
) -> list[dict[str, Any]]:
    """The kind of each day (教学日 / 周末 / 节假日 / 假期) by the school's calendar."""
    actor = actor_from_request(request)
    if not selectors.schools_for(actor).filter(id=school_id).exists():
        raise NotFound()
    if end < start or (end - start).days > 366:
        raise ValidationFailed.single(
            "end", gettext("结束日期须不早于开始日期，且范围不超过一年。")
        )
    days = []
    day = start
    while day <= end:
        info = day_info(school_id, day)
        days.append(
            {
                "date": day,
                "kind": info.kind.value,
                "label": str(info.label),
                "holiday_name": info.holiday_name,
                "week": info.week,
            }
        )
        day += dt.timedelta(days=1)
    return days


@router.post(
    "/policy/check/class-day",
    response={200: list[VerdictOut], **ERRORS},
    summary=_("按本校政策检查某班某天的作业量"),
)
def check_class_day(request: HttpRequest, payload: ClassDayCheckIn) -> list[dict[str, Any]]:
    actor = actor_from_request(request)
    school_class = selectors.class_get(actor, payload.class_id)
    school = School.objects.select_related("district").get(id=school_class.school_id)
    info = day_info(school.pk, payload.date)
    for index, item in enumerate(payload.items):
        if not 0 < item.minutes <= 300:
            raise ValidationFailed.single(
                f"items.{index}.minutes", gettext("时长应在 1 到 300 分钟之间。")
            )
    # The items are the class-day's whole homework, each checked as publishing checks a
    # new item: the same function decides both.
    verdicts = check_homework_day(
        profile_for_school(school),
        grade=school_class.grade.number,
        day_kind=info.kind,
        published=[],
        drafts=[HomeworkItemFacts(**item.dict()) for item in payload.items],
    )
    return [verdict_out(v, request_language(request)) for v in verdicts.all]


@router.get("/districts/{district_id}/overview", response={200: list[SchoolOut], **ERRORS})
def district_overview(request: HttpRequest, district_id: int) -> list[dict[str, Any]]:
    actor = actor_from_request(request)
    return [
        f.__dict__ | {"id": f.school_id} for f in selectors.district_overview(actor, district_id)
    ]
