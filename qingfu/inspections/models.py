"""Inspection visits (督导检查) and rectification notices (整改通知).

A visit's checklist is generated from the school's policy profile when the visit starts and
keeps a copy of the rules it checked (ids, requirement text, citation), so a completed visit
still reads as it did on the day even after a district tightens a threshold. Notices carry
their school and district (tenant keys) even though the visit has them, so the district
dashboard and the ledger filter without joins. "Overdue" is never stored: it is a function
of the status, the deadline and today.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qingfu.inspections import wording
from qingfu.schools.models import District, School


class Visit(models.Model):
    """One visit by a responsible inspector to a school, reviewing a period of records."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("检查中")
        COMPLETED = "completed", _("已完成")

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    inspector_name = models.CharField(_("督学"), max_length=60)
    date = models.DateField(_("检查日期"))
    period_start = models.DateField(_("检查期间开始"))
    period_end = models.DateField(_("检查期间结束"))
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    summary = models.CharField(_("总体意见"), max_length=500, blank=True)
    evidence_at = models.DateTimeField(null=True, blank=True)  # when the evidence was computed
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["school", "date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="visit_period_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.school_id} {self.date}"


class ChecklistItem(models.Model):
    """One area of the policy checked on a visit: its rules, the evidence from the school's
    records for the period, and the inspector's mark and note."""

    class Mark(models.TextChoices):
        UNCHECKED = "unchecked", _("未检查")
        CONFORMS = "conforms", _("符合")
        MOSTLY = "mostly", _("基本符合")
        FAILS = "fails", _("不符合")

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="items")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    area = models.CharField(max_length=20)  # checklist.AREAS code
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("检查项目"), max_length=60)
    # [{"id", "text", "citation"}] copied from the profile when the visit started.
    rules = models.JSONField(default=list)
    # What the records showed, as messages and figures (qingfu.inspections.wording), so
    # each reader gets it in their own language; a line stored before is a plain string.
    evidence_data = models.JSONField(_("记录显示"), default=str, blank=True)
    mark = models.CharField(_("结论"), max_length=10, choices=Mark.choices, default=Mark.UNCHECKED)
    note = models.CharField(_("说明"), max_length=500, blank=True)

    class Meta:
        ordering = ["visit", "position"]
        constraints = [
            models.UniqueConstraint(fields=["visit", "area"], name="checklist_item_area")
        ]

    def __str__(self) -> str:
        return f"{self.visit_id} {self.area}"

    @property
    def evidence(self) -> str:
        """The evidence line in the reader's language."""
        return wording.render(self.evidence_data)

    @property
    def rule_ids(self) -> list[str]:
        return [r["id"] for r in self.rules]

    @property
    def may_have_notice(self) -> bool:
        return self.mark in (self.Mark.FAILS, self.Mark.MOSTLY)


class Notice(models.Model):
    """A rectification notice: the problem found, the requirement, a deadline, and the
    school's answer. Open → responded → (returned → responded …) → closed."""

    class Status(models.TextChoices):
        OPEN = "open", _("待整改")
        RESPONDED = "responded", _("待复核")
        RETURNED = "returned", _("已退回")
        CLOSED = "closed", _("已销号")

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="notices")
    item = models.ForeignKey(
        ChecklistItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="notices"
    )
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("标题"), max_length=100)
    problem = models.TextField(_("存在问题"))
    requirement = models.TextField(_("整改要求"))
    rule_ids = models.JSONField(default=list)
    deadline = models.DateField(_("整改期限"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default="open")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_on = models.DateField(_("下发日期"))  # in the school's local time
    issued_at = models.DateTimeField()
    responded_on = models.DateField(null=True, blank=True)  # the latest response
    response = models.TextField(_("整改情况"), blank=True)  # the latest response
    closed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["deadline", "id"]
        indexes = [
            models.Index(fields=["district", "status", "deadline"]),
            models.Index(fields=["school", "issued_on"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


class NoticeEvent(models.Model):
    """One step in a notice's history: who did what, when, and what they wrote."""

    class Kind(models.TextChoices):
        ISSUED = "issued", _("下发")
        RESPONDED = "responded", _("学校回复")
        RETURNED = "returned", _("退回")
        CLOSED = "closed", _("复核通过，销号")

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="events")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    by_name = models.CharField(max_length=60)
    at = models.DateTimeField()
    text = models.TextField(blank=True)
    # References to records offered as evidence, e.g. ["周作业计划 2026-11-16 三年级"].
    references = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.notice_id} {self.kind}"


# --- inspections of off-campus training institutions (校外培训机构检查) -----------------------
#
# The same visit, checklist, notice and answer loop as a school's, kept in tables of their
# own: the inspected party is a training institution of the district's registry (not a
# school), the inspector is the district's training-supervision officer, and the one who
# answers a notice is the institution's staff. The marks, statuses and steps are the
# school's, so a notice reads and moves the same way wherever it was issued.


class InstitutionVisit(models.Model):
    """One inspection of a training institution by the district's training officer."""

    institution = models.ForeignKey(
        "training.Institution", on_delete=models.CASCADE, related_name="+"
    )
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    inspector_name = models.CharField(_("检查人"), max_length=60)
    date = models.DateField(_("检查日期"))
    period_start = models.DateField(_("检查期间开始"))
    period_end = models.DateField(_("检查期间结束"))
    status = models.CharField(
        _("状态"), max_length=10, choices=Visit.Status.choices, default=Visit.Status.DRAFT
    )
    summary = models.CharField(_("总体意见"), max_length=500, blank=True)
    evidence_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["district", "date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="institution_visit_period_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.institution_id} {self.date}"


class InstitutionItem(models.Model):
    """One area of the trn.* rules checked on an institution's visit (see ChecklistItem)."""

    visit = models.ForeignKey(InstitutionVisit, on_delete=models.CASCADE, related_name="items")
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    area = models.CharField(max_length=20)
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("检查项目"), max_length=60)
    rules = models.JSONField(default=list)
    evidence_data = models.JSONField(_("记录显示"), default=str, blank=True)
    mark = models.CharField(
        _("结论"),
        max_length=10,
        choices=ChecklistItem.Mark.choices,
        default=ChecklistItem.Mark.UNCHECKED,
    )
    note = models.CharField(_("说明"), max_length=500, blank=True)

    class Meta:
        ordering = ["visit", "position"]
        constraints = [
            models.UniqueConstraint(fields=["visit", "area"], name="institution_item_area")
        ]

    def __str__(self) -> str:
        return f"{self.visit_id} {self.area}"

    @property
    def evidence(self) -> str:
        """The evidence line in the reader's language."""
        return wording.render(self.evidence_data)

    Mark = ChecklistItem.Mark

    @property
    def rule_ids(self) -> list[str]:
        return [r["id"] for r in self.rules]

    @property
    def may_have_notice(self) -> bool:
        return self.mark in (ChecklistItem.Mark.FAILS, ChecklistItem.Mark.MOSTLY)


class InstitutionNotice(models.Model):
    """A rectification notice to a training institution: open → responded → (returned →
    responded …) → closed, as a school's (``Notice``)."""

    Status = Notice.Status

    visit = models.ForeignKey(InstitutionVisit, on_delete=models.CASCADE, related_name="notices")
    item = models.ForeignKey(
        InstitutionItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="notices"
    )
    institution = models.ForeignKey(
        "training.Institution", on_delete=models.CASCADE, related_name="+"
    )
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("标题"), max_length=100)
    problem = models.TextField(_("存在问题"))
    requirement = models.TextField(_("整改要求"))
    rule_ids = models.JSONField(default=list)
    deadline = models.DateField(_("整改期限"))
    status = models.CharField(
        _("状态"), max_length=10, choices=Notice.Status.choices, default="open"
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_on = models.DateField(_("下发日期"))
    issued_at = models.DateTimeField()
    responded_on = models.DateField(null=True, blank=True)
    response = models.TextField(_("整改情况"), blank=True)
    closed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["deadline", "id"]
        indexes = [models.Index(fields=["district", "status", "deadline"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_closed(self) -> bool:
        return self.status == Notice.Status.CLOSED


class InstitutionNoticeEvent(models.Model):
    """One step of an institution's notice: who did what, when, and what they wrote."""

    notice = models.ForeignKey(InstitutionNotice, on_delete=models.CASCADE, related_name="events")
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=NoticeEvent.Kind.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    by_name = models.CharField(max_length=60)
    at = models.DateTimeField()
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.notice_id} {self.kind}"
