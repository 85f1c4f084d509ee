"""Phones (手机管理): a guardian's written application, the head teacher's decision, and the
class's daily custody record for approved phones (handed in on arrival, returned on leaving).
Homework needing a phone is already refused by the homework module."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from qingfu.core.actor import Actor, signed_in_user_id
from qingfu.core.audit import audit_change, audit_list
from qingfu.core.errors import NotFound, ValidationFailed
from qingfu.schools.models import SchoolClass, Student
from qingfu.wellbeing.models import PhoneApplication, PhoneCustody

LIVE = (PhoneApplication.Status.PENDING, PhoneApplication.Status.APPROVED)


def phone_apply(*, actor: Actor, student_id: int, reason: str, consent: bool) -> PhoneApplication:
    if student_id not in actor.child_student_ids:
        raise NotFound()
    student = Student.objects.get(pk=student_id)
    errors: dict[str, list[str]] = {}
    if not reason.strip():
        errors["reason"] = [_("请写明需要带手机的理由。")]
    if not consent:
        errors["consent"] = [_("请确认：手机进校交班级统一保管，不带入课堂。")]
    if PhoneApplication.objects.filter(student=student, status__in=LIVE).exists():
        errors["__all__"] = [_("已有待审批或已同意的申请。")]
    if errors:
        raise ValidationFailed(errors)
    return PhoneApplication.objects.create(
        school_id=student.school_id,
        student=student,
        applied_by_id=signed_in_user_id(actor),
        reason=reason.strip()[:200],
        consent=True,
    )


def phone_decide(
    *, actor: Actor, application_id: int, approve: bool, note: str = ""
) -> PhoneApplication:
    """The head teacher of the child's class decides."""
    application = (
        PhoneApplication.objects.select_related("student").filter(id=application_id).first()
    )
    if application is None or application.student.school_class_id not in actor.head_class_ids:
        raise NotFound()
    if application.status != PhoneApplication.Status.PENDING:
        raise ValidationFailed.single("__all__", _("该申请已处理。"))
    application.status = (
        PhoneApplication.Status.APPROVED if approve else PhoneApplication.Status.REFUSED
    )
    application.decided_by_id = signed_in_user_id(actor)
    application.decided_at = timezone.now()
    application.decision_note = note.strip()[:200]
    with transaction.atomic():
        application.save()
        audit_change(
            actor,
            "phone_application",
            [application.student_id],
            school_id=application.student.school_id,
            object_id=application.pk,
            what=application.status,
        )
    return application


def approved_students(class_id: int) -> list[Student]:
    ids = PhoneApplication.objects.filter(
        student__school_class_id=class_id, status=PhoneApplication.Status.APPROVED
    ).values("student_id")
    return list(Student.objects.filter(id__in=ids, is_active=True).order_by("id"))


def custody_record(
    *,
    actor: Actor,
    class_id: int,
    day: dt.date,
    handed_in: Collection[int],
    returned: Collection[int],
) -> int:
    """Record the day's custody for the class's approved phones, all or none."""
    if class_id not in actor.head_class_ids:
        raise NotFound()
    allowed = {s.pk for s in approved_students(class_id)}
    strangers = (set(handed_in) | set(returned)) - allowed
    if strangers:
        raise ValidationFailed.single(
            "student",
            ngettext("%(n)d 名学生没有获准带手机。", "%(n)d 名学生没有获准带手机。", len(strangers))
            % {"n": len(strangers)},
        )
    if set(returned) - set(handed_in):
        raise ValidationFailed.single("returned", _("未上交的手机不能登记归还。"))
    school_id = SchoolClass.objects.get(pk=class_id).school_id
    user_id = signed_in_user_id(actor)
    with transaction.atomic():
        for student_id in sorted(allowed):
            PhoneCustody.objects.update_or_create(
                student_id=student_id,
                date=day,
                defaults={
                    "school_id": school_id,
                    "handed_in": student_id in handed_in,
                    "returned": student_id in returned,
                    "recorded_by_id": user_id,
                },
            )
        audit_change(actor, "phone_custody", allowed, school_id=school_id, what=str(day))
    return len(allowed)


@dataclass(frozen=True)
class ClassPhones:
    school_class: SchoolClass
    pending: list[PhoneApplication]
    approved: list[Student]
    custody: dict[int, PhoneCustody]


def head_teacher_view(actor: Actor, day: dt.date) -> list[ClassPhones]:
    out = []
    for school_class in SchoolClass.objects.filter(id__in=actor.head_class_ids).select_related(
        "grade"
    ):
        approved = approved_students(school_class.pk)
        out.append(
            ClassPhones(
                school_class,
                list(
                    PhoneApplication.objects.filter(
                        student__school_class=school_class, status=PhoneApplication.Status.PENDING
                    ).select_related("student")
                ),
                approved,
                {
                    c.student_id: c
                    for c in PhoneCustody.objects.filter(student__in=approved, date=day)
                },
            )
        )
    seen = [s.pk for row in out for s in row.approved]
    seen += [a.student_id for row in out for a in row.pending]
    if seen:
        audit_list(actor, "phones", seen, school_id=out[0].school_class.school_id, what=str(day))
    return out
