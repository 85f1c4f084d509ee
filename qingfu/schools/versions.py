"""Which school records move which version of the cached reads (``qingfu.core.reads``).

Bulk writes send no signal: the roster import (bulk students and guardian links) moves its
school's roster by the audit entry it always writes in the same transaction, and the user
versions of the people whose roles it changed itself; other bulk writers (the demo
builders) run before anything is cached or must call ``cache_clear``."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save

from qingfu.core.models import AuditEntry
from qingfu.core.reads import cache_clear, clear_on_change
from qingfu.schools import models as m


def versions_connect() -> None:
    clear_on_change("policy", (m.PolicyOverride, m.School, m.District))
    # A student moved to another school leaves the first school's entries too.
    # Teachers and their teaching assignments too: the names that tell teachers apart.
    clear_on_change(
        "roster",
        (m.Student, m.SchoolClass, m.Grade, m.Teacher, m.TeachingAssignment),
        lambda r: (r.school_id,),
        as_stored_too=True,
    )
    clear_on_change("calendar", (m.Semester, m.CalendarException), lambda r: (r.school_id,))
    clear_on_change(
        "user",
        (
            m.RoleGrant,
            m.Teacher,
            m.Guardian,
            m.GuardianLink,
            m.TeachingAssignment,
            m.GradeGroup,
            m.SchoolClass,  # its head teacher
            m.Student,  # the student, and their guardians (a student left or came back)
        ),
        _users_of,
        as_stored_too=True,
    )

    def on_audit(sender: type, instance: AuditEntry, **kwargs: Any) -> None:
        if instance.action == AuditEntry.Action.IMPORT and instance.school_id is not None:
            cache_clear("roster", instance.school_id)

    post_save.connect(on_audit, sender=AuditEntry, weak=False, dispatch_uid="reads-import")


def _users_of(record: Any) -> set[int | None]:
    """The users whose roles ``record`` gives."""
    if isinstance(record, m.RoleGrant | m.Teacher | m.Guardian):
        return {record.user_id}
    if isinstance(record, m.GuardianLink):
        guardians = m.Guardian.objects.filter(pk=record.guardian_id)
        return set(guardians.values_list("user_id", flat=True))
    if isinstance(record, m.Student):
        guardians = m.Guardian.objects.filter(links__student_id=record.pk)
        return {record.user_id, *guardians.values_list("user_id", flat=True)}
    if isinstance(record, m.SchoolClass):
        heads = m.Teacher.objects.filter(
            pk__in=[record.head_teacher_id] if record.head_teacher_id else []
        )
        return set(heads.values_list("user_id", flat=True))
    teachers = m.Teacher.objects.filter(
        pk__in=[record.teacher_id]  # a teaching assignment
        if isinstance(record, m.TeachingAssignment)
        else [record.leader_id, record.cadre_id]  # a grade group
    )
    return set(teachers.values_list("user_id", flat=True))
