"""Writing the audit log of personal-data access.

Selectors that return a minor's personal data call ``audit_record``; so do the services
that change, import or export it. The write is a single insert, so reading a page costs one
extra query, not a transaction.
"""

from __future__ import annotations

from qingfu.core.actor import Actor
from qingfu.core.models import AuditEntry


def audit_record(
    *,
    actor: Actor,
    action: str,
    object_type: str,
    object_id: object = "",
    school_id: int | None = None,
    detail: str = "",
    channel: str = "web",
) -> None:
    AuditEntry.objects.create(
        user_id=actor.user_id,
        school_id=school_id,
        action=action,
        object_type=object_type,
        object_id=str(object_id)[:64],
        detail=detail[:500],
        channel=channel,
    )
