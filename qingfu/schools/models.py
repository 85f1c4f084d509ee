"""School structure and people: district → school → grade → class, and who is who.

Every row owned by a school carries ``school_id`` even where it could be reached through
a parent, so that scoping is one indexed filter and a sharded deployment can distribute
on it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from qingfu.core.roles import DISTRICT_ROLES, GRANTED_ROLES, UNIT_ROLES, Role
from qingfu.schools.naming import class_display_name, grade_display_name


class District(models.Model):
    """An education bureau's area (区/县), the unit a district officer oversees."""

    name = models.CharField(_("名称"), max_length=100)
    code = models.CharField(_("代码"), max_length=20, unique=True)
    province = models.CharField(_("省份"), max_length=30)
    city = models.CharField(_("城市"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("区县")
        verbose_name_plural = _("区县")

    def __str__(self) -> str:
        return self.name


class School(models.Model):
    """A school and its stage; the stage decides which grades it may have."""

    class Stage(models.TextChoices):
        PRIMARY = "primary", _("小学")
        JUNIOR = "junior", _("初级中学")
        NINE_YEAR = "nine_year", _("九年一贯制")

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="schools")
    name = models.CharField(_("名称"), max_length=100)
    code = models.CharField(_("学校代码"), max_length=20, unique=True)
    stage = models.CharField(_("学段"), max_length=10, choices=Stage.choices)
    address = models.CharField(_("地址"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("学校")
        verbose_name_plural = _("学校")

    def __str__(self) -> str:
        return self.name

    @property
    def grade_numbers(self) -> range:
        return {
            self.Stage.PRIMARY: range(1, 7),
            self.Stage.JUNIOR: range(7, 10),
            self.Stage.NINE_YEAR: range(1, 10),
        }[self.Stage(self.stage)]


class Grade(models.Model):
    """A grade (1-9) of one school."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="grades")
    number = models.PositiveSmallIntegerField(
        _("年级"), validators=[MinValueValidator(1), MaxValueValidator(9)]
    )

    class Meta:
        ordering = ["school_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["school", "number"], name="grade_unique_per_school"),
            models.CheckConstraint(
                condition=Q(number__gte=1, number__lte=9), name="grade_number_1_9"
            ),
        ]
        verbose_name = _("年级")
        verbose_name_plural = _("年级")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """三年级, or "Grade 3" while English is active (pages follow the reader's choice)."""
        return grade_display_name(self.number, get_language())

    @property
    def stage(self) -> str:
        return "primary" if self.number <= 6 else "junior"


class Teacher(models.Model):
    """A member of teaching staff; their roles come from assignments and groups."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="teachers")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="teacher",
    )
    name = models.CharField(_("姓名"), max_length=50)
    staff_no = models.CharField(_("工号"), max_length=30)
    phone = models.CharField(_("电话"), max_length=20, blank=True)

    class Meta:
        ordering = ["school_id", "staff_no"]
        constraints = [
            models.UniqueConstraint(fields=["school", "staff_no"], name="teacher_staff_no_unique")
        ]
        verbose_name = _("教师")
        verbose_name_plural = _("教师")

    def __str__(self) -> str:
        return self.name


class SchoolClass(models.Model):
    """A class (班), displayed as 三年级(2)班."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="classes")
    grade = models.ForeignKey(Grade, on_delete=models.CASCADE, related_name="classes")
    number = models.PositiveSmallIntegerField(_("班号"), validators=[MinValueValidator(1)])
    head_teacher = models.ForeignKey(
        Teacher,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="head_of_classes",
        verbose_name=_("班主任"),
    )

    class Meta:
        ordering = ["school_id", "grade__number", "number"]
        constraints = [
            models.UniqueConstraint(fields=["grade", "number"], name="class_unique_per_grade")
        ]
        verbose_name = _("班级")
        verbose_name_plural = _("班级")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """三年级(2)班, or "Grade 3 (2)" while English is active. Files and stored text call
        ``naming.class_display_name`` without a language and stay Chinese."""
        return class_display_name(self.grade.number, self.number, get_language())


class Subject(models.Model):
    """A subject taught at a school, from the national curriculum list, configurable."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="subjects")
    code = models.CharField(_("代码"), max_length=20)
    name = models.CharField(_("名称"), max_length=30)
    name_en = models.CharField(_("英文名称"), max_length=40, blank=True)
    grade_from = models.PositiveSmallIntegerField(_("起始年级"), default=1)
    grade_to = models.PositiveSmallIntegerField(_("结束年级"), default=9)
    ability_elements = models.JSONField(_("能力要素"), default=list, blank=True)
    is_active = models.BooleanField(_("开设"), default=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["school_id", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["school", "code"], name="subject_code_unique")
        ]
        verbose_name = _("学科")
        verbose_name_plural = _("学科")

    def __str__(self) -> str:
        return self.name

    def is_taught_in(self, grade: int) -> bool:
        return self.is_active and self.grade_from <= grade <= self.grade_to


class Student(models.Model):
    """A student, identified by the 全国学籍号 from the national student-status system."""

    class Gender(models.TextChoices):
        MALE = "M", _("男")
        FEMALE = "F", _("女")

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="students")
    school_class = models.ForeignKey(
        SchoolClass, on_delete=models.PROTECT, related_name="students", verbose_name=_("班级")
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="student",
    )
    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("出生日期"))
    national_id = models.CharField(_("全国学籍号"), max_length=20)
    is_active = models.BooleanField(_("在读"), default=True)

    class Meta:
        ordering = ["school_id", "school_class_id", "national_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "national_id"], name="student_national_id_unique"
            )
        ]
        indexes = [models.Index(fields=["school_class", "is_active"])]
        verbose_name = _("学生")
        verbose_name_plural = _("学生")

    def __str__(self) -> str:
        return self.name


class Guardian(models.Model):
    """A parent or other guardian, identified within a school by mobile number."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="guardians")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="guardian",
    )
    name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("电话"), max_length=20)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["school", "phone"], name="guardian_phone_unique")
        ]
        verbose_name = _("监护人")
        verbose_name_plural = _("监护人")

    def __str__(self) -> str:
        return self.name


class GuardianLink(models.Model):
    """A guardian's relationship to one student."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    guardian = models.ForeignKey(Guardian, on_delete=models.CASCADE, related_name="links")
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="guardian_links")
    relationship = models.CharField(_("关系"), max_length=10)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["guardian", "student"], name="guardian_link_unique")
        ]
        verbose_name = _("监护关系")
        verbose_name_plural = _("监护关系")

    def __str__(self) -> str:
        return f"{self.guardian_id}→{self.student_id} {self.relationship}"


class TeachingAssignment(models.Model):
    """Who teaches which subject in which class; one teacher per class and subject."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    teacher = models.ForeignKey(Teacher, on_delete=models.CASCADE, related_name="assignments")
    school_class = models.ForeignKey(
        SchoolClass, on_delete=models.CASCADE, related_name="assignments"
    )
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="assignments")
    weekly_lessons = models.PositiveSmallIntegerField(_("周课时"), default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["school_class", "subject"], name="assignment_unique_class_subject"
            )
        ]
        verbose_name = _("任课安排")
        verbose_name_plural = _("任课安排")

    def __str__(self) -> str:
        return f"{self.teacher_id} {self.school_class_id} {self.subject_id}"


class GradeGroup(models.Model):
    """A grade's teachers, led by a leader and an administrative cadre (双组长)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    grade = models.OneToOneField(Grade, on_delete=models.CASCADE, related_name="group")
    leader = models.ForeignKey(
        Teacher,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_groups",
        verbose_name=_("年级组长"),
    )
    cadre = models.ForeignKey(
        Teacher,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cadre_groups",
        verbose_name=_("行政干部"),
    )

    class Meta:
        verbose_name = _("年级组")
        verbose_name_plural = _("年级组")

    def __str__(self) -> str:
        return gettext("%(grade)s组") % {"grade": self.grade}


class Semester(models.Model):
    """A school's semester; its calendar combines national holidays with school closures."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="semesters")
    name = models.CharField(_("名称"), max_length=50)
    start = models.DateField(_("开学日期"))
    end = models.DateField(_("结束日期"))

    class Meta:
        ordering = ["school_id", "-start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="semester_order"),
            models.UniqueConstraint(fields=["school", "start"], name="semester_unique_start"),
        ]
        verbose_name = _("学期")
        verbose_name_plural = _("学期")

    def __str__(self) -> str:
        return self.name


class CalendarException(models.Model):
    """A school's own change to the calendar: a closure day or an extra teaching day."""

    class Kind(models.TextChoices):
        CLOSURE = "closure", _("停课")
        EXTRA_DAY = "extra_day", _("补课日")

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    semester = models.ForeignKey(Semester, on_delete=models.CASCADE, related_name="exceptions")
    date = models.DateField(_("日期"))
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    note = models.CharField(_("说明"), max_length=100)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["semester", "date"], name="calendar_exception_unique")
        ]
        verbose_name = _("校历调整")
        verbose_name_plural = _("校历调整")

    def __str__(self) -> str:
        return f"{self.date} {self.kind}"


class Unit(models.Model):
    """An organisation of the county beside its schools: a party or government office or
    department that issues demands (县委办、政府办、各局委), the burden-reduction office that
    runs the campaign (减负办), a town or street (乡镇/街道) and the communities and villages
    under it (社区/村) that receive demands, or an off-campus training institution.

    One tree per district (a community's parent is its town); people act in a unit through
    role grants, and a request acts in one current unit (``qingfu.core.scope``)."""

    class Kind(models.TextChoices):
        OFFICE = "office", _("机关部门")
        CAMPAIGN_OFFICE = "campaign_office", _("减负办")
        TOWN = "town", _("乡镇（街道）")
        COMMUNITY = "community", _("社区（村）")
        INSTITUTION = "institution", _("校外培训机构")

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="units")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=100)
    code = models.CharField(_("代码"), max_length=40)
    # 减负观察点: a receiver chosen to report on the burden placed on it each month.
    is_observation_point = models.BooleanField(_("减负观察点"), default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["district", "code"], name="unit_code_unique"),
        ]
        indexes = [models.Index(fields=["district", "kind"])]
        verbose_name = _("单位")
        verbose_name_plural = _("单位")

    def __str__(self) -> str:
        return self.name


class RoleGrant(models.Model):
    """A staff role with no school record behind it.

    A school admin and an inspector are granted per school; a district officer and the
    training-supervision officer per district; the roles of a unit (an issuing office, the
    burden-reduction office, a town or community, a training institution) per unit.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_grants"
    )
    role = models.CharField(
        _("角色"), max_length=20, choices=[(r.value, r.label) for r in GRANTED_ROLES]
    )
    school = models.ForeignKey(School, null=True, blank=True, on_delete=models.CASCADE)
    district = models.ForeignKey(District, null=True, blank=True, on_delete=models.CASCADE)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.CASCADE)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        role__in=list(DISTRICT_ROLES),
                        district__isnull=False,
                        school__isnull=True,
                        unit__isnull=True,
                    )
                    | Q(
                        role__in=[Role.SCHOOL_ADMIN, Role.INSPECTOR],
                        school__isnull=False,
                        district__isnull=True,
                        unit__isnull=True,
                    )
                    | Q(
                        role__in=list(UNIT_ROLES),
                        unit__isnull=False,
                        school__isnull=True,
                        district__isnull=True,
                    )
                ),
                name="role_grant_scope_matches_role",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "school", "district", "unit"], name="role_grant_unique"
            ),
        ]
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")

    def __str__(self) -> str:
        return f"{self.user_id} {self.role}"


class PolicyOverride(models.Model):
    """A province's, district's or school's stricter thresholds over the national profile.

    Validated by ``qingfu.policy`` (never looser than the level above) before it is saved.
    """

    class Level(models.TextChoices):
        PROVINCE = "province", _("省级")
        DISTRICT = "district", _("区县级")
        SCHOOL = "school", _("学校")

    level = models.CharField(_("层级"), max_length=10, choices=Level.choices)
    province = models.CharField(_("省份"), max_length=30, blank=True)
    district = models.ForeignKey(District, null=True, blank=True, on_delete=models.CASCADE)
    school = models.ForeignKey(School, null=True, blank=True, on_delete=models.CASCADE)
    thresholds = models.JSONField(_("阈值"), default=dict)
    note = models.CharField(_("依据"), max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(level="province", district__isnull=True, school__isnull=True)
                    & ~Q(province="")
                    | Q(level="district", district__isnull=False, school__isnull=True)
                    | Q(level="school", school__isnull=False, district__isnull=True)
                ),
                name="policy_override_scope",
            ),
        ]
        verbose_name = _("政策细则")
        verbose_name_plural = _("政策细则")

    def __str__(self) -> str:
        return f"{self.level} {self.province or self.district_id or self.school_id}"
