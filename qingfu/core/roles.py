"""The roles a person can hold, and who may see what.

Roles are derived from records (a teaching assignment makes a subject teacher, a class's
head-teacher field makes a head teacher, a guardian link makes a guardian), except the three
staff roles that have no such record: school admin, district officer and inspector.
"""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class Role(StrEnum):
    SCHOOL_ADMIN = "school_admin"
    GRADE_LEADER = "grade_leader"
    HEAD_TEACHER = "head_teacher"
    SUBJECT_TEACHER = "subject_teacher"
    STUDENT = "student"
    GUARDIAN = "guardian"
    DISTRICT_OFFICER = "district_officer"
    INSPECTOR = "inspector"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])


ROLE_LABELS = {
    Role.SCHOOL_ADMIN: _("学校管理员"),
    Role.GRADE_LEADER: _("年级组长"),
    Role.HEAD_TEACHER: _("班主任"),
    Role.SUBJECT_TEACHER: _("科任教师"),
    Role.STUDENT: _("学生"),
    Role.GUARDIAN: _("家长"),
    Role.DISTRICT_OFFICER: _("教育局"),
    Role.INSPECTOR: _("责任督学"),
}

# Staff roles stored as explicit grants; the others come from school records.
GRANTED_ROLES = (Role.SCHOOL_ADMIN, Role.DISTRICT_OFFICER, Role.INSPECTOR)
