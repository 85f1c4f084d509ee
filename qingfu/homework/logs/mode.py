"""How a class logs homework time: everyone every evening, or a rotating sample (so many
students a day, each at most once in so many school days), chosen by the head teacher."""

from __future__ import annotations

from django.utils.translation import gettext as _

from qingfu.core.actor import Actor
from qingfu.core.errors import NotFound, ValidationFailed
from qingfu.homework.models import ClassLogging
from qingfu.schools.models import SchoolClass, Student


def class_logging_set(
    *, actor: Actor, class_id: int, mode: str, per_day: int, min_gap_days: int
) -> ClassLogging:
    """The head teacher (or school admin) chooses how the class logs homework time."""
    school_class = SchoolClass.objects.filter(id=class_id).first()
    if school_class is None or not (
        class_id in actor.head_class_ids or school_class.school_id in actor.admin_school_ids
    ):
        raise NotFound()
    errors: dict[str, list[str]] = {}
    if mode not in ClassLogging.Mode.values:
        errors["mode"] = [_("请选择全员记录或轮换抽样。")]
    size = Student.objects.filter(school_class=school_class, is_active=True).count()
    if mode == ClassLogging.Mode.SAMPLE:
        if not 1 <= per_day <= size:
            errors["per_day"] = [_("每天抽样人数应在 1 到 %(n)d 之间。") % {"n": size}]
        elif not 1 <= min_gap_days <= 20:
            errors["min_gap_days"] = [_("间隔应在 1 到 20 个教学日之间。")]
        elif per_day * min_gap_days > size:
            errors["min_gap_days"] = [
                _("本班 %(size)d 人，每天 %(per_day)d 人时同一学生最多间隔 %(gap)d 个教学日。")
                % {"size": size, "per_day": per_day, "gap": size // per_day}
            ]
    if errors:
        raise ValidationFailed(errors)
    setting, _created = ClassLogging.objects.update_or_create(
        school_class=school_class,
        defaults={
            "school_id": school_class.school_id,
            "mode": mode,
            "per_day": per_day,
            "min_gap_days": min_gap_days,
        },
    )
    return setting
