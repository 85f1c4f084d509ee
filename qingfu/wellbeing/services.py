"""Writes for 五项管理: the school day (morning start per stage, 大课间, lesson length)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from qingfu.core.actor import Actor, signed_in_user_id
from qingfu.core.errors import NotFound, ValidationFailed
from qingfu.policy.checks import sleep_hours
from qingfu.schools.models import Student
from qingfu.schools.services import require_school_admin
from qingfu.wellbeing.models import SchoolDay, SleepReport


def school_day_set(
    *,
    actor: Actor,
    school_id: int,
    primary_start: dt.time | None,
    junior_start: dt.time | None,
    break_minutes: int,
    lesson_minutes: int,
) -> SchoolDay:
    require_school_admin(actor, school_id)
    errors: dict[str, list[str]] = {}
    for name, start in (("primary_start", primary_start), ("junior_start", junior_start)):
        if start is not None and not dt.time(6, 0) <= start <= dt.time(10, 0):
            errors[name] = [_("上午第一节应在 6:00 至 10:00 之间开始。")]
    if not 0 <= break_minutes <= 120:
        errors["break_minutes"] = [_("大课间应为 0 至 120 分钟。")]
    if not 30 <= lesson_minutes <= 60:
        errors["lesson_minutes"] = [_("每节课应为 30 至 60 分钟。")]
    if errors:
        raise ValidationFailed(errors)
    day, _created = SchoolDay.objects.update_or_create(
        school_id=school_id,
        defaults={
            "primary_start": primary_start,
            "junior_start": junior_start,
            "break_minutes": break_minutes,
            "lesson_minutes": lesson_minutes,
        },
    )
    return day


def sleep_report(
    *,
    actor: Actor,
    student_id: int,
    day: dt.date,
    bedtime: dt.time,
    wake_time: dt.time,
    today: dt.date,
) -> SleepReport:
    """The family's report of one night (the night that began on ``day``)."""
    if student_id not in actor.child_student_ids and student_id != actor.student_id:
        raise NotFound()
    student = Student.objects.get(pk=student_id)
    if day >= today:
        raise ValidationFailed.single("date", _("只能报告已经过去的夜晚。"))
    if day < today - dt.timedelta(days=14):
        raise ValidationFailed.single("date", _("只能补报最近两周内的夜晚。"))
    hours = sleep_hours(bedtime, wake_time)
    if not 3 <= hours <= 14:
        raise ValidationFailed.single(
            "wake_time", _("睡眠 %(h).1f 小时不合常理，请检查入睡和起床时间。") % {"h": hours}
        )
    report, _created = SleepReport.objects.update_or_create(
        student=student,
        date=day,
        defaults={
            "school_id": student.school_id,
            "bedtime": bedtime,
            "wake_time": wake_time,
            "reported_by_id": signed_in_user_id(actor),
        },
    )
    return report
