"""Helpers for survey tests: actors, a survey in a school of the ``world``, families that can
answer, and a valid set of answers per audience."""

from __future__ import annotations

from django.contrib.auth.models import User

from qingfu.core.actor import Actor
from qingfu.schools.actors import actor_for
from qingfu.schools.models import School, SchoolClass, Student
from qingfu.schools.tests import factories as f
from qingfu.surveys import services
from qingfu.surveys.models import Survey

ALL = ("student", "guardian", "teacher")

GOOD: dict[str, dict[str, str]] = {
    "student": {
        "hw_minutes": "31-60", "finish_time": "19-20", "sleep_hours": "9-10",
        "hw_amount": "right", "stress": "2", "after_school": "yes",
        "after_school_satisfaction": "4", "suggestions": "希望多一些体育活动",
    },
    "guardian": {
        "hw_minutes": "31-60", "bedtime": "2100-2130", "sleep_hours": "9-10",
        "hw_amount": "right", "stress": "3", "after_school": "no", "suggestions": "",
    },
    "teacher": {
        "class_hw_within_cap": "mostly", "non_teaching_hours": "6", "stress": "3",
        "after_school_satisfaction": "4", "suggestions": "表格太多",
    },
}  # fmt: skip


def actor(user: User) -> Actor:
    return actor_for(user)


def draft(user: User, school: School | None = None, *, audiences: tuple[str, ...] = ALL,
          district_id: int | None = None) -> Survey:  # fmt: skip
    return services.survey_create(
        actor=actor(user), title="十月课业负担调查", audiences=list(audiences),
        school_id=school.pk if school else None, district_id=district_id,
    )  # fmt: skip


def opened(user: User, school: School | None = None, **kw: object) -> Survey:
    survey = draft(user, school, **kw)  # type: ignore[arg-type]
    return services.survey_open(actor=actor(user), survey_id=survey.pk)


def family(school_class: SchoolClass, key: str) -> tuple[Student, User]:
    """A pupil with a signed-in guardian; returns the pupil and the guardian's user."""
    pupil = f.StudentFactory(school_class=school_class)
    user = f.UserFactory(username=key)
    guardian = f.GuardianFactory(school=school_class.school, user=user)
    f.link(guardian, pupil)
    return pupil, user
