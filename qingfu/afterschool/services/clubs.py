"""Writes for the clubs of a program: create and change a club, change its seats (more seats
go to the waitlist at once)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from qingfu.afterschool.models import (
    Club,
    Seat,
)
from qingfu.afterschool.services.access import admin_program
from qingfu.afterschool.services.waitlist import waitlist_promote
from qingfu.core.actor import Actor
from qingfu.core.errors import NotFound, ValidationFailed
from qingfu.schools.models import Teacher
from qingfu.schools.services import require_school_admin


@dataclass(frozen=True)
class ClubInput:
    name: str
    category: str
    segment_id: int
    weekdays: tuple[int, ...]
    grade_from: int
    grade_to: int
    capacity: int
    room: str = ""
    level: str = Club.Level.SCHOOL
    class_id: int | None = None
    instructor_kind: str = Club.Instructor.TEACHER
    instructor_teacher_id: int | None = None
    instructor_name: str = ""


def club_save(
    *, actor: Actor, program_id: int, data: ClubInput, club_id: int | None = None
) -> Club:
    program = admin_program(actor, program_id)
    errors: dict[str, list[str]] = {}
    name = data.name.strip()
    if not name:
        errors["name"] = [_("请填写社团名称。")]
    if data.category not in Club.Category.values:
        errors["category"] = [_("请选择社团类别。")]
    segment = program.segments.filter(id=data.segment_id).first()
    if segment is None:
        errors["segment_id"] = [_("请选择本方案中的时段。")]
    if not data.weekdays or not set(data.weekdays) <= set(program.weekdays):
        errors["weekdays"] = [_("活动日须在服务日内。")]
    grades = set(program.school.grade_numbers)
    if data.grade_from not in grades or data.grade_to not in grades:
        errors["grade_from"] = [_("年级超出本校的年级范围。")]
    elif data.grade_from > data.grade_to:
        errors["grade_to"] = [_("结束年级不能低于起始年级。")]
    if not 1 <= data.capacity <= 500:
        errors["capacity"] = [_("名额应为 1 至 500。")]
    teacher = None
    if data.instructor_kind == Club.Instructor.TEACHER:
        teacher = Teacher.objects.filter(
            id=data.instructor_teacher_id or 0, school_id=program.school_id
        ).first()
        if teacher is None:
            errors["instructor_teacher_id"] = [_("请选择本校教师作为指导教师。")]
    elif data.instructor_kind in Club.Instructor.values:
        if not data.instructor_name.strip():
            errors["instructor_name"] = [_("请填写指导教师姓名。")]
    else:
        errors["instructor_kind"] = [_("未知的指导教师类型。")]
    if teacher is not None and segment is not None:
        clash = (
            Club.objects.filter(
                program=program, instructor_teacher=teacher, segment_id=data.segment_id
            )
            .exclude(id=club_id or 0)
            .values_list("name", "weekdays")
        )
        for other, days in clash:
            if set(days) & set(data.weekdays):
                errors["instructor_teacher_id"] = [
                    _("%(t)s 同一时段已指导“%(club)s”。") % {"t": teacher.name, "club": other}
                ]
    if data.level == Club.Level.CLASS and data.class_id is None:
        errors["class_id"] = [_("班级社团须选择班级。")]
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        if club_id is None:
            club = Club(school_id=program.school_id, program=program)
        else:
            found = Club.objects.select_for_update().filter(id=club_id, program=program).first()
            if found is None:
                raise NotFound()
            club = found
            taken = club.seats.filter(status=Seat.Status.ENROLLED).count()
            if data.capacity < taken:
                raise ValidationFailed.single(
                    "capacity",
                    _("名额 %(cap)d 少于已录取的 %(taken)d 人。")
                    % {"cap": data.capacity, "taken": taken},
                )
            if club.segment_id != data.segment_id and club.seats.exists():
                raise ValidationFailed.single("segment_id", _("已有学生报名，不能更换时段。"))
        club.name, club.category, club.level = name, data.category, data.level
        club.segment_id = data.segment_id
        club.weekdays = sorted(set(data.weekdays))
        club.grade_from, club.grade_to, club.capacity = (
            data.grade_from,
            data.grade_to,
            data.capacity,
        )
        club.school_class_id = data.class_id if data.level == Club.Level.CLASS else None
        club.room = data.room.strip()
        club.instructor_kind = data.instructor_kind
        club.instructor_teacher = teacher
        club.instructor_name = teacher.name if teacher else data.instructor_name.strip()
        try:
            with transaction.atomic():
                club.save()
        except IntegrityError as exc:
            raise ValidationFailed.single("name", _("本方案已有同名社团。")) from exc
        if club_id is not None:
            waitlist_promote(club)
    return club


def club_set_capacity(*, actor: Actor, club_id: int, capacity: int) -> Club:
    """Change a club's seats; never below those already enrolled. More seats go to the
    waitlist at once."""
    club = Club.objects.filter(id=club_id).first()
    if club is None:
        raise NotFound()
    require_school_admin(actor, club.school_id)
    if not 1 <= capacity <= 500:
        raise ValidationFailed.single("capacity", _("名额应为 1 至 500。"))
    with transaction.atomic():
        club = Club.objects.select_for_update().get(pk=club_id)
        taken = club.seats.filter(status=Seat.Status.ENROLLED).count()
        if capacity < taken:
            raise ValidationFailed.single(
                "capacity",
                _("名额 %(cap)d 少于已录取的 %(taken)d 人。") % {"cap": capacity, "taken": taken},
            )
        club.capacity = capacity
        club.save(update_fields=["capacity"])
        waitlist_promote(club)
    return club
