"""Inspections of off-campus training institutions: reads and writes.

The district's training-supervision officer starts a visit of an institution on the
district's registry; its checklist comes from the trn.* rules of the district's profile
(``institution_checklist``) and each item is pre-filled from the registry, the filings and
the complaints of the period. The officer marks it, completes it, issues rectification
notices with deadlines, and returns or accepts the institution's answers; the institution's
own staff read their notices and answer them. Everyone else is told "not found".

The same marks, statuses and steps as a school's inspection (``services``), and the same
messages: a notice reads and moves the same way wherever it was issued.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Q, QuerySet, Sum
from django.utils import translation
from django.utils.translation import gettext as _

from qingfu.core.actor import Actor, signed_in_user_id
from qingfu.core.errors import NotFound, ValidationFailed
from qingfu.core.roles import Role
from qingfu.inspections import institution_checklist as checklist
from qingfu.inspections.models import (
    ChecklistItem,
    InstitutionItem,
    InstitutionNotice,
    InstitutionNoticeEvent,
    InstitutionVisit,
    Notice,
    NoticeEvent,
    Visit,
)
from qingfu.inspections.selectors import days_overdue, is_overdue
from qingfu.inspections.services import (
    MarkInput,
    NoticeInput,
    closed,
    completed,
    default_period,
    marked_items,
    notice_checked,
    notice_fields,
    responded,
    returned,
    visit_fields,
    visit_period_checked,
)
from qingfu.schools.calendars import local_now
from qingfu.schools.models import School
from qingfu.training import selectors as training
from qingfu.training import services as training_services
from qingfu.training.models import (
    Complaint,
    Filing,
    Institution,
    PrepaidCharge,
    Session,
    Weekday,
)

Mark = ChecklistItem.Mark


# --- who ------------------------------------------------------------------------------------


def _staff_units(actor: Actor) -> frozenset[int]:
    return actor.units_as(Role.INSTITUTION_STAFF)


def visits_for(actor: Actor) -> QuerySet[InstitutionVisit]:
    """The visits of the districts the actor supervises (an institution's staff read their
    notices, not the officer's working checklists)."""
    return InstitutionVisit.objects.filter(
        district_id__in=actor.training_district_ids
    ).select_related("institution__unit")


def visit_get(actor: Actor, visit_id: int) -> InstitutionVisit:
    visit = visits_for(actor).filter(pk=visit_id).first()
    if visit is None:
        raise NotFound()
    return visit


def may_read_notices(actor: Actor) -> bool:
    """Training officers, the education bureau's officers and institutions' staff have a
    list of institutions' notices (perhaps empty); anyone else is told "not found"."""
    return bool(actor.training_district_ids or actor.district_ids or _staff_units(actor))


def notices_for(actor: Actor) -> QuerySet[InstitutionNotice]:
    """The training officer's districts' notices, the education bureau's (read only: its
    dashboard lists the overdue ones), and an institution's staff's own."""
    return InstitutionNotice.objects.filter(
        Q(district_id__in=actor.training_district_ids | actor.district_ids)
        | Q(institution__unit_id__in=_staff_units(actor))
    ).select_related("institution__unit", "visit")


def notice_get(actor: Actor, notice_id: int) -> InstitutionNotice:
    notice = notices_for(actor).filter(pk=notice_id).first()
    if notice is None:
        raise NotFound()
    return notice


def may_inspect(actor: Actor, district_id: int) -> bool:
    return district_id in actor.training_district_ids


def may_respond(actor: Actor, notice: InstitutionNotice) -> bool:
    return notice.institution.unit_id in _staff_units(actor)


# --- what the records show --------------------------------------------------------------------


def _refused(rows: list[tuple[list[dict[str, object]], str]]) -> list[checklist.Refused]:
    """Refused filings by the first rule each broke, with a breakdown by ``label``."""
    counts: dict[str, Counter[str]] = {}
    for verdicts, label in rows:
        broken = [v for v in verdicts if v.get("status") == "violation"]
        rule = str(broken[0]["rule_id"]) if broken else "?"
        counts.setdefault(rule, Counter())[label] += 1
    return [
        checklist.Refused(rule, sum(c.values()), {k: n for k, n in c.items() if k})
        for rule, c in sorted(counts.items())
    ]


def institution_facts(
    institution: Institution, start: dt.date, end: dt.date, day: dt.date
) -> checklist.InstitutionFacts:
    """The facts of the checklist for ``start``..``end``, as the records stand."""
    trainers = list(institution.trainers.all())
    academic = [t for t in trainers if t.teaches_academic]
    sessions = Session.objects.filter(
        institution=institution, term_first__lte=end, term_last__gte=start
    )
    courses = institution.courses.all()
    charges = PrepaidCharge.objects.filter(
        institution=institution, paid_on__gte=start, paid_on__lte=end
    )
    filed_charges = charges.filter(status=Filing.Status.FILED)
    complaints = Complaint.objects.filter(
        institution=institution, received_on__gte=start, received_on__lte=end
    )
    # Labels in Chinese, the catalogue's message ids: the evidence is stored and
    # translated for whoever reads it (qingfu.inspections.wording).
    with translation.override("zh-hans"):
        labels = {value: str(label) for value, label in Complaint.Status.choices}
        weekdays = {value: str(label) for value, label in Weekday.choices}
        status_label = str(institution.get_status_display())
    by_status = Counter(complaints.values_list("status", flat=True))
    done = (Complaint.Status.CLOSED, Complaint.Status.REJECTED)
    return checklist.InstitutionFacts(
        day=day,
        is_academic=institution.is_academic,
        status_label=status_label,
        licence_number=institution.licence_number,
        licence_to=institution.licence_to,
        is_nonprofit=institution.is_nonprofit,
        trainers=len(trainers),
        academic_trainers=len(academic),
        without_certificate=sum(1 for t in academic if not t.certificate_number.strip()),
        sessions_filed=sessions.filter(status=Filing.Status.FILED).count(),
        sessions_refused=_refused(
            [
                (s.verdicts, str(weekdays[s.weekday]))
                for s in sessions.filter(status=Filing.Status.REFUSED)
            ]
        ),
        sessions_breaking_now=training_services.sessions_breaking_rules(institution),
        courses_filed=courses.filter(status=Filing.Status.FILED).count(),
        courses_refused=_refused(
            [(c.verdicts, "") for c in courses.filter(status=Filing.Status.REFUSED)]
        ),
        charges=filed_charges.count(),
        charges_amount=filed_charges.aggregate(s=Sum("amount"))["s"] or Decimal(0),
        charges_refused=_refused(
            [(c.verdicts, "") for c in charges.filter(status=Filing.Status.REFUSED)]
        ),
        complaints={str(labels[s]): n for s, n in sorted(by_status.items())},
        complaints_overdue=complaints.exclude(status__in=done).filter(deadline__lt=day).count(),
    )


def _items(visit: InstitutionVisit, institution: Institution) -> list[InstitutionItem]:
    facts = institution_facts(institution, visit.period_start, visit.period_end, visit.date)
    profile = training.profile_for_district(institution.district)
    return [
        InstitutionItem(
            visit=visit,
            district_id=visit.district_id,
            area=template.area,
            position=position,
            title=template.title[:60],
            rules=[line.as_json() for line in template.rules],
            evidence_data=checklist.evidence_for(template.area, facts),
        )
        for position, template in enumerate(checklist.checklist_for(profile))
    ]


# --- the visit --------------------------------------------------------------------------------


def institution_period(district_id: int, day: dt.date) -> tuple[dt.date, dt.date]:
    """The district's semester so far (its calendar is its first school's)."""
    school = School.objects.filter(district_id=district_id).order_by("code").first()
    if school is None:
        return day.replace(day=1), day
    return default_period(school.pk, day)


def visit_start(
    *,
    actor: Actor,
    institution_id: int,
    day: dt.date,
    today: dt.date,
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
) -> InstitutionVisit:
    """Open an inspection of an institution; its checklist generated and pre-filled."""
    institution = training.institution_for_officer(actor, institution_id)
    user_id = signed_in_user_id(actor)
    start, end = visit_period_checked(
        day, today, period_start, period_end, institution_period(institution.district_id, day)
    )
    with transaction.atomic():
        visit = InstitutionVisit.objects.create(
            institution=institution,
            district_id=institution.district_id,
            **visit_fields(actor, user_id, day, start, end),
        )
        InstitutionItem.objects.bulk_create(_items(visit, institution))
    return visit


def _draft(actor: Actor, visit_id: int) -> InstitutionVisit:
    visit = (
        InstitutionVisit.objects.select_for_update()
        .filter(pk=visit_id, district_id__in=actor.training_district_ids)
        .first()
    )
    if visit is None:
        raise NotFound()
    if visit.status != Visit.Status.DRAFT:
        raise ValidationFailed.single("__all__", _("检查已完成，不能再修改。"))
    return visit


def visit_refresh_evidence(*, actor: Actor, visit_id: int) -> InstitutionVisit:
    """Recompute the evidence lines from the latest records (draft visits only)."""
    with transaction.atomic():
        visit = _draft(actor, visit_id)
        institution = Institution.objects.select_related("district").get(pk=visit.institution_id)
        facts = institution_facts(institution, visit.period_start, visit.period_end, visit.date)
        items = list(visit.items.all())
        for item in items:
            item.evidence_data = checklist.evidence_for(item.area, facts)
        InstitutionItem.objects.bulk_update(items, ["evidence_data"])
        visit.evidence_at = local_now()
        visit.save(update_fields=["evidence_at"])
    return visit


def checklist_save(*, actor: Actor, visit_id: int, marks: Mapping[int, MarkInput]) -> int:
    """Save the marks and notes of a draft visit's items; returns how many."""
    with transaction.atomic():
        visit = _draft(actor, visit_id)
        items = {i.pk: i for i in visit.items.all()}
        InstitutionItem.objects.bulk_update(marked_items(items, marks), ["mark", "note"])
    return len(marks)


def visit_complete(*, actor: Actor, visit_id: int, summary: str = "") -> InstitutionVisit:
    with transaction.atomic():
        visit = _draft(actor, visit_id)
        completed(visit, summary)
    return visit


# --- notices ----------------------------------------------------------------------------------


def notice_draft(visit: InstitutionVisit, item: InstitutionItem, today: dt.date) -> dict[str, str]:
    """The notice a non-conforming item suggests, for the officer to edit: the officer's
    note and what the records showed as the problem; the area's rules, as the district's
    profile states them now, as a numbered requirement with the documents it rests on; a
    month to put it right."""
    problem = item.note.strip()
    if item.evidence:
        problem = f"{problem}\n{_('记录显示')}：{item.evidence}".strip()
    rules = training.profile_for_district(visit.institution.district).rules
    return {
        "item_id": str(item.pk),
        "title": _("关于%(area)s的整改通知") % {"area": item.title.split("（")[0]},
        "problem": problem,
        "requirement": checklist.notice_requirement(
            [rules[rule_id] for rule_id in item.rule_ids if rule_id in rules]
        ),
        "deadline": (today + dt.timedelta(days=30)).isoformat(),
    }


def notice_issue(
    *, actor: Actor, visit_id: int, data: NoticeInput, today: dt.date
) -> InstitutionNotice:
    """A rectification notice from a non-conforming item of a completed visit; the deadline
    is after ``today``."""
    visit = visit_get(actor, visit_id)
    user_id = signed_in_user_id(actor)
    item = visit.items.filter(pk=data.item_id).first()
    notice_checked(visit, item, data, today)
    assert item is not None and data.deadline is not None
    now = local_now()
    with transaction.atomic():
        notice = InstitutionNotice.objects.create(
            institution_id=visit.institution_id,
            **notice_fields(visit, item, data, user_id=user_id, today=today, now=now),
        )
        _event(notice, actor, NoticeEvent.Kind.ISSUED, "")
    return notice


def _event(notice: InstitutionNotice, actor: Actor, kind: str, text: str) -> None:
    InstitutionNoticeEvent.objects.create(
        notice=notice,
        district_id=notice.district_id,
        kind=kind,
        by_id=signed_in_user_id(actor),
        by_name=actor.display_name[:60],
        at=local_now(),
        text=text,
    )


def _locked(actor: Actor, notice_id: int) -> InstitutionNotice:
    notice_get(actor, notice_id)  # not found alike for anyone who may not read it
    return (
        InstitutionNotice.objects.select_for_update()
        .select_related("institution")
        .get(pk=notice_id)
    )


def notice_respond(
    *, actor: Actor, notice_id: int, measures: str, today: dt.date
) -> InstitutionNotice:
    """The institution's staff report the measures taken; the officer reviews."""
    with transaction.atomic():
        notice = _locked(actor, notice_id)
        if not may_respond(actor, notice):
            raise NotFound()
        text = responded(notice, measures, today, limit=5000)
        _event(notice, actor, NoticeEvent.Kind.RESPONDED, text)
    return notice


def _review(actor: Actor, notice_id: int) -> InstitutionNotice:
    notice = _locked(actor, notice_id)
    if not may_inspect(actor, notice.district_id):
        raise NotFound()
    if notice.status != Notice.Status.RESPONDED:
        raise ValidationFailed.single("__all__", _("机构回复后才能复核。"))
    return notice


def notice_return(*, actor: Actor, notice_id: int, comment: str) -> InstitutionNotice:
    with transaction.atomic():
        notice = _review(actor, notice_id)
        _event(notice, actor, NoticeEvent.Kind.RETURNED, returned(notice, comment))
    return notice


def notice_accept(
    *, actor: Actor, notice_id: int, comment: str = "", today: dt.date
) -> InstitutionNotice:
    with transaction.atomic():
        notice = _review(actor, notice_id)
        closed(notice, today)
        _event(notice, actor, NoticeEvent.Kind.CLOSED, comment.strip())
    return notice


# --- lists and counts -------------------------------------------------------------------------


@dataclass(frozen=True)
class NoticeRow:
    notice: InstitutionNotice
    name: str
    days_overdue: int

    @property
    def is_overdue(self) -> bool:
        return self.days_overdue > 0


def notice_rows(notices: QuerySet[InstitutionNotice], today: dt.date) -> list[NoticeRow]:
    """Overdue first (most days first), then open ones by deadline, closed ones last."""
    rows = [
        NoticeRow(
            n,
            n.institution.unit.name,
            days_overdue(status=n.status, deadline=n.deadline, today=today),
        )
        for n in notices.select_related("institution__unit")
    ]
    rows.sort(key=lambda r: (r.notice.is_closed, -r.days_overdue, r.notice.deadline, r.notice.pk))
    return rows


def overdue_institution_notices(*, district_id: int, today: dt.date) -> list[NoticeRow]:
    """The district's institutions' notices not closed by their deadline (internal: the
    district's dashboards call it for a district the user may see)."""
    return notice_rows(
        InstitutionNotice.objects.filter(district_id=district_id, deadline__lt=today).exclude(
            status=Notice.Status.CLOSED
        ),
        today,
    )


@dataclass(frozen=True)
class InspectionCounts:
    visits: int
    institutions_visited: int
    items_failing: int  # items marked 不符合 or 基本符合 on completed visits
    notices: int
    notices_closed: int
    notices_closed_in_time: int
    notices_open: int
    notices_overdue: int


def inspection_counts(
    *, district_id: int, start: dt.date, end: dt.date, today: dt.date
) -> InspectionCounts:
    """The district's inspections of institutions visited, and notices issued, between
    ``start`` and ``end`` (internal: the caller decided the user may see the district)."""
    visits = InstitutionVisit.objects.filter(
        district_id=district_id, date__gte=start, date__lte=end
    )
    notices = list(
        InstitutionNotice.objects.filter(
            district_id=district_id, issued_on__gte=start, issued_on__lte=end
        ).values_list("status", "deadline", "closed_on")
    )
    closed = [(d, c) for s, d, c in notices if s == Notice.Status.CLOSED]
    return InspectionCounts(
        visits=visits.count(),
        institutions_visited=visits.values("institution").distinct().count(),
        items_failing=InstitutionItem.objects.filter(
            visit__in=visits.filter(status=Visit.Status.COMPLETED),
            mark__in=(Mark.FAILS, Mark.MOSTLY),
        ).count(),
        notices=len(notices),
        notices_closed=len(closed),
        notices_closed_in_time=sum(1 for d, c in closed if c is not None and c <= d),
        notices_open=len(notices) - len(closed),
        notices_overdue=sum(
            1 for s, d, _c in notices if is_overdue(status=s, deadline=d, today=today)
        ),
    )
