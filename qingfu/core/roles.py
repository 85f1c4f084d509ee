"""The roles a person can hold, and who may see what.

Roles are derived from records (a teaching assignment makes a subject teacher, a class's
head-teacher field makes a head teacher, a guardian link makes a guardian), except the staff
roles that have no such record: school admin, district officer and inspector, the district's
training-supervision officer, and the roles people hold in a unit of the county other than a
school (an office that issues demands, the burden-reduction office, a town or community
that receives them, a training institution).
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
    TRAINING_OFFICER = "training_officer"
    # In a unit (qingfu.schools.models.Unit):
    ISSUER_CLERK = "issuer_clerk"
    ISSUER_LEADER = "issuer_leader"
    CAMPAIGN_OFFICER = "campaign_officer"
    RECEIVER = "receiver"
    INSTITUTION_STAFF = "institution_staff"

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
    Role.TRAINING_OFFICER: _("校外培训监管"),
    Role.ISSUER_CLERK: _("发文办事人员"),
    Role.ISSUER_LEADER: _("分管领导"),
    Role.CAMPAIGN_OFFICER: _("减负办"),
    Role.RECEIVER: _("基层单位"),
    Role.INSTITUTION_STAFF: _("培训机构"),
}

# Roles held in a unit of the county other than a school, granted per unit.
UNIT_ROLES = (
    Role.ISSUER_CLERK,
    Role.ISSUER_LEADER,
    Role.CAMPAIGN_OFFICER,
    Role.RECEIVER,
    Role.INSTITUTION_STAFF,
)
# Roles granted per district.
DISTRICT_ROLES = (Role.DISTRICT_OFFICER, Role.TRAINING_OFFICER)
# Staff roles stored as explicit grants; the others come from school records.
GRANTED_ROLES = (Role.SCHOOL_ADMIN, Role.INSPECTOR, *DISTRICT_ROLES, *UNIT_ROLES)
