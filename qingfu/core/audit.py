"""Writing the audit log of personal-data access: one helper every selector calls.

Every read, list, export and change of a minor's personal data goes through
:func:`audit_read`, :func:`audit_list`, :func:`audit_export` or :func:`audit_change`, called
by the selector or service that touches the data (not by each view), so a page and an API
operation over the same selector are audited alike. Each entry names the students it
touched (:class:`~qingfu.core.models.AuditSubject`), so a guardian can be shown who looked at
their child and a school admin can filter by student.

The channel (``web``, ``api``, ``export``, ``command``) is not the caller's to say: the
middleware sets it from the request's path, management commands set ``command``, and an
export is ``export`` whatever asked for it (but a command's).

Reads are cheap: during a request they are collected and written in one bulk insert when
the response is ready (:class:`AuditMiddleware`); a refused request raises before its
selector reads, so it leaves nothing. Changes are written at once, in the transaction of the
change, so a change and its entry commit or roll back together.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse

from qingfu.core.actor import Actor
from qingfu.core.models import AuditEntry, AuditSubject

WEB = "web"
API = "api"
EXPORT = "export"
COMMAND = "command"

_channel: ContextVar[str] = ContextVar("qingfu_audit_channel")
_pending: ContextVar[list[_Pending] | None] = ContextVar("qingfu_audit_pending", default=None)


@dataclass
class _Pending:
    entry: AuditEntry
    student_ids: tuple[int, ...]


def current_channel() -> str:
    """The request's channel; outside a request, the process's (``qingfu.cli`` sets
    ``command`` for every management command and worker)."""
    return _channel.get(os.environ.get("QINGFU_AUDIT_CHANNEL", WEB))


@contextmanager
def channel(name: str) -> Iterator[None]:
    """Record what happens inside under ``name`` (a management command: ``command``)."""
    token = _channel.set(name)
    try:
        yield
    finally:
        _channel.reset(token)


def channel_for_path(path: str) -> str:
    return API if path.startswith("/api/") else WEB


def _roles(actor: Actor) -> str:
    if actor.is_superuser and not actor.roles:
        return "superuser"
    return ",".join(sorted(str(role) for role in actor.roles))[:100]


def _entry(
    actor: Actor,
    action: str,
    kind: str,
    *,
    school_id: int | None,
    object_id: object,
    what: str,
    channel_name: str,
) -> AuditEntry:
    return AuditEntry(
        user_id=actor.user_id,
        roles=_roles(actor),
        school_id=school_id,
        action=action,
        object_type=kind[:50],
        object_id=str(object_id)[:64],
        detail=what[:500],
        channel=channel_name,
    )


def _ids(student_ids: Iterable[int]) -> tuple[int, ...]:
    return tuple(sorted({int(i) for i in student_ids}))


def _write(entry: AuditEntry, student_ids: tuple[int, ...]) -> None:
    entry.save()
    AuditSubject.objects.bulk_create([AuditSubject(entry=entry, student_id=i) for i in student_ids])


def _record(
    actor: Actor,
    action: str,
    kind: str,
    student_ids: Iterable[int],
    *,
    school_id: int | None,
    object_id: object,
    what: str,
    at_once: bool,
) -> None:
    channel_name = current_channel()
    if action == AuditEntry.Action.EXPORT and channel_name != COMMAND:
        channel_name = EXPORT
    entry = _entry(
        actor,
        action,
        kind,
        school_id=school_id,
        object_id=object_id,
        what=what,
        channel_name=channel_name,
    )
    ids = _ids(student_ids)
    pending = _pending.get()
    if pending is None or at_once:
        _write(entry, ids)
    else:
        pending.append(_Pending(entry, ids))


def audit_read(
    actor: Actor,
    kind: str,
    student_ids: Iterable[int],
    *,
    school_id: int | None,
    object_id: object = "",
    what: str = "",
) -> None:
    """One student's record (or a few of one thing) was shown to ``actor``."""
    _record(
        actor,
        AuditEntry.Action.READ,
        kind,
        student_ids,
        school_id=school_id,
        object_id=object_id,
        what=what,
        at_once=False,
    )


def audit_list(
    actor: Actor,
    kind: str,
    student_ids: Iterable[int],
    *,
    school_id: int | None,
    object_id: object = "",
    what: str = "",
) -> None:
    """A list of students' data (a class's results, a week's late nights) was shown."""
    _record(
        actor,
        AuditEntry.Action.LIST,
        kind,
        student_ids,
        school_id=school_id,
        object_id=object_id,
        what=what,
        at_once=False,
    )


def audit_export(
    actor: Actor,
    kind: str,
    student_ids: Iterable[int],
    *,
    school_id: int | None,
    object_id: object = "",
    what: str = "",
) -> None:
    """Students' data left the product as a file (a roster, a dossier)."""
    _record(
        actor,
        AuditEntry.Action.EXPORT,
        kind,
        student_ids,
        school_id=school_id,
        object_id=object_id,
        what=what,
        at_once=False,
    )


def audit_change(
    actor: Actor,
    kind: str,
    student_ids: Iterable[int],
    *,
    school_id: int | None,
    action: str = AuditEntry.Action.UPDATE,
    object_id: object = "",
    what: str = "",
) -> None:
    """Students' data was created, changed, imported or erased: written at once, in the
    transaction of the change."""
    _record(
        actor,
        action,
        kind,
        student_ids,
        school_id=school_id,
        object_id=object_id,
        what=what,
        at_once=True,
    )


def flush() -> None:
    """Write the reads collected so far (one insert for the entries, one for their
    students)."""
    pending = _pending.get()
    if not pending:
        return
    batch = list(pending)
    pending.clear()
    entries = AuditEntry.objects.bulk_create([p.entry for p in batch])
    AuditSubject.objects.bulk_create(
        [
            AuditSubject(entry_id=entry.pk, student_id=i)
            for entry, p in zip(entries, batch, strict=True)
            for i in p.student_ids
        ]
    )


_REFUSED = frozenset({401, 403, 404, 405})


class AuditMiddleware:
    """Sets the channel from the path and writes the request's reads in one go."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        channel_token = _channel.set(channel_for_path(request.path))
        pending_token = _pending.set([])
        try:
            response = self.get_response(request)
            if response.status_code in _REFUSED:
                # Refused after a selector read (a teacher who may see a class's results
                # but not enter them): nothing was shown, so nothing was read.
                _pending.get([]).clear()  # type: ignore[union-attr]
            flush()
            return response
        finally:
            _pending.reset(pending_token)
            _channel.reset(channel_token)
