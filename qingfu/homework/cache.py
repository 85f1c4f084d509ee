"""What homework keeps in the versioned cache (``qingfu.core.reads``): the versions its
records move on, the school's policy profile and the kind of each calendar day."""

from __future__ import annotations

import datetime as dt
from typing import Any

from qingfu.core.reads import Reads, clear_on_change
from qingfu.homework.models import Assignment, ClassLogging, Item
from qingfu.policy.calendar import DayKind
from qingfu.policy.rules import Profile
from qingfu.schools.calendars import day_info, profile_for_school
from qingfu.schools.models import School


def cache_connect() -> None:
    """Move the school's "homework" version on whenever publishing, items, logging modes or
    subjects change (the other versions: ``qingfu.schools.versions``)."""
    from qingfu.homework.models import AssignmentClass
    from qingfu.schools.models import Subject

    def school_of(instance: Any) -> tuple[int | None]:
        if isinstance(instance, Item | AssignmentClass):
            assignment = Assignment.objects.filter(id=instance.assignment_id)
            return (assignment.values_list("school_id", flat=True).first(),)
        return (instance.school_id,)

    clear_on_change(
        "homework", (Assignment, AssignmentClass, Item, ClassLogging, Subject), school_of
    )


def school_profile(school: School | int, reads: Reads | None = None) -> Profile:
    """``profile_for_school``, kept in this process under the policy version (a profile
    holds read-only mappings that do not go into a shared cache)."""
    school_id = school if isinstance(school, int) else school.pk

    def build() -> Profile:
        found = school if isinstance(school, School) else None
        return profile_for_school(
            found or School.objects.select_related("district").get(id=school_id)
        )

    return (reads or Reads()).get(f"profile:{school_id}", build, scopes=("policy",), shared=False)


def day_kind(school_id: int, day: dt.date, reads: Reads | None = None) -> DayKind:
    """What kind of day ``day`` is at the school (``day_info``), cached."""
    return (reads or Reads()).get(
        f"day-kind:{school_id}:{day.isoformat()}",
        lambda: day_info(school_id, day).kind,
        scopes=("calendar",),
        owner=school_id,
    )
