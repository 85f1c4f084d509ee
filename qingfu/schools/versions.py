"""Which school records move which version of the cached reads (``qingfu.core.reads``).

Bulk writes send no signal: the roster import (bulk students and guardian links) is caught
by the audit entry it always writes in the same transaction; other bulk writers (the demo
builders) run before anything is cached or must call ``cache_clear``."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save

from qingfu.core.models import AuditEntry
from qingfu.core.reads import cache_clear, clear_on_change
from qingfu.schools import models as m


def versions_connect() -> None:
    clear_on_change("policy", (m.PolicyOverride, m.School, m.District))
    clear_on_change("roster", (m.Student, m.SchoolClass, m.Grade))
    clear_on_change("calendar", (m.Semester, m.CalendarException), lambda r: (r.school_id,))
    clear_on_change(
        "user",
        (m.RoleGrant, m.Teacher, m.Guardian, m.GuardianLink, m.TeachingAssignment, m.GradeGroup),
        _users_of,
        as_stored_too=True,
    )

    def on_audit(sender: type, instance: AuditEntry, **kwargs: Any) -> None:
        if instance.action == AuditEntry.Action.IMPORT:
            cache_clear("roster")

    post_save.connect(on_audit, sender=AuditEntry, weak=False, dispatch_uid="reads-import")


def _users_of(record: Any) -> set[int | None]:
    """The users whose roles ``record`` gives."""
    if isinstance(record, m.RoleGrant | m.Teacher | m.Guardian):
        return {record.user_id}
    if isinstance(record, m.GuardianLink):
        guardians = m.Guardian.objects.filter(pk=record.guardian_id)
        return set(guardians.values_list("user_id", flat=True))
    teachers = m.Teacher.objects.filter(
        pk__in=[record.teacher_id]  # a teaching assignment
        if isinstance(record, m.TeachingAssignment)
        else [record.leader_id, record.cadre_id]  # a grade group
    )
    return set(teachers.values_list("user_id", flat=True))
