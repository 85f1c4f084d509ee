"""After-school services (课后服务) as a school runs them in a semester.

A program (方案) sets the service days and hours and its time segments; clubs (社团) sit in
segments. Families answer the needs survey, sign up (a versioned consent that takes effect
from a stated date), rank clubs for the preference round, and request seats in the open
round. Seats (名额) are the single record of who is in which club — the allocation run,
the open round and the waitlist all write seats, and every page reads them.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qingfu.schools.models import School, SchoolClass, Semester, Student, Teacher

WEEKDAY_NAMES = (_("周一"), _("周二"), _("周三"), _("周四"), _("周五"), _("周六"), _("周日"))

SEGMENT_LABELS = (_("第一时段"), _("第二时段"), _("第三时段"), _("第四时段"))


class Program(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        FILED = "filed", _("已备案")

    class Phase(models.TextChoices):
        SETUP = "setup", _("方案编制")
        SURVEY = "survey", _("需求调研")
        SIGNUP = "signup", _("报名与志愿填报")
        ALLOCATED = "allocated", _("已分配")
        OPEN = "open", _("补报名（开放轮）")

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    semester = models.OneToOneField(
        Semester, on_delete=models.CASCADE, related_name="afterschool_program"
    )
    weekdays = models.JSONField(_("服务日"), default=list)  # 0 = Monday
    start = models.TimeField(_("开始时间"))
    end = models.TimeField(_("结束时间"))
    max_choices = models.PositiveSmallIntegerField(
        _("每时段志愿数"), default=3, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default="draft")
    phase = models.CharField(_("阶段"), max_length=10, choices=Phase.choices, default="setup")
    filed_at = models.DateTimeField(null=True, blank=True)
    open_round_at = models.DateTimeField(_("开放轮开始"), null=True, blank=True)
    # Requests in the first minutes of the open round count as simultaneous (lottery order).
    open_round_batch_minutes = models.PositiveSmallIntegerField(
        _("同时到达窗口（分钟）"), default=5
    )
    open_round_settled = models.BooleanField(default=False)
    open_round_seed = models.CharField(_("补报名抽签种子"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("课后服务方案")
        verbose_name_plural = _("课后服务方案")

    def __str__(self) -> str:
        return _("%(semester)s 课后服务") % {"semester": self.semester}


class Segment(models.Model):
    """A time segment of the service day, e.g. 第一时段 15:40-16:40."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="segments")
    order = models.PositiveSmallIntegerField(_("序号"))
    start = models.TimeField(_("开始"))
    end = models.TimeField(_("结束"))

    class Meta:
        ordering = ["program", "order"]
        constraints = [
            models.UniqueConstraint(fields=["program", "order"], name="segment_unique_order")
        ]

    def __str__(self) -> str:
        return f"{self.label} {self.start:%H:%M}-{self.end:%H:%M}"

    @property
    def label(self) -> str:
        if 1 <= self.order <= len(SEGMENT_LABELS):
            return str(SEGMENT_LABELS[self.order - 1])
        return str(_("第 %(n)d 时段") % {"n": self.order})


class Club(models.Model):
    class Level(models.TextChoices):
        SCHOOL = "school", _("校级")
        GRADE = "grade", _("年级")
        CLASS = "class", _("班级")

    class Category(models.TextChoices):
        SPORTS = "sports", _("体育")
        ARTS = "arts", _("艺术")
        SCIENCE = "science", _("科技")
        READING = "reading", _("阅读")
        LABOUR = "labour", _("劳动")
        CULTURE = "culture", _("传统文化")
        OTHER = "other", _("其他")

    class Instructor(models.TextChoices):
        TEACHER = "teacher", _("本校教师")
        PARENT = "parent", _("家长志愿者")
        EXPERT = "expert", _("校外专业人员")

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="clubs")
    # Deleting a segment that still has clubs is refused by program_save, not here: a
    # PROTECT would also stop a whole school from being removed.
    segment = models.ForeignKey(Segment, on_delete=models.CASCADE, related_name="clubs")
    name = models.CharField(_("名称"), max_length=40)
    category = models.CharField(_("类别"), max_length=10, choices=Category.choices)
    level = models.CharField(_("层级"), max_length=10, choices=Level.choices, default="school")
    grade_from = models.PositiveSmallIntegerField(_("起始年级"))
    grade_to = models.PositiveSmallIntegerField(_("结束年级"))
    school_class = models.ForeignKey(
        SchoolClass, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    capacity = models.PositiveSmallIntegerField(_("名额"), validators=[MinValueValidator(1)])
    weekdays = models.JSONField(_("活动日"), default=list)
    room = models.CharField(_("地点"), max_length=40, blank=True)
    instructor_kind = models.CharField(
        _("指导教师类型"), max_length=10, choices=Instructor.choices, default="teacher"
    )
    instructor_teacher = models.ForeignKey(
        Teacher, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    instructor_name = models.CharField(_("指导教师"), max_length=40)

    class Meta:
        ordering = ["program", "segment__order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["program", "name"], name="club_unique_name"),
            models.CheckConstraint(
                condition=Q(grade_from__lte=models.F("grade_to")), name="club_grade_range"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def admits(self, student: Student) -> bool:
        grade = student.school_class.grade.number
        if self.school_class_id is not None:
            return student.school_class_id == self.school_class_id
        return self.grade_from <= grade <= self.grade_to


class SurveyResponse(models.Model):
    """A guardian's answer to the needs survey (需求调研), one per student."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="responses")
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="+")
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    participate = models.BooleanField(_("参加课后服务"))
    weekdays = models.JSONField(_("参加日"), default=list)
    last_segment = models.PositiveSmallIntegerField(_("接送时段"), default=0)
    interests = models.JSONField(_("希望的社团类别"), default=list)
    answered_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["program", "student"], name="survey_one_per_student")
        ]

    def __str__(self) -> str:
        return f"{self.student_id} survey"


class Signup(models.Model):
    """Voluntary participation, versioned: a change closes the current row and opens a new
    one from its effective date, so the record of who consented to what is never lost."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="signups")
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="+")
    weekdays = models.JSONField(_("参加日"), default=list)
    last_segment = models.PositiveSmallIntegerField(_("参加到第几时段"))
    valid_from = models.DateField(_("生效日期"))
    valid_to = models.DateField(_("截止日期"), null=True, blank=True)  # exclusive
    withdrawn = models.BooleanField(_("退出"), default=False)
    consent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["student", "valid_from", "id"]
        indexes = [models.Index(fields=["program", "student", "valid_from"])]
        constraints = [
            # At most one open-ended version per student and program.
            models.UniqueConstraint(
                fields=["program", "student"],
                condition=Q(valid_to__isnull=True),
                name="signup_one_current",
            )
        ]

    def __str__(self) -> str:
        return f"{self.student_id} from {self.valid_from}"


class Preference(models.Model):
    """One ranked club in a student's preference list for a segment."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="preferences")
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="+")
    segment = models.ForeignKey(Segment, on_delete=models.CASCADE, related_name="+")
    club = models.ForeignKey(Club, on_delete=models.CASCADE, related_name="preferences")
    rank = models.PositiveSmallIntegerField(_("志愿"))

    class Meta:
        ordering = ["student", "segment__order", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "student", "segment", "rank"], name="preference_rank"
            ),
            models.UniqueConstraint(fields=["student", "club"], name="preference_club_once"),
        ]

    def __str__(self) -> str:
        return f"{self.student_id} #{self.rank} {self.club_id}"


class AllocationRun(models.Model):
    """One run of the preference round, reproducible from its seed and stored inputs."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="runs")
    mechanism = models.CharField(_("分配方式"), max_length=10)
    seed = models.CharField(_("抽签种子"), max_length=64)
    inputs_digest = models.CharField(max_length=64)
    report = models.JSONField(default=dict)
    seats = models.JSONField(default=dict)  # "student_id:segment_id" → club id
    applied = models.BooleanField(_("已采用"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(auto_now_add=True)
    seconds = models.FloatField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.mechanism} {self.seed}"


class Seat(models.Model):
    """A student's place in a club — enrolled, waiting, pending the open-round lottery, or
    given up. Enrolled seats never exceed the club's capacity (checked under a row lock)."""

    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("已录取")
        WAITLISTED = "waitlisted", _("候补")
        PENDING = "pending", _("待统一抽签")
        WITHDRAWN = "withdrawn", _("已退出")

    class Source(models.TextChoices):
        ALLOCATION = "allocation", _("志愿分配")
        OPEN = "open", _("补报名")
        WAITLIST = "waitlist", _("候补递补")

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="seats")
    club = models.ForeignKey(Club, on_delete=models.CASCADE, related_name="seats")
    segment = models.ForeignKey(Segment, on_delete=models.CASCADE, related_name="+")
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices)
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices)
    requested_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    lottery_key = models.CharField(max_length=64, blank=True)
    note = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["club", "requested_at", "id"]
        indexes = [models.Index(fields=["club", "status"])]
        constraints = [
            # One club per student per segment, enforced by the database too.
            models.UniqueConstraint(
                fields=["student", "segment"],
                condition=Q(status="enrolled"),
                name="seat_one_club_per_segment",
            ),
            models.UniqueConstraint(
                fields=["student", "club"],
                condition=~Q(status="withdrawn"),
                name="seat_one_live_request_per_club",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student_id} {self.club_id} {self.status}"


class Session(models.Model):
    """One meeting on one date: a club's, or a class's basic care group (看护/作业辅导).

    Created when first needed (the duty teacher opens it, or the roster is generated), so
    a semester's calendar is never materialised ahead of time.
    """

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField(_("日期"))
    segment = models.ForeignKey(Segment, on_delete=models.CASCADE, related_name="+")
    club = models.ForeignKey(
        Club, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    school_class = models.ForeignKey(
        SchoolClass, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    duty_teacher = models.ForeignKey(
        Teacher, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["date", "segment__order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["date", "segment", "club"],
                condition=Q(club__isnull=False),
                name="session_one_per_club_day",
            ),
            models.UniqueConstraint(
                fields=["date", "segment", "school_class"],
                condition=Q(club__isnull=True),
                name="session_one_per_class_day",
            ),
            models.CheckConstraint(
                condition=Q(club__isnull=False) | Q(school_class__isnull=False),
                name="session_club_or_class",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.segment_id} {self.club_id or self.school_class_id}"


class AttendanceMark(models.Model):
    """One mark, never overwritten: the latest mark for a student in a session is the
    attendance; a correction after the session is a new mark, approved by the coordinator;
    attendance taken after the session ended is marked ``is_late`` (who and when are
    ``marked_by`` and ``marked_at``)."""

    class Status(models.TextChoices):
        PRESENT = "present", _("出勤")
        ABSENT = "absent", _("缺勤")
        LEAVE = "leave", _("请假")
        EARLY = "early", _("提前接走")

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="marks")
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices)
    picked_up_at = models.TimeField(_("接走时间"), null=True, blank=True)
    picked_up_by = models.CharField(_("接走人"), max_length=30, blank=True)
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    marked_at = models.DateTimeField(auto_now_add=True)
    # Taken after the session ended (补录), by its duty teacher or the school's admin.
    is_late = models.BooleanField(_("补录"), default=False)
    correction = models.ForeignKey(
        "AttendanceCorrection", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["session", "student", "marked_at", "id"]
        indexes = [models.Index(fields=["session", "student", "marked_at"])]

    def __str__(self) -> str:
        return f"{self.session_id} {self.student_id} {self.status}"


class AttendanceCorrection(models.Model):
    """A request to change a locked mark, with its reason and the coordinator's decision."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("待审批")
        APPROVED = "approved", _("已批准")
        REFUSED = "refused", _("未批准")

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="corrections")
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(_("改为"), max_length=10, choices=AttendanceMark.Status.choices)
    reason = models.CharField(_("理由"), max_length=200)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    decision = models.CharField(
        _("审批"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("审批意见"), max_length=200, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"{self.session_id} {self.student_id} → {self.status}"


class TeacherDuty(models.Model):
    """What the roster needs to know about a teacher: the weekdays with a first-period class
    (no late arrival then), days they cannot stay, and their own weekly cap if any."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    teacher = models.OneToOneField(Teacher, on_delete=models.CASCADE, related_name="duty")
    first_period_days = models.JSONField(_("上午第一节有课"), default=list)
    unavailable_days = models.JSONField(_("不能值班"), default=list)
    max_weekly_minutes = models.PositiveSmallIntegerField(
        _("每周最多（分钟）"), null=True, blank=True
    )

    def __str__(self) -> str:
        return f"{self.teacher_id} duty settings"


class RosterWeek(models.Model):
    """A generated duty roster for one week; the assignments live on the sessions."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="rosters")
    monday = models.DateField(_("周一"))
    status = models.CharField(max_length=10)
    objective = models.FloatField(default=0)
    bound = models.FloatField(default=0)
    gap = models.FloatField(default=0)
    seconds = models.FloatField(default=0)
    sessions = models.PositiveIntegerField(default=0)
    teachers = models.PositiveIntegerField(default=0)
    spread_minutes = models.PositiveIntegerField(default=0)  # max - min weekly minutes
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-monday", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["program", "monday"], name="roster_one_per_week")
        ]

    def __str__(self) -> str:
        return f"{self.program_id} {self.monday}"

    @property
    def gap_percent(self) -> float:
        return round(self.gap * 100, 2)


class Job(models.Model):
    """Long work run in the background for a school admin (re-running the week's duty
    roster, an allocation run): its state, how far it has got and what came of it.

    The row is written with the request (the outbox); the task that does the work claims it
    from ``queued`` to ``running`` in one statement, so a message delivered twice runs it
    once. A queued job whose message was lost, and a running one whose worker died, are
    swept (``qingfu.afterschool.sweep_jobs``) and sent again, up to a number of attempts.
    """

    class Kind(models.TextChoices):
        ROSTER = "roster", _("值班排班")
        ALLOCATION = "allocation", _("志愿分配")

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("运行中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("未完成")

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="jobs")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    params = models.JSONField(default=dict)  # what the work needs: the week, the seed …
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    step = models.CharField(max_length=100, blank=True)  # what it is doing, as shown
    result = models.JSONField(default=dict)  # {"message", "url"} when done
    errors = models.JSONField(default=list)  # what stopped it, as shown to the admin
    language = models.CharField(max_length=10, default="zh-hans")  # the requester's
    attempts = models.PositiveSmallIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)  # the last message sent for it
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "sent_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.status} {self.progress}%"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
