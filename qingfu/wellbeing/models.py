"""The school day as the rest of 五项管理 needs it: morning start per stage and the daily
大课间, set once by the school and checked against the policy."""

from __future__ import annotations

from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext
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
        return gettext("%(school)s 作息") % {"school": self.school_id}


class PhoneApplication(models.Model):
    """A guardian's written application for a child to bring a phone to school."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审批")
        APPROVED = "approved", _("已同意")
        REFUSED = "refused", _("未同意")
        WITHDRAWN = "withdrawn", _("已撤回")

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    student = models.ForeignKey("schools.Student", on_delete=models.CASCADE, related_name="+")
    applied_by = models.ForeignKey("auth.User", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("理由"), max_length=200)
    consent = models.BooleanField(_("家长承诺"), default=False)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default="pending")
    applied_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("意见"), max_length=200, blank=True)

    class Meta:
        ordering = ["-applied_at", "-id"]

    def __str__(self) -> str:
        return f"{self.student_id} {self.status}"


class PhoneCustody(models.Model):
    """A day's custody of an approved phone: handed in on arrival, returned on leaving."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    student = models.ForeignKey("schools.Student", on_delete=models.CASCADE, related_name="+")
    date = models.DateField(_("日期"))
    handed_in = models.BooleanField(_("已交"), default=False)
    returned = models.BooleanField(_("已还"), default=False)
    recorded_by = models.ForeignKey("auth.User", on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["student", "date"], name="phone_custody_daily")
        ]

    def __str__(self) -> str:
        return f"{self.student_id} {self.date}"


class ReadingList(models.Model):
    """The school's recommended outside reading for a school year, with its review record:
    初选 (drafted) → 评议 (reviewed) → 确认 (confirmed) → 备案 (filed)."""

    class Step(models.TextChoices):
        DRAFT = "draft", _("初选")
        REVIEWED = "reviewed", _("评议")
        CONFIRMED = "confirmed", _("确认")
        FILED = "filed", _("备案")

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    school_year = models.CharField(_("学年"), max_length=20)  # e.g. 2026—2027
    step = models.CharField(_("进度"), max_length=10, choices=Step.choices, default="draft")
    history = models.JSONField(default=list)  # [{"step", "by", "at", "note"}]
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.school_id} {self.school_year}"


class ReadingItem(models.Model):
    reading_list = models.ForeignKey(ReadingList, on_delete=models.CASCADE, related_name="items")
    title = models.CharField(_("书名"), max_length=100)
    author = models.CharField(_("作者"), max_length=60)
    publisher = models.CharField(_("出版社"), max_length=60, blank=True)
    grade_from = models.PositiveSmallIntegerField(_("起始年级"))
    grade_to = models.PositiveSmallIntegerField(_("结束年级"))
    reason = models.CharField(_("推荐理由"), max_length=200)

    class Meta:
        ordering = ["grade_from", "title"]

    def __str__(self) -> str:
        return self.title


class SleepReport(models.Model):
    """A family's optional report of one night: when the child went to bed and woke up."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    student = models.ForeignKey("schools.Student", on_delete=models.CASCADE, related_name="+")
    date = models.DateField(_("日期"))  # the evening the night began
    bedtime = models.TimeField(_("入睡时间"))
    wake_time = models.TimeField(_("起床时间"))
    reported_by = models.ForeignKey("auth.User", on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(fields=["student", "date"], name="sleep_report_nightly")
        ]

    def __str__(self) -> str:
        return f"{self.student_id} {self.date}"
