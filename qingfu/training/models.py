"""Off-campus training supervision (校外培训治理): the district's registry of institutions,
their trainers, what they file (courses and prices, weekly sessions, prepaid charges) and
the public's complaints.

Every row carries ``district_id``: the district's training officer keeps the registry and
the same key scopes every query, as ``school_id`` does for a school's rows. An institution
is a unit of the county (``schools.Unit`` of kind INSTITUTION): its staff act in it through
unit role grants. No student data is stored anywhere here: a prepaid charge names its
student only by the label the institution uses for them.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qingfu.schools.calendars import stamp_now
from qingfu.schools.models import District, Unit
from qingfu.training.refusals import refusal_text


class Category(models.TextChoices):
    ACADEMIC = "academic", _("学科类")
    NON_ACADEMIC = "non-academic", _("非学科类")


class Subcategory(models.TextChoices):
    COMPULSORY = "compulsory", _("义务教育阶段学科类")
    HIGH_SCHOOL = "high-school", _("高中阶段学科类")
    SPORTS = "sports", _("体育")
    ARTS = "arts", _("文化艺术")
    SCIENCE = "science", _("科技")
    OTHER = "other", _("其他")


ACADEMIC_SUBCATEGORIES = frozenset({Subcategory.COMPULSORY, Subcategory.HIGH_SCHOOL})


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("周一")
    TUESDAY = 1, _("周二")
    WEDNESDAY = 2, _("周三")
    THURSDAY = 3, _("周四")
    FRIDAY = 4, _("周五")
    SATURDAY = 5, _("周六")
    SUNDAY = 6, _("周日")


class Institution(models.Model):
    """An off-campus training institution on the district's registry.

    One-to-one with its unit (the name lives there, the staff's grants point there). The
    status is the latest of its ``StatusChange`` rows, kept here for the public page and the
    counts; only ``services.institution_set_status`` changes both together."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("在册")
        RECTIFYING = "rectifying", _("整改中")
        DEREGISTERED = "deregistered", _("已注销")
        BLACKLISTED = "blacklisted", _("黑名单")

    unit = models.OneToOneField(Unit, on_delete=models.CASCADE, related_name="institution")
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    licence_number = models.CharField(_("办学许可证号"), max_length=60, blank=True)
    licence_from = models.DateField(_("许可证有效期起"), null=True, blank=True)
    licence_to = models.DateField(_("许可证有效期止"), null=True, blank=True)
    category = models.CharField(_("类别"), max_length=15, choices=Category.choices)
    subcategory = models.CharField(_("细类"), max_length=15, choices=Subcategory.choices)
    is_nonprofit = models.BooleanField(_("登记为非营利性"), default=False)
    address = models.CharField(_("培训场所地址"), max_length=200)
    area_m2 = models.DecimalField(_("场所面积（平方米）"), max_digits=8, decimal_places=1)
    status = models.CharField(
        _("状态"), max_length=15, choices=Status.choices, default=Status.REGISTERED
    )
    status_since = models.DateField(_("状态日期"))
    status_reason = models.CharField(_("状态原因"), max_length=300, blank=True)

    class Meta:
        indexes = [models.Index(fields=["district", "category", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(licence_to__isnull=True)
                | Q(licence_from__isnull=True)
                | Q(licence_to__gte=models.F("licence_from")),
                name="institution_licence_order",
            ),
            models.CheckConstraint(condition=Q(area_m2__gt=0), name="institution_area_positive"),
        ]
        verbose_name = _("培训机构")
        verbose_name_plural = _("培训机构")

    def __str__(self) -> str:
        return self.unit.name

    @property
    def name(self) -> str:
        return self.unit.name

    @property
    def is_academic(self) -> bool:
        return self.category == Category.ACADEMIC

    @property
    def is_blacklisted(self) -> bool:
        return self.status == self.Status.BLACKLISTED


class StatusChange(models.Model):
    """One change of an institution's status: what, why, from which day, by whom."""

    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="status_changes"
    )
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(_("状态"), max_length=15, choices=Institution.Status.choices)
    reason = models.CharField(_("原因"), max_length=300, blank=True)
    date = models.DateField(_("日期"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("状态变更")
        verbose_name_plural = _("状态变更")

    def __str__(self) -> str:
        return f"{self.date} {self.status}"


class Trainer(models.Model):
    """A trainer of an institution as the registry shows them publicly: name and
    teaching-certificate number only (academic trainers must hold one)."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="trainers")
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("姓名"), max_length=50)
    certificate_number = models.CharField(_("教师资格证号"), max_length=40, blank=True)
    teaches_academic = models.BooleanField(_("从事学科类培训"), default=False)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("培训人员")
        verbose_name_plural = _("培训人员")

    def __str__(self) -> str:
        return self.name


class Filing(models.Model):
    """What an institution filed: accepted (``filed``) or refused by a rule, with the
    verdicts of the check either way.

    A refused filing is kept as the record of the refusal (an inspection asks how many
    Saturday sessions were refused this term), never as something in force: the public
    page, the schedule and every count of what is filed read ``filed`` rows only."""

    class Status(models.TextChoices):
        FILED = "filed", _("已备案")
        REFUSED = "refused", _("不予备案")

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(_("备案状态"), max_length=10, choices=Status.choices)
    verdicts = models.JSONField(_("检查结果"), default=list)
    # The school's clock, pinned with the demo's day: a filing made by the demo (or on a
    # pinned test day) is dated on that day, so the period's reports count it.
    filed_at = models.DateTimeField(default=stamp_now)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        abstract = True

    @property
    def refusals(self) -> list[dict[str, Any]]:
        return [v for v in self.verdicts if v.get("status") == "violation"]

    @property
    def refusal_lines(self) -> list[str]:
        """Each refused rule as people read it: the message, the rule's title and its
        document, in the reader's language."""
        return [refusal_text(row) for row in self.refusals]


class Course(Filing):
    """A course and its price per lesson-hour, against the government-guided benchmark
    (指导价, academic courses; the markup limit is ``trn.prices``)."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="courses")
    name = models.CharField(_("课程名称"), max_length=100)
    subject = models.CharField(_("科目"), max_length=30)
    grade_from = models.PositiveSmallIntegerField(_("起始年级"))
    grade_to = models.PositiveSmallIntegerField(_("截止年级"))
    lesson_minutes = models.PositiveSmallIntegerField(_("课时长度（分钟）"))
    benchmark_price = models.DecimalField(
        _("基准价（元/课时）"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    price = models.DecimalField(_("收费标准（元/课时）"), max_digits=8, decimal_places=2)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(grade_to__gte=models.F("grade_from")), name="course_grade_order"
            )
        ]
        verbose_name = _("课程")
        verbose_name_plural = _("课程")

    def __str__(self) -> str:
        return self.name


class Session(Filing):
    """A weekly session of a course over a term: the weekday, the times, online or offline,
    the lessons it is cut into, and the term's first and last day."""

    class Mode(models.TextChoices):
        OFFLINE = "offline", _("线下")
        ONLINE = "online", _("线上")

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="sessions")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="sessions")
    weekday = models.PositiveSmallIntegerField(_("星期"), choices=Weekday.choices)
    start = models.TimeField(_("开始"))
    end = models.TimeField(_("结束"))
    mode = models.CharField(_("方式"), max_length=10, choices=Mode.choices)
    lessons = models.PositiveSmallIntegerField(_("课节数"), default=1)
    break_minutes = models.PositiveSmallIntegerField(_("课间（分钟）"), default=0)
    term_first = models.DateField(_("本期首日"))
    term_last = models.DateField(_("本期末日"))

    class Meta:
        ordering = ["weekday", "start", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(weekday__lte=6), name="session_weekday"),
            models.CheckConstraint(
                condition=Q(term_last__gte=models.F("term_first")), name="session_term_order"
            ),
        ]
        verbose_name = _("课程安排")
        verbose_name_plural = _("课程安排")

    def __str__(self) -> str:
        return f"{self.course_id} {self.weekday} {self.start}-{self.end}"


class PrepaidCharge(Filing):
    """One prepaid charge: the institution's own label for the student (no personal data),
    the amount, the lesson-hours and months it covers, and the supervised account it went
    into (``trn.prepaid``)."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="charges")
    student_label = models.CharField(_("学员编号"), max_length=40)
    amount = models.DecimalField(_("金额（元）"), max_digits=10, decimal_places=2)
    lesson_hours = models.PositiveSmallIntegerField(_("课时数"))
    months = models.PositiveSmallIntegerField(_("覆盖月数"))
    paid_on = models.DateField(_("收费日期"))
    into_supervised_account = models.BooleanField(_("进入监管账户"), default=True)
    account_bank = models.CharField(_("监管银行"), max_length=60, blank=True)

    class Meta:
        ordering = ["-paid_on", "-id"]
        verbose_name = _("预收费")
        verbose_name_plural = _("预收费")

    def __str__(self) -> str:
        return f"{self.student_label} {self.amount}"


class Complaint(models.Model):
    """A complaint or tip (投诉举报) from anyone, signed in or not.

    The reference number is printed for the reporter; the follow token (in their private
    link) is what lets them read its progress, so references can be guessed without
    revealing anything. The contact is for the officer only: no page or API an institution
    can reach shows it. The deadline comes from ``trn.complaints`` when it is received."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("受理")
        VERIFYING = "verifying", _("核查")
        HANDLING = "handling", _("处理")
        CLOSED = "closed", _("办结")
        REJECTED = "rejected", _("不予受理")

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    reference = models.CharField(_("受理编号"), max_length=20, unique=True)
    follow_token = models.CharField(max_length=64)
    institution = models.ForeignKey(
        Institution, null=True, blank=True, on_delete=models.SET_NULL, related_name="complaints"
    )
    institution_name = models.CharField(_("机构名称"), max_length=100, blank=True)
    what_happened = models.TextField(_("反映内容"), max_length=2000)
    contact = models.CharField(_("联系方式"), max_length=100, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.RECEIVED
    )
    received_on = models.DateField(_("受理日期"))
    deadline = models.DateField(_("办理期限"))
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["district", "status"])]
        verbose_name = _("投诉举报")
        verbose_name_plural = _("投诉举报")

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status not in (self.Status.CLOSED, self.Status.REJECTED)

    @property
    def about(self) -> str:
        return self.institution.name if self.institution else self.institution_name


class ComplaintEvent(models.Model):
    """A dated step of a complaint: the status it moved to and the officer's note (shown to
    the reporter on the follow page; the officer writes it for them)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="events")
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(_("状态"), max_length=10, choices=Complaint.Status.choices)
    note = models.CharField(_("说明"), max_length=500, blank=True)
    date = models.DateField(_("日期"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")

    def __str__(self) -> str:
        return f"{self.date} {self.status}"
