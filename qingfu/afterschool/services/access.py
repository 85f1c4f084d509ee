"""Who may write what: the school admin acts on the school's program, a guardian on their
own children only; anything else is the uniform "not found"."""

from __future__ import annotations

from django.utils.translation import gettext as _

from qingfu.afterschool.models import (
    Program,
)
from qingfu.core.actor import Actor
from qingfu.core.errors import NotFound, ValidationFailed
from qingfu.schools.calendars import local_today
from qingfu.schools.models import Student
from qingfu.schools.services import require_school_admin


def admin_program(actor: Actor, program_id: int) -> Program:
    program = Program.objects.filter(id=program_id).first()
    if program is None:
        raise NotFound()
    require_school_admin(actor, program.school_id)
    return program


def guardian_child(actor: Actor, student_id: int) -> Student:
    """A guardian acts for their own children only (others: not found). A family's own
    writes are recorded in the rows they create, so this is not audited as a read."""
    if student_id not in actor.child_student_ids:
        raise NotFound()
    student = Student.objects.select_related("school_class__grade").filter(id=student_id).first()
    if student is None:
        raise NotFound()
    return student


def program_for_student(student: Student) -> Program:
    today = local_today()
    program = (
        Program.objects.filter(school_id=student.school_id, semester__end__gte=today)
        .order_by("semester__start")
        .first()
    )
    if program is None:
        raise ValidationFailed.single("__all__", _("学校尚未发布本学期的课后服务方案。"))
    return program
