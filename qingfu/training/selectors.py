"""Reads for off-campus training, each scoped to who asks.

Three audiences: the public (anyone, signed in or not) sees the registry as published —
status, category, licence, certificate-holding trainers, filed courses and prices — and
nothing else; the district's training officer sees the district's registry, filings and
complaints (with the reporter's contact); an institution's staff see their own
institution's filings. A missing row and one the actor may not see are the same 404.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet

from qingfu.core.actor import Actor
from qingfu.core.audit import audit_list
from qingfu.core.errors import NotFound
from qingfu.core.roles import Role
from qingfu.policy.calendar import SchoolCalendar
from qingfu.policy.profile import Override, apply_overrides, load_national
from qingfu.policy.rules import Profile
from qingfu.schools.calendars import semester_calendar
from qingfu.schools.models import District, PolicyOverride, School, Semester
from qingfu.training.codes import normalized
from qingfu.training.models import (
    Complaint,
    Course,
    Filing,
    Institution,
    PrepaidCharge,
    Session,
    StatusChange,
    Trainer,
)

PUBLIC_LIMIT = 50


# --- the district's policy and calendar ------------------------------------------------------


def profile_for_district(district: District) -> Profile:
    """National defaults overridden by the district's province and the district itself (a
    school's own overrides are the school's business, not its district's institutions')."""
    rows = PolicyOverride.objects.filter(
        Q(level=PolicyOverride.Level.PROVINCE, province=district.province)
        | Q(level=PolicyOverride.Level.DISTRICT, district_id=district.pk)
    )
    ordered = sorted(rows, key=lambda r: r.level != PolicyOverride.Level.PROVINCE)
    overrides = [
        Override(
            level="province" if row.level == "province" else "district",
            scope=str(row.pk),
            thresholds=row.thresholds,
        )
        for row in ordered
    ]
    return apply_overrides(load_national(), overrides)


def district_calendars(district_id: int, first: dt.date, last: dt.date) -> list[SchoolCalendar]:
    """The district's school calendar over ``first``..``last``: the semesters of its
    reference school (the first by code; the district publishes one calendar for all) that
    overlap the dates, or the one after them when the dates fall in a vacation."""
    school = School.objects.filter(district_id=district_id).order_by("code").first()
    if school is None:
        return []
    semesters = list(
        Semester.objects.filter(school=school, start__lte=last, end__gte=first).order_by("start")
    )
    if not semesters:
        following = Semester.objects.filter(school=school, start__gt=last).order_by("start")
        before = Semester.objects.filter(school=school, end__lt=first).order_by("-end")
        semesters = [s for s in (following.first(), before.first()) if s is not None][:1]
    return [semester_calendar(s) for s in semesters]


# --- the public ------------------------------------------------------------------------------


def public_search(query: str) -> QuerySet[Institution]:
    """Institutions whose name contains ``query`` or whose credit code starts with it."""
    rows = Institution.objects.select_related("unit", "district").order_by("unit__name")
    query = query.strip()
    if query:
        rows = rows.filter(
            Q(unit__name__icontains=query) | Q(credit_code__startswith=normalized(query))
        )
    return rows[:PUBLIC_LIMIT]


@dataclass(frozen=True)
class PublicInstitution:
    institution: Institution
    trainers: list[tuple[str, str]]  # (name, certificate number), certificate holders only
    courses: list[Course]


def public_institution(institution_id: int) -> PublicInstitution:
    """What the door's QR code shows: the registry's public facts and nothing personal."""
    institution = (
        Institution.objects.select_related("unit", "district").filter(pk=institution_id).first()
    )
    if institution is None:
        raise NotFound()
    trainers = [
        (t.name, t.certificate_number)
        for t in institution.trainers.exclude(certificate_number="").order_by("name")
    ]
    courses = list(institution.courses.filter(status=Filing.Status.FILED).order_by("name"))
    return PublicInstitution(institution, trainers, courses)


def complaint_follow(reference: str, token: str) -> Complaint:
    """The reporter's own complaint: the reference with its private token, else 404."""
    complaint = (
        Complaint.objects.select_related("institution__unit")
        .filter(reference=reference.strip().upper())
        .first()
    )
    # Compared as bytes: compare_digest refuses a str with a character outside ASCII.
    given = token.strip().encode()
    if complaint is None or not secrets.compare_digest(complaint.follow_token.encode(), given):
        raise NotFound()
    return complaint


# --- the training officer ------------------------------------------------------------------------


def officer_district(actor: Actor, district_id: int) -> District:
    if district_id not in actor.training_district_ids:
        raise NotFound()
    return District.objects.get(pk=district_id)


def registry_for(
    actor: Actor, *, district_id: int, category: str = "", status: str = "", query: str = ""
) -> QuerySet[Institution]:
    officer_district(actor, district_id)
    rows = Institution.objects.filter(district_id=district_id).select_related("unit")
    if category:
        rows = rows.filter(category=category)
    if status:
        rows = rows.filter(status=status)
    if query.strip():
        rows = rows.filter(
            Q(unit__name__icontains=query.strip()) | Q(credit_code__startswith=normalized(query))
        )
    refused = Filing.Status.REFUSED
    return rows.annotate(
        refused=Count("courses", filter=Q(courses__status=refused), distinct=True)
        + Count("sessions", filter=Q(sessions__status=refused), distinct=True)
        + Count("charges", filter=Q(charges__status=refused), distinct=True)
    ).order_by("unit__name")


def registry_counts(actor: Actor, *, district_id: int) -> dict[tuple[str, str], int]:
    """(category, status) → institutions, for the registry's summary table."""
    officer_district(actor, district_id)
    rows = (
        Institution.objects.filter(district_id=district_id)
        .values("category", "status")
        .annotate(n=Count("id"))
    )
    return {(r["category"], r["status"]): r["n"] for r in rows}


def institution_for_officer(actor: Actor, institution_id: int) -> Institution:
    institution = (
        Institution.objects.select_related("unit", "district")
        .filter(pk=institution_id, district_id__in=actor.training_district_ids)
        .first()
    )
    if institution is None:
        raise NotFound()
    return institution


VISIT_SEARCH_LIMIT = 20


@dataclass(frozen=True)
class InstitutionSearch:
    """A bounded page of search results and how many matched in all."""

    rows: list[Institution]
    total: int
    limit: int

    @property
    def is_cut(self) -> bool:
        return self.total > len(self.rows)


def institutions_to_visit(
    actor: Actor, *, query: str, limit: int = VISIT_SEARCH_LIMIT
) -> InstitutionSearch:
    """The institutions of the officer's districts an inspection may start at (not
    deregistered) whose name contains ``query`` or whose credit code starts with it; at most
    ``limit`` of them, with the count of all. An empty query finds nothing: a district has
    thousands of institutions and no page should list them all."""
    query = query.strip()[:60]
    if not query or not actor.training_district_ids:
        return InstitutionSearch([], 0, limit)
    rows = (
        Institution.objects.filter(district_id__in=actor.training_district_ids)
        .exclude(status=Institution.Status.DEREGISTERED)
        .filter(Q(unit__name__icontains=query) | Q(credit_code__startswith=normalized(query)))
    )
    found = list(rows.select_related("unit").order_by("unit__name", "pk")[:limit])
    total = len(found) if len(found) < limit else rows.count()
    return InstitutionSearch(found, total, limit)


def complaints_for(actor: Actor, *, district_id: int, status: str = "") -> QuerySet[Complaint]:
    officer_district(actor, district_id)
    rows = Complaint.objects.filter(district_id=district_id).select_related("institution__unit")
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("deadline", "id")


def complaint_counts(actor: Actor, *, district_id: int, today: dt.date) -> dict[str, int]:
    """Complaints by status, and the open ones past their deadline (``overdue``)."""
    officer_district(actor, district_id)
    rows = Complaint.objects.filter(district_id=district_id)
    counts = {r["status"]: r["n"] for r in rows.values("status").annotate(n=Count("id"))}
    counts["overdue"] = (
        rows.exclude(status__in=(Complaint.Status.CLOSED, Complaint.Status.REJECTED))
        .filter(deadline__lt=today)
        .count()
    )
    return counts


def complaint_for_officer(actor: Actor, complaint_id: int) -> Complaint:
    complaint = (
        Complaint.objects.select_related("institution__unit")
        .filter(pk=complaint_id, district_id__in=actor.training_district_ids)
        .first()
    )
    if complaint is None:
        raise NotFound()
    return complaint


# --- an institution's staff ----------------------------------------------------------------------


def institution_for_staff(actor: Actor, unit_id: int) -> Institution:
    """The institution of a unit where the actor is staff."""
    if unit_id not in actor.units_as(Role.INSTITUTION_STAFF):
        raise NotFound()
    institution = Institution.objects.select_related("unit", "district").filter(unit_id=unit_id)
    found = institution.first()
    if found is None:
        raise NotFound()
    return found


def institution_for_writer(actor: Actor, institution_id: int) -> Institution:
    """An institution its own staff or its district's officer may file for."""
    institution = (
        Institution.objects.select_related("unit", "district")
        .filter(
            Q(unit_id__in=actor.units_as(Role.INSTITUTION_STAFF))
            | Q(district_id__in=actor.training_district_ids),
            pk=institution_id,
        )
        .first()
    )
    if institution is None:
        raise NotFound()
    return institution


def trainer_for_writer(actor: Actor, trainer_id: int) -> Trainer:
    """A trainer of an institution the actor may file for (``institution_for_writer``)."""
    trainer = (
        Trainer.objects.select_related("institution__district", "institution__unit")
        .filter(
            Q(institution__unit_id__in=actor.units_as(Role.INSTITUTION_STAFF))
            | Q(district_id__in=actor.training_district_ids),
            pk=trainer_id,
        )
        .first()
    )
    if trainer is None:
        raise NotFound()
    return trainer


@dataclass(frozen=True)
class TrainingSummary:
    """The district's training supervision in figures, for its dashboards (no names)."""

    institutions: dict[str, int]  # by status
    academic: int
    complaints_open: int
    complaints_overdue: int
    complaints_closed_in_time: int
    complaints_closed: int


def training_summary(actor: Actor, *, district_id: int, today: dt.date) -> TrainingSummary:
    """For the district's officers (education or training supervision): counts only."""
    if district_id not in actor.district_ids | actor.training_district_ids:
        raise NotFound()
    institutions = Institution.objects.filter(district_id=district_id)
    by_status = {r["status"]: r["n"] for r in institutions.values("status").annotate(n=Count("id"))}
    complaints = Complaint.objects.filter(district_id=district_id)
    done = (Complaint.Status.CLOSED, Complaint.Status.REJECTED)
    open_ = complaints.exclude(status__in=done)
    closed = complaints.filter(status__in=done)
    return TrainingSummary(
        institutions=by_status,
        academic=institutions.filter(category="academic").count(),
        complaints_open=open_.count(),
        complaints_overdue=open_.filter(deadline__lt=today).count(),
        complaints_closed_in_time=closed.filter(closed_on__lte=F("deadline")).count(),
        complaints_closed=closed.count(),
    )


# --- reads of one institution's records (its staff, or its district's officer) ---------------


def institution_for_reader(actor: Actor, institution_id: int) -> Institution:
    """An institution whose records the actor may read: its own staff's, or its district
    training officer's; any other is the uniform 404."""
    return institution_for_writer(actor, institution_id)


REGISTRY_PAGE_MOST = 200


@dataclass(frozen=True)
class RegistryPage:
    rows: list[Institution]
    total: int
    page: int
    page_size: int


def registry_page(
    actor: Actor,
    *,
    district_id: int,
    category: str = "",
    status: str = "",
    query: str = "",
    page: int = 1,
    page_size: int = 50,
) -> RegistryPage:
    """One page of the district's registry (``registry_for``'s filters and counts), with
    the number of entries that match: at most ``REGISTRY_PAGE_MOST`` a page."""
    rows = registry_for(
        actor, district_id=district_id, category=category, status=status, query=query[:60]
    )
    size = max(1, min(page_size, REGISTRY_PAGE_MOST))
    number = max(1, page)
    first = (number - 1) * size
    shown = list(rows.select_related("district")[first : first + size])
    return RegistryPage(shown, rows.count(), number, size)


def status_history(actor: Actor, *, institution_id: int) -> QuerySet[StatusChange]:
    """Every status the institution had, the latest first."""
    institution = institution_for_reader(actor, institution_id)
    return StatusChange.objects.filter(institution=institution).order_by("-date", "-id")


def sessions_of(actor: Actor, *, institution_id: int) -> QuerySet[Session]:
    """The institution's weekly sessions, filed and refused, with their courses."""
    institution = institution_for_reader(actor, institution_id)
    return Session.objects.filter(institution=institution).select_related("course")


CHARGES_MOST = 500


def charges_of(actor: Actor, *, institution_id: int) -> list[PrepaidCharge]:
    """The institution's prepaid charges, the latest first (at most ``CHARGES_MOST``).

    Each names a student by the institution's own label: personal data of a minor, so the
    read is in the audit log (no student of a school is named: the label is the
    institution's)."""
    institution = institution_for_reader(actor, institution_id)
    rows = list(PrepaidCharge.objects.filter(institution=institution)[:CHARGES_MOST])
    audit_list(
        actor,
        "training_charges",
        [],
        school_id=None,
        object_id=institution.pk,
        what=f"{len(rows)} prepaid charges of institution {institution.pk}",
    )
    return rows


@dataclass(frozen=True)
class RefusedFiling:
    """A filing a rule refused (when the rules moved under it: ``institution_recheck``)."""

    kind: str  # "course", "session" or "charge"
    filing_id: int
    filed_at: dt.datetime
    refusals: list[dict[str, object]]


def refused_filings(actor: Actor, *, institution_id: int) -> list[RefusedFiling]:
    """The institution's refused courses, sessions and charges with the rules each broke,
    the latest filed first."""
    institution = institution_for_reader(actor, institution_id)
    refused = Filing.Status.REFUSED
    found = [
        RefusedFiling(kind, row.pk, row.filed_at, row.refusals)
        for kind, rows in (
            ("course", Course.objects.filter(institution=institution, status=refused)),
            ("session", Session.objects.filter(institution=institution, status=refused)),
            ("charge", PrepaidCharge.objects.filter(institution=institution, status=refused)),
        )
        for row in rows.only("pk", "filed_at", "verdicts")
    ]
    return sorted(found, key=lambda r: (r.filed_at, r.filing_id), reverse=True)
