"""Writes for 五项管理: the school day (morning start per stage, 大课间, lesson length)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from qingfu.core.actor import Actor
from qingfu.core.errors import ValidationFailed
from qingfu.schools.services import require_school_admin
from qingfu.wellbeing.models import SchoolDay


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
