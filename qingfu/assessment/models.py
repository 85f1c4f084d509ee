"""Exams in a semester's plan, the school's grade bands, and results stored as bands only.

No score is kept: a teacher may type scores, but they are turned into the band at once and
only the band is stored, so there is nothing to rank.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from qingfu.schools.models import Grade, School, Semester, Student, Subject


class BandScheme(models.Model):
    """The school's bands: [{"name": "优秀", "low": 90, "high": 100}, ...] (percent)."""

    school = models.OneToOneField(School, on_delete=models.CASCADE, related_name="band_scheme")
    bands = models.JSONField(_("等级"))
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return "、".join(b["name"] for b in self.bands)


class Exam(models.Model):
    class Kind(models.TextChoices):
        FINAL = "final", _("期末考试")
        MIDTERM = "midterm", _("期中考试")
        UNIT = "unit", _("单元考试")
        MOCK = "mock", _("模拟考试")

    class Status(models.TextChoices):
        DRAFT = "draft", _("计划中")
        APPROVED = "approved", _("已审定")

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    semester = models.ForeignKey(Semester, on_delete=models.CASCADE, related_name="exams")
    grade = models.ForeignKey(Grade, on_delete=models.CASCADE, related_name="exams")
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    date = models.DateField(_("日期"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("时长（分钟）"), validators=[MinValueValidator(1), MaxValueValidator(300)]
    )
    is_paper = models.BooleanField(_("纸笔考试"), default=True)
    is_regional = models.BooleanField(_("区域统考"), default=False)
    full_marks = models.PositiveSmallIntegerField(_("满分"), default=100)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default="draft")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["semester", "grade__number", "date", "subject__sort_order"]

    def __str__(self) -> str:
        return f"{self.grade} {self.subject} {self.get_kind_display()}"


class Result(models.Model):
    """One student's result in one exam: the band, never a score or a position."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="results")
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="+")
    band = models.CharField(_("等级"), max_length=10)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        # Roster order (by student record), never by result.
        ordering = ["exam", "student_id"]
        constraints = [
            models.UniqueConstraint(fields=["exam", "student"], name="result_one_per_student")
        ]

    def __str__(self) -> str:
        return f"{self.exam_id} {self.student_id} {self.band}"


class ElementMark(models.Model):
    """How one student did on one ability element of one homework item (quick mark)."""

    class Mark(models.TextChoices):
        GOOD = "good", _("掌握")
        PARTIAL = "partial", _("部分掌握")
        MISS = "miss", _("未掌握")

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey("homework.Item", on_delete=models.CASCADE, related_name="+")
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="+")
    element = models.CharField(_("能力要素"), max_length=20)
    mark = models.CharField(_("情况"), max_length=10, choices=Mark.choices)
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    marked_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "student", "element"], name="element_mark_once")
        ]

    def __str__(self) -> str:
        return f"{self.item_id} {self.student_id} {self.element} {self.mark}"


class NotebookEntry(models.Model):
    """A mistake in the student's error notebook (错题本), with its reason; re-done later."""

    class Reason(models.TextChoices):
        CONCEPT = "concept", _("概念不清")
        CARELESS = "careless", _("计算或抄写失误")
        READING = "reading", _("审题不清")
        WRITING = "writing", _("书写不规范")
        OTHER = "other", _("其他")

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey("homework.Item", on_delete=models.CASCADE, related_name="+")
    element = models.CharField(_("能力要素"), max_length=20)
    reason = models.CharField(_("原因"), max_length=10, choices=Reason.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    redone_at = models.DateTimeField(_("已重做"), null=True, blank=True)
    redone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["redone_at", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["item", "student", "element"], name="notebook_once")
        ]

    def __str__(self) -> str:
        return f"{self.student_id} {self.element}"
