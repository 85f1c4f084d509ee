"""Homework as teachers set it: assignments, their items, the class-days they land on,
and the exceptions a grade-group leader grants when a day would go over the cap."""

from __future__ import annotations

import datetime as dt

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from qingfu.core import wording
from qingfu.schools.models import School, SchoolClass, Subject, Teacher
from qingfu.schools.naming import class_display_name


class ItemKind(models.TextChoices):
    WRITTEN = "written", _("书面")
    ORAL = "oral", _("口头")
    READING = "reading", _("阅读")
    PRACTICAL = "practical", _("实践")
    INQUIRY = "inquiry", _("探究")
    CROSS = "cross", _("跨学科")


class ItemTier(models.TextChoices):
    BASIC = "basic", _("基础")
    EXTENSION = "extension", _("提升")
    CHALLENGE = "challenge", _("拓展")


class ItemPlace(models.TextChoices):
    HOME = "home", _("在家")
    SCHOOL = "school", _("在校")


class Assignment(models.Model):
    """One piece of homework as written by a teacher, for one or several classes."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审批例外")
        PUBLISHED = "published", _("已发布")
        REFUSED = "refused", _("例外未获批准")
        WITHDRAWN = "withdrawn", _("已撤回")

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    teacher = models.ForeignKey(Teacher, on_delete=models.PROTECT, related_name="assignments_set")
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("布置日期"))
    due_on = models.DateField(_("完成日期"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["school", "date"]),
            models.Index(fields=["teacher", "date"]),
        ]
        verbose_name = _("作业")
        verbose_name_plural = _("作业")

    def __str__(self) -> str:
        return f"{self.date} {self.subject_id} #{self.pk}"

    @property
    def total_minutes(self) -> int:
        """Estimated minutes of all items (uses prefetched items when present)."""
        return sum(item.minutes for item in self.items.all())


class AssignmentClass(models.Model):
    """An assignment landing on one class's day; the load check sums these."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="targets")
    school_class = models.ForeignKey(SchoolClass, on_delete=models.CASCADE, related_name="+")
    date = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "school_class"], name="assignment_class_unique"
            )
        ]
        indexes = [models.Index(fields=["school_class", "date"])]

    def __str__(self) -> str:
        return f"{self.school_class_id}@{self.date}"


class Item(models.Model):
    """One task of an assignment, with the teacher's time estimate."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(default=0)
    content = models.CharField(_("内容"), max_length=500)
    kind = models.CharField(_("类型"), max_length=10, choices=ItemKind.choices)
    tier = models.CharField(_("层次"), max_length=10, choices=ItemTier.choices)
    is_mandatory = models.BooleanField(_("必做"), default=True)
    minutes = models.PositiveSmallIntegerField(
        _("预计用时（分钟）"), validators=[MinValueValidator(1), MaxValueValidator(180)]
    )
    place = models.CharField(_("完成地点"), max_length=10, choices=ItemPlace.choices)
    ability_elements = models.JSONField(_("能力要素"), default=list, blank=True)
    needs_phone = models.BooleanField(_("需用手机或打卡"), default=False)
    asks_parents_to_grade = models.BooleanField(_("需家长批改或检查"), default=False)
    is_punitive = models.BooleanField(_("惩罚性"), default=False)
    copying_minutes = models.PositiveSmallIntegerField(_("机械抄写（分钟）"), default=0)

    class Meta:
        ordering = ["assignment_id", "position"]

    def __str__(self) -> str:
        return self.content[:30]


class ClassDay(models.Model):
    """A class's school day: the row that publishing locks, so two teachers publishing to
    the same class and day are checked one after the other, never both under the cap."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    school_class = models.ForeignKey(SchoolClass, on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    planned_minutes = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["school_class", "date"], name="class_day_unique")
        ]

    def __str__(self) -> str:
        return f"{self.school_class_id}@{self.date}"


class LoadException(models.Model):
    """A request to go over a limit for one class-day, and the leader's written decision."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审批")
        GRANTED = "granted", _("已批准")
        REFUSED = "refused", _("未批准")

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="exceptions")
    school_class = models.ForeignKey(SchoolClass, on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    rule_ids = models.JSONField(default=list)
    measured = models.PositiveIntegerField(default=0)
    limit = models.PositiveIntegerField(default=0)
    request_reason = models.CharField(_("申请理由"), max_length=300)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        Teacher, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_reason = models.CharField(_("审批意见"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["school", "status"])]

    def __str__(self) -> str:
        return f"{self.school_class_id}@{self.date} {self.status}"


class WeeklyPlan(models.Model):
    """A grade group's plan of next week's homework, approved by both leaders (双组长)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("编制中")
        SUBMITTED = "submitted", _("待审核")
        RETURNED = "returned", _("已退回")
        APPROVED = "approved", _("已审核公示")

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    grade = models.ForeignKey("schools.Grade", on_delete=models.CASCADE, related_name="+")
    week_start = models.DateField(_("周一日期"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    leader_approved_by = models.ForeignKey(
        Teacher, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cadre_approved_by = models.ForeignKey(
        Teacher, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    return_comment = models.CharField(_("退回意见"), max_length=300, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["grade", "week_start"], name="weekly_plan_unique")
        ]

    def __str__(self) -> str:
        return f"{self.grade_id} {self.week_start}"


class PlanEntry(models.Model):
    """Planned minutes (and a short note) for one class, subject and day."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(WeeklyPlan, on_delete=models.CASCADE, related_name="entries")
    school_class = models.ForeignKey(SchoolClass, on_delete=models.CASCADE, related_name="+")
    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    minutes = models.PositiveSmallIntegerField(default=0)
    content = models.CharField(max_length=100, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "school_class", "subject", "date"], name="plan_entry_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.school_class_id} {self.subject_id} {self.date} {self.minutes}"


class PlanChange(models.Model):
    """A change to a plan after it was published: shown on the board as a change."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(WeeklyPlan, on_delete=models.CASCADE, related_name="changes")
    school_class = models.ForeignKey(SchoolClass, on_delete=models.CASCADE, related_name="+")
    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    minutes_before = models.PositiveSmallIntegerField()
    minutes_after = models.PositiveSmallIntegerField()
    content_before = models.CharField(max_length=100, blank=True)
    content_after = models.CharField(max_length=100, blank=True)
    changed_by = models.ForeignKey(Teacher, null=True, on_delete=models.SET_NULL, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.school_class_id} {self.date} {self.minutes_before}->{self.minutes_after}"


class ClassLogging(models.Model):
    """How a class collects homework time: every family every day, or a rotating sample
    panel (k students a day, each asked at most once every ``min_gap_days``)."""

    class Mode(models.TextChoices):
        EVERYONE = "everyone", _("全员记录")
        SAMPLE = "sample", _("轮换抽样")

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    school_class = models.OneToOneField(
        SchoolClass, on_delete=models.CASCADE, related_name="logging"
    )
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.SAMPLE)
    per_day = models.PositiveSmallIntegerField(_("每天抽样人数"), default=6)
    min_gap_days = models.PositiveSmallIntegerField(_("同一学生最短间隔（教学日）"), default=5)

    def __str__(self) -> str:
        return f"{self.school_class_id} {self.mode}"


class TimeLog(models.Model):
    """A family's record of one evening's homework: minutes per subject and finish time."""

    # The student's and the class's own indexes would repeat the first column of the
    # (student, date) and (school_class, date) ones below: every index costs each evening
    # write, and these serve the same lookups.
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    # Empty once the retention period has passed (qingfu.homework.retention): the evening
    # still counts for its class and day, but no longer says whose it was.
    student = models.ForeignKey(
        "schools.Student",
        null=True,
        on_delete=models.CASCADE,
        related_name="time_logs",
        db_index=False,
    )
    school_class = models.ForeignKey(
        SchoolClass, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    date = models.DateField()
    finished_at = models.TimeField(_("完成时间"), null=True, blank=True)
    could_not_finish = models.BooleanField(_("未能完成"), default=False)
    reason = models.CharField(_("原因"), max_length=200, blank=True)
    is_late = models.BooleanField(default=False)  # finished after the stage's bedtime
    was_sampled = models.BooleanField(default=False)
    logged_by = models.ForeignKey(
        "auth.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["student", "date"], name="time_log_unique")]
        indexes = [models.Index(fields=["school_class", "date"])]

    def __str__(self) -> str:
        return f"{self.student_id}@{self.date}"


class TimeLogEntry(models.Model):
    """Minutes one subject took that evening, against what its items estimated."""

    # No index of its own: the (log, subject) one below serves the lookups by log.
    log = models.ForeignKey(
        TimeLog, on_delete=models.CASCADE, related_name="entries", db_index=False
    )
    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="+")
    minutes = models.PositiveSmallIntegerField()
    estimated_minutes = models.PositiveSmallIntegerField(default=0)
    # Done at school (e.g. in the after-school service's homework help), not at home.
    at_school = models.BooleanField(_("在校完成"), default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["log", "subject"], name="time_log_entry_unique")
        ]

    def __str__(self) -> str:
        return f"{self.subject_id} {self.minutes}"


class Alert(models.Model):
    """An in-app notice for one person: a class over the cap, a student finishing late."""

    class Kind(models.TextChoices):
        OVER_CAP_REPORTED = "over_cap_reported", _("实际用时超上限")
        LATE_FINISH = "late_finish", _("多次晚于就寝时间完成")
        OVER_CAP_EXPECTED = "over_cap_expected", _("预计实际用时超上限")

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(Teacher, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    school_class = models.ForeignKey(SchoolClass, on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    student = models.ForeignKey(
        "schools.Student", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # What the alert says as messages and figures (qingfu.core.wording), written out in
    # the reader's language when read; alerts from before their values were kept hold
    # their text.
    wording = models.JSONField(default=str, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # One alert per kind, class, day and student: re-checks never pile up duplicates.
            models.UniqueConstraint(
                fields=["recipient", "kind", "school_class", "date", "student"],
                condition=models.Q(student__isnull=False),
                name="alert_unique_student",
            ),
            models.UniqueConstraint(
                fields=["recipient", "kind", "school_class", "date"],
                condition=models.Q(student__isnull=True),
                name="alert_unique_class",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.school_class_id}@{self.date}"

    @staticmethod
    def day(date: dt.date) -> dict[str, str]:
        """A date in an alert's wording, written out in the reader's language."""
        return {"day": date.isoformat()}

    @staticmethod
    def class_name(grade: int, number: int) -> dict[str, list[int]]:
        """A class in an alert's wording, by grade and number: 三年级(1)班, "Grade 3 (1)"."""
        return {"class": [grade, number]}

    @property
    def text(self) -> str:
        """What the alert says in the active language, its class and date written out in it."""
        language = translation.get_language()
        return wording.render(
            self.wording,
            kinds={
                "day": lambda iso: date_format(dt.date.fromisoformat(iso), "MONTH_DAY_FORMAT"),
                "class": lambda class_: class_display_name(class_[0], class_[1], language),
            },
        )


class CalibrationTotals(models.Model):
    """Estimated and reported minutes summed for a teacher × subject × item kind."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    teacher = models.ForeignKey(Teacher, on_delete=models.CASCADE, related_name="+")
    subject_code = models.CharField(max_length=20)
    kind = models.CharField(max_length=10, choices=ItemKind.choices)
    estimated_total = models.FloatField(default=0)
    reported_total = models.FloatField(default=0)
    observations = models.IntegerField(default=0)

    class Meta:
        abstract = True


class CalibrationShare(CalibrationTotals):
    """One class-day's part of the calibration totals: its logged subjects' minutes,
    under the teacher and item kind that own each subject that day. Kept so a class-day
    can be recomputed from its own records and the difference added to
    ``CalibrationStat`` (see ``homework.followup``)."""

    school_class = models.ForeignKey(SchoolClass, on_delete=models.CASCADE, related_name="+")
    date = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["school_class", "date", "teacher", "subject_code", "kind"],
                name="calibration_share_unique",
            )
        ]
        indexes = [models.Index(fields=["school", "date"])]

    def __str__(self) -> str:
        return f"{self.school_class_id}@{self.date} {self.teacher_id} {self.subject_code}"


class CalibrationStat(CalibrationTotals):
    """Running totals per teacher × subject × item kind: the sum of the class-days'
    ``CalibrationShare``, so calibration is one small read."""

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["teacher", "subject_code", "kind"], name="calibration_stat_unique"
            )
        ]
        indexes = [models.Index(fields=["school"])]

    def __str__(self) -> str:
        return f"{self.teacher_id} {self.subject_code} {self.kind}"
