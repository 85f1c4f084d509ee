"""Reads of inspections.

Actor-scoped selectors (``visits_for``, ``visit_get``, ``notices_for``, ``notice_get`` …)
answer "not found" alike for missing and forbidden rows: inspectors see the visits and
notices of the schools they inspect, district officers those of their district, school
admins their own school's notices (not the visits' working checklists).

The three selectors at the end (``overdue_notices``, ``rectification_register``,
``notices_summary``) are internal: they take ids, not an actor, and the caller (the district
dashboard, the reports app) has already decided what the user may see. Their signatures and
row types are kept stable for those callers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from qingfu.core.actor import Actor
from qingfu.core.errors import NotFound
from qingfu.inspections.models import Notice, NoticeEvent, Visit
from qingfu.schools.models import School

# --- overdue: computed, never stored ------------------------------------------------------


def is_overdue(*, status: str, deadline: dt.date, today: dt.date) -> bool:
    """Not closed and the deadline has passed (the deadline day itself is still in time)."""
    return status != Notice.Status.CLOSED and deadline < today


def days_overdue(*, status: str, deadline: dt.date, today: dt.date) -> int:
    return (
        (today - deadline).days if is_overdue(status=status, deadline=deadline, today=today) else 0
    )


# --- scoping --------------------------------------------------------------------------------


def _visit_scope(actor: Actor) -> Q:
    if actor.is_superuser:
        return Q()
    return Q(school_id__in=actor.inspected_school_ids) | Q(district_id__in=actor.district_ids)


def _notice_scope(actor: Actor) -> Q:
    return _visit_scope(actor) | Q(school_id__in=actor.admin_school_ids)


def visit_readable(actor: Actor, visit: Visit) -> bool:
    return actor.is_superuser or (
        visit.school_id in actor.inspected_school_ids or visit.district_id in actor.district_ids
    )


def notice_readable(actor: Actor, notice: Notice) -> bool:
    return (
        actor.is_superuser
        or notice.school_id in actor.inspected_school_ids
        or notice.school_id in actor.admin_school_ids
        or notice.district_id in actor.district_ids
    )


def may_inspect(actor: Actor, school_id: int) -> bool:
    return actor.is_superuser or school_id in actor.inspected_school_ids


def may_respond(actor: Actor, notice: Notice) -> bool:
    return actor.is_superuser or notice.school_id in actor.admin_school_ids


def inspected_schools(actor: Actor) -> list[School]:
    return list(School.objects.filter(id__in=actor.inspected_school_ids).order_by("code"))


def visits_for(actor: Actor) -> QuerySet[Visit]:
    if actor.is_anonymous:
        return Visit.objects.none()
    return Visit.objects.filter(_visit_scope(actor)).select_related("school")


def visit_get(actor: Actor, visit_id: int) -> Visit:
    visit = (
        visits_for(actor)
        .prefetch_related("items", Prefetch("notices", Notice.objects.order_by("id")))
        .filter(pk=visit_id)
        .first()
    )
    if visit is None:
        raise NotFound()
    return visit


def notices_for(actor: Actor) -> QuerySet[Notice]:
    if actor.is_anonymous:
        return Notice.objects.none()
    return Notice.objects.filter(_notice_scope(actor)).select_related("school", "visit")


def notice_get(actor: Actor, notice_id: int) -> Notice:
    notice = (
        notices_for(actor)
        .prefetch_related(Prefetch("events", NoticeEvent.objects.order_by("at", "id")))
        .filter(pk=notice_id)
        .first()
    )
    if notice is None:
        raise NotFound()
    return notice


@dataclass(frozen=True)
class NoticeRow:
    """A notice as lists show it, with its overdue state for ``today``."""

    notice: Notice
    school_name: str
    days_overdue: int

    @property
    def is_overdue(self) -> bool:
        return self.days_overdue > 0


def notice_rows(notices: QuerySet[Notice], today: dt.date) -> list[NoticeRow]:
    """Overdue first (most days first), then open ones by deadline, closed ones last."""
    rows = [
        NoticeRow(n, n.school.name, days_overdue(status=n.status, deadline=n.deadline, today=today))
        for n in notices.select_related("school")
    ]
    rows.sort(key=lambda r: (r.notice.is_closed, -r.days_overdue, r.notice.deadline, r.notice.pk))
    return rows


def open_notices_for_school(*, school_id: int, today: dt.date) -> list[NoticeRow]:
    """The school's notices still to answer or under review (for the admin's home card).

    Internal: the caller has checked that the actor administers the school.
    """
    return notice_rows(Notice.objects.filter(school_id=school_id).exclude(status="closed"), today)


# --- internal selectors for other modules ----------------------------------------------------


@dataclass(frozen=True)
class OverdueNotice:
    notice_id: int
    school_id: int
    school_name: str
    title: str
    deadline: dt.date
    days_overdue: int
    status: str  # Notice.Status value: open | responded | returned


def overdue_notices(*, district_id: int, today: dt.date) -> list[OverdueNotice]:
    """Notices of the district's schools not closed by their deadline, most overdue first.

    Internal (no actor): the district dashboard calls it for a district the user may see.
    A notice is overdue from the day after its deadline.
    """
    rows = (
        Notice.objects.filter(district_id=district_id, deadline__lt=today)
        .exclude(status=Notice.Status.CLOSED)
        .select_related("school")
        .order_by("deadline", "id")
    )
    return [
        OverdueNotice(
            notice_id=n.pk,
            school_id=n.school_id,
            school_name=n.school.name,
            title=n.title,
            deadline=n.deadline,
            days_overdue=(today - n.deadline).days,
            status=n.status,
        )
        for n in rows
    ]


@dataclass(frozen=True)
class RegisterRow:
    """One line of the rectification ledger (整改台账)."""

    notice_id: int
    school_id: int
    school_name: str
    visit_date: dt.date
    inspector: str
    title: str
    problem: str
    requirement: str
    rule_ids: tuple[str, ...]
    issued_on: dt.date
    deadline: dt.date
    status: str  # Notice.Status value
    status_label: str
    response_date: dt.date | None
    response_summary: str
    closed_date: dt.date | None


def rectification_register(
    *, school_ids: Sequence[int], start: dt.date, end: dt.date
) -> list[RegisterRow]:
    """Notices issued to these schools between ``start`` and ``end`` (inclusive), by school
    and issue date, with the latest response and the closing date.

    Internal (no actor): the caller scopes ``school_ids``. Three queries whatever the size.
    """
    notices = (
        Notice.objects.filter(school_id__in=list(school_ids), issued_on__gte=start)
        .filter(issued_on__lte=end)
        .select_related("school", "visit")
        .order_by("school__code", "issued_on", "id")
    )
    return [
        RegisterRow(
            notice_id=n.pk,
            school_id=n.school_id,
            school_name=n.school.name,
            visit_date=n.visit.date,
            inspector=n.visit.inspector_name,
            title=n.title,
            problem=n.problem,
            requirement=n.requirement,
            rule_ids=tuple(n.rule_ids),
            issued_on=n.issued_on,
            deadline=n.deadline,
            status=n.status,
            status_label=str(n.get_status_display()),
            response_date=n.responded_on,
            response_summary=_summary(n.response),
            closed_date=n.closed_on,
        )
        for n in notices
    ]


def _summary(text: str, length: int = 120) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= length else flat[: length - 1] + "…"


@dataclass(frozen=True)
class NoticesSummary:
    issued: int
    closed: int
    open: int  # not closed (including overdue)
    overdue: int  # not closed and past the deadline on ``today``


def notices_summary(
    *, school_ids: Sequence[int], start: dt.date, end: dt.date, today: dt.date
) -> NoticesSummary:
    """Counts of the notices issued to these schools between ``start`` and ``end``.

    Internal (no actor): the caller scopes ``school_ids``. One query.
    """
    rows = list(
        Notice.objects.filter(
            school_id__in=list(school_ids), issued_on__gte=start, issued_on__lte=end
        ).values_list("status", "deadline")
    )
    closed = sum(1 for status, _ in rows if status == Notice.Status.CLOSED)
    overdue = sum(
        1 for status, deadline in rows if is_overdue(status=status, deadline=deadline, today=today)
    )
    return NoticesSummary(issued=len(rows), closed=closed, open=len(rows) - closed, overdue=overdue)
