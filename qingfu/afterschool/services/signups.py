"""Families' writes before the clubs: the needs survey, opting in to the service (dated
versions, so every change is kept) and leaving it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext as _

from qingfu.afterschool.models import (
    Club,
    Program,
    Seat,
    Signup,
    SurveyResponse,
)
from qingfu.afterschool.services.access import guardian_child, program_for_student
from qingfu.afterschool.services.waitlist import seat_release
from qingfu.core.actor import Actor, signed_in_user_id
from qingfu.core.errors import ValidationFailed
from qingfu.schools.calendars import local_today
from qingfu.schools.models import Student


def _check_days_and_segment(program: Program, weekdays: Sequence[int], last_segment: int) -> None:
    if not weekdays or not set(weekdays) <= set(program.weekdays):
        raise ValidationFailed.single("weekdays", _("请选择学校提供服务的日子。"))
    if not program.segments.filter(order=last_segment).exists():
        raise ValidationFailed.single("last_segment", _("请选择接孩子的时段。"))


def survey_answer(
    *,
    actor: Actor,
    student_id: int,
    participate: bool,
    weekdays: Sequence[int] = (),
    last_segment: int = 0,
    interests: Sequence[str] = (),
) -> SurveyResponse:
    student = guardian_child(actor, student_id)
    program = program_for_student(student)
    if program.phase != Program.Phase.SURVEY:
        raise ValidationFailed.single("__all__", _("需求调研未在进行中。"))
    if participate:
        _check_days_and_segment(program, weekdays, last_segment)
    if any(i not in Club.Category.values for i in interests):
        raise ValidationFailed.single("interests", _("未知的社团类别。"))
    response, _created = SurveyResponse.objects.update_or_create(
        program=program,
        student=student,
        defaults={
            "school_id": student.school_id,
            "answered_by_id": signed_in_user_id(actor),
            "participate": participate,
            "weekdays": sorted(set(weekdays)) if participate else [],
            "last_segment": last_segment if participate else 0,
            "interests": sorted(set(interests)) if participate else [],
        },
    )
    return response


def signup_set(
    *,
    actor: Actor,
    student_id: int,
    weekdays: Sequence[int],
    last_segment: int,
    effective_from: dt.date,
) -> Signup:
    """Opt in, or change days and pickup, from ``effective_from`` on (today or later)."""
    student = guardian_child(actor, student_id)
    program = program_for_student(student)
    _check_days_and_segment(program, weekdays, last_segment)
    return _signup_version(
        actor,
        program,
        student,
        effective_from,
        weekdays=sorted(set(weekdays)),
        last_segment=last_segment,
        withdrawn=False,
    )


def signup_withdraw(*, actor: Actor, student_id: int, effective_from: dt.date) -> Signup:
    """Leave the service from ``effective_from``; club seats are given up now so that a
    waiting child can have them."""
    student = guardian_child(actor, student_id)
    program = program_for_student(student)
    with transaction.atomic():
        signup = _signup_version(
            actor, program, student, effective_from, weekdays=[], last_segment=0, withdrawn=True
        )
        for seat in Seat.objects.filter(program=program, student=student).exclude(
            status=Seat.Status.WITHDRAWN
        ):
            seat_release(seat, note=_("退出课后服务"))
    return signup


def _signup_version(
    actor: Actor,
    program: Program,
    student: Student,
    effective_from: dt.date,
    *,
    weekdays: list[int],
    last_segment: int,
    withdrawn: bool,
) -> Signup:
    today = local_today()
    if effective_from < today:
        raise ValidationFailed.single("effective_from", _("生效日期不能早于今天。"))
    if effective_from > program.semester.end:
        raise ValidationFailed.single("effective_from", _("生效日期超出本学期。"))
    with transaction.atomic():
        current = (
            Signup.objects.select_for_update()
            .filter(program=program, student=student, valid_to__isnull=True)
            .first()
        )
        if current is None and withdrawn:
            raise ValidationFailed.single("__all__", _("尚未报名课后服务。"))
        if current is not None:
            if effective_from < current.valid_from:
                raise ValidationFailed.single(
                    "effective_from",
                    _("生效日期不能早于上一次变更的生效日期 %(d)s。") % {"d": current.valid_from},
                )
            current.valid_to = effective_from
            current.save(update_fields=["valid_to"])
        return Signup.objects.create(
            school_id=student.school_id,
            program=program,
            student=student,
            weekdays=weekdays,
            last_segment=last_segment,
            valid_from=effective_from,
            withdrawn=withdrawn,
            consent_by_id=signed_in_user_id(actor),
        )
