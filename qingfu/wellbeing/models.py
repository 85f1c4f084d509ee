"""The school day as the rest of 五项管理 needs it: morning start per stage and the daily
大课间, set once by the school and checked against the policy."""

from __future__ import annotations

from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from qingfu.schools.models import School


class SchoolDay(models.Model):
    school = models.OneToOneField(School, on_delete=models.CASCADE, related_name="school_day")
    primary_start = models.TimeField(_("小学上午第一节开始"), null=True, blank=True)
    junior_start = models.TimeField(_("初中上午第一节开始"), null=True, blank=True)
    break_minutes = models.PositiveSmallIntegerField(
        _("大课间（分钟）"), default=30, validators=[MaxValueValidator(120)]
    )
    lesson_minutes = models.PositiveSmallIntegerField(
        _("每节课（分钟）"), default=40, validators=[MaxValueValidator(60)]
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.school_id} 作息"
