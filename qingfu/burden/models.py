"""The burden registry (基层减负、教师减负, issue 17): every demand an office places on
grassroots units or schools, registered once by the office before it goes out, with the
approvals it needed and the verdicts it was sent with; the lists a demand answers to (the
year's inspection plan, the access list and the certificate list); the demands receivers
report as having reached them outside Qingfu; and each unit's apps and work groups.

Every row carries ``district_id``: the county whose campaign office sees it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from qingfu.schools.models import District, School, Teacher, Unit


class Demand(models.Model):
    """A demand placed on receivers (towns, communities and villages, and/or schools).

    A clerk of the issuing office drafts it; on submission the policy checks it with the
    other demands around it and ``verdicts`` keeps what it was sent with. A refusal leaves it
    a draft. An exception (a meeting in the meeting-free week, with ``exception_reason``),
    an unplanned inspection or an unlisted task waits for the approvals it needs
    (``Approval``): the issuer leader's, then the campaign office's.

    ``receiver_unit_count`` and ``receiver_school_count`` repeat how many receivers of each
    table it has, so that the hours a year of demands placed (hours × receivers) come from
    the demands alone, not from a scan of their hundreds of thousands of receiver links
    (bench/bench_burden.py). They are written only with the links, by
    ``services.demand_receivers_set`` (or ``services.receiver_counts_refresh`` after a
    bulk insert); a test recounts them.
    """

    class Kind(models.TextChoices):
        DOCUMENT = "document", _("文件")
        MEETING = "meeting", _("会议")
        INSPECTION = "inspection", _("督查检查考核")
        DATA_REQUEST = "data_request", _("数据填报")
        TASK = "task", _("下沉事项")
        CERTIFICATE = "certificate", _("证明事项")
        # Into schools only (教师减负): a social affair entering campus, answering to the
        # whitelist and its per-semester limit, and a teacher's secondment.
        CAMPUS_ACTIVITY = "campus_activity", _("社会事务进校园")
        SECONDMENT = "secondment", _("借调教师")

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PENDING_LEADER = "pending_leader", _("待分管领导审核")
        PENDING_OFFICE = "pending_office", _("待减负办审批")
        SENT = "sent", _("已下发")
        REFUSED = "refused", _("未获批准")
        WITHDRAWN = "withdrawn", _("已撤回")

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    issuer = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="demands_issued")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("标题"), max_length=200)
    receiver_units = models.ManyToManyField(
        Unit, blank=True, related_name="demands_received", verbose_name=_("接收单位")
    )
    receiver_schools = models.ManyToManyField(
        School, blank=True, related_name="demands_received", verbose_name=_("接收学校")
    )
    receiver_unit_count = models.PositiveIntegerField(default=0, editable=False)
    receiver_school_count = models.PositiveIntegerField(default=0, editable=False)
    day = models.DateField(_("日期"))
    last_day = models.DateField(_("截止日期"), null=True, blank=True)
    staff_hours = models.FloatField(_("每个接收单位预计工时"), default=0)
    attendee_level = models.CharField(_("参会人员层级"), max_length=40, blank=True)
    forwards_higher_document = models.BooleanField(_("仅转发上级文件"), default=False)
    # Keys of qingfu.policy.burden.EVIDENCE asked as proof of the work.
    evidence_asked = models.JSONField(_("要求的佐证材料"), default=list, blank=True)
    # The year's inspection plan entry, or the access/certificate list entry, it is on.
    plan_entry = models.ForeignKey(
        "InspectionPlanEntry", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    list_entry = models.ForeignKey(
        "ListEntry", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    exception_reason = models.TextField(_("例外理由"), blank=True)
    funding_amount = models.DecimalField(
        _("随事转经费（元）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    field_list = models.TextField(_("填报字段"), blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    # The verdicts at submission (and after each approval), as the policy gave them.
    verdicts = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["district", "status", "day"]),
            models.Index(fields=["issuer", "day"]),
        ]
        verbose_name = _("减负登记事项")
        verbose_name_plural = _("减负登记事项")

    def __str__(self) -> str:
        return self.title

    @property
    def is_exception(self) -> bool:
        return bool(self.exception_reason) and self.status == self.Status.SENT


class Approval(models.Model):
    """One decision on a demand waiting for it: the issuer leader's review (分管领导) or
    the campaign office's approval (减负办), with the reason given."""

    class Role(models.TextChoices):
        LEADER = "leader", _("分管领导")
        OFFICE = "office", _("减负办")

    class Decision(models.TextChoices):
        APPROVED = "approved", _("同意")
        REFUSED = "refused", _("不同意")

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="approvals")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    role = models.CharField(_("审批角色"), max_length=10, choices=Role.choices)
    decision = models.CharField(_("意见"), max_length=10, choices=Decision.choices)
    reason = models.TextField(_("理由"), blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["demand", "role"], name="approval_once_per_role")
        ]
        verbose_name = _("审批记录")
        verbose_name_plural = _("审批记录")

    def __str__(self) -> str:
        return f"{self.demand_id} {self.role} {self.decision}"


class InspectionPlanEntry(models.Model):
    """One inspection on an issuer's filed plan for a year (督查检查考核年度计划): an
    inspection that names it is "on the plan"."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    issuer = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="plan_entries")
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("名称"), max_length=200)
    month = models.PositiveSmallIntegerField(_("计划月份"), null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["issuer", "year"])]
        verbose_name = _("年度督查检查考核计划")
        verbose_name_plural = _("年度督查检查考核计划")

    def __str__(self) -> str:
        return f"{self.year} {self.title}"


class ListEntry(models.Model):
    """An item of the county's access list (准入清单: tasks a community may be given) or
    certificate list (证明事项清单: certificates it may be asked to issue)."""

    class Kind(models.TextChoices):
        TASK = "task", _("准入清单")
        CERTIFICATE = "certificate", _("证明事项清单")
        CAMPUS_ACTIVITY = "campus_activity", _("社会事务进校园白名单")

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("清单"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("事项"), max_length=200)
    # The funding that follows a listed task to each community (费随事转), per year.
    funding_per_year = models.DecimalField(
        _("每年经费（元）"), max_digits=12, decimal_places=2, null=True, blank=True
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["district", "kind", "name"], name="list_entry_unique")
        ]
        verbose_name = _("清单事项")
        verbose_name_plural = _("清单事项")

    def __str__(self) -> str:
        return self.name


class UnregisteredReport(models.Model):
    """A receiver's report of a demand that reached it outside Qingfu (in a chat group, by
    phone, on paper), with the issuer named; the campaign office handles it."""

    class Channel(models.TextChoices):
        WECHAT = "wechat", _("微信群")
        QQ = "qq", _("QQ群")
        DINGTALK = "dingtalk", _("钉钉群")
        PHONE = "phone", _("电话")
        PAPER = "paper", _("纸质通知")
        OTHER = "other", _("其他")

    class Status(models.TextChoices):
        OPEN = "open", _("待处理")
        HANDLED = "handled", _("已处理")

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    receiver_unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.CASCADE, related_name="reports_made"
    )
    receiver_school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    issuer = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="reports_against", verbose_name=_("发出单位")
    )
    what = models.CharField(_("内容"), max_length=300)
    day = models.DateField(_("收到日期"))
    channel = models.CharField(_("渠道"), max_length=20, choices=Channel.choices)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    handling_note = models.TextField(_("处理情况"), blank=True)
    handled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(receiver_unit__isnull=False, receiver_school__isnull=True)
                | models.Q(receiver_unit__isnull=True, receiver_school__isnull=False),
                name="unregistered_report_one_receiver",
            )
        ]
        verbose_name = _("未登记事项报告")
        verbose_name_plural = _("未登记事项报告")

    def __str__(self) -> str:
        return self.what


class AppOrGroup(models.Model):
    """A government app, public account or work group a unit runs (政务APP、公众号、工作群),
    with its purpose, owner, status in the clean-up and the features that burden its users."""

    class Kind(models.TextChoices):
        APP = "app", _("政务APP")
        PUBLIC_ACCOUNT = "public_account", _("公众号")
        WECHAT = "wechat", _("微信工作群")
        QQ = "qq", _("QQ工作群")
        DINGTALK = "dingtalk", _("钉钉工作群")

    class Status(models.TextChoices):
        KEPT = "kept", _("保留")
        MERGED = "merged", _("合并")
        CLOSED = "closed", _("关停")

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="apps_groups")
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    purpose = models.CharField(_("用途"), max_length=200, blank=True)
    owner = models.CharField(_("管理人"), max_length=50, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.KEPT)
    # Keys of qingfu.policy.burden.APP_FEATURES it forces on its users.
    features = models.JSONField(_("强制功能"), default=list, blank=True)
    verdicts = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["district", "status"])]
        verbose_name = _("政务应用和工作群")
        verbose_name_plural = _("政务应用和工作群")

    def __str__(self) -> str:
        return self.name


class ObservationReport(models.Model):
    """An observation point's monthly report (减负观察点月报): the hours the unit spent on
    demands from above that month, the demands it saw arrive outside Qingfu, and whether
    the month felt heavier or lighter than the one before. One per unit and month; the
    point may correct it."""

    class Compared(models.TextChoices):
        HEAVIER = "heavier", _("比上月加重")
        SAME = "same", _("与上月持平")
        LIGHTER = "lighter", _("比上月减轻")

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="observation_reports")
    month = models.DateField(_("月份"))  # the first day of the month reported
    hours = models.FloatField(_("应对上级事项工时（小时）"))
    unregistered = models.PositiveIntegerField(_("未经平台下达的事项（件）"), default=0)
    compared = models.CharField(_("与上月相比"), max_length=10, choices=Compared.choices)
    remarks = models.TextField(_("意见建议"), blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "month"], name="observation_once_a_month")
        ]
        verbose_name = _("减负观察点月报")
        verbose_name_plural = _("减负观察点月报")

    def __str__(self) -> str:
        return f"{self.unit_id} {self.month:%Y-%m}"


class DemandHandler(models.Model):
    """A teacher the principal named to handle (承办) a demand that landed on their school.

    A demand's expected hours for the school are shared evenly among its handlers there, or
    among all the school's teachers when none is named (``policy.teacher_hours``). Written
    only by ``services.demand_handlers_set``, which replaces the school's handlers of the
    demand as a whole; ``school`` repeats the teacher's school so that a school's handlers
    are read without a join, and each row carries its county as every burden row does."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="handlers")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    teacher = models.ForeignKey(Teacher, on_delete=models.CASCADE, related_name="+")
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["demand", "teacher"], name="demand_handler_unique")
        ]
        indexes = [models.Index(fields=["school", "demand"])]
        verbose_name = _("承办人")
        verbose_name_plural = _("承办人")

    def __str__(self) -> str:
        return f"{self.demand_id}:{self.teacher_id}"
