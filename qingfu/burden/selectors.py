"""Reads of the burden registry, each scoped to the actor: an issuer's clerk and leader see
their unit's demands, a receiver (a town, community or village, or a school's admin) what
landed on it, the campaign office (减负办) its county."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum

from qingfu.burden.models import (
    AppOrGroup,
    Demand,
    DemandHandler,
    InspectionPlanEntry,
    ListEntry,
    ObservationReport,
    UnregisteredReport,
)
from qingfu.core.actor import Actor
from qingfu.core.errors import NotFound
from qingfu.core.roles import Role
from qingfu.policy import burden as policy
from qingfu.policy.profile import Level, Override, apply_overrides, load_national
from qingfu.policy.rules import Profile
from qingfu.schools.models import District, PolicyOverride, School, Teacher, Unit

# Demands that count: sent, or waiting for an approval (others are checked against them).
LIVE = (Demand.Status.SENT, Demand.Status.PENDING_LEADER, Demand.Status.PENDING_OFFICE)


def profile_for_district(district_id: int) -> Profile:
    """National defaults overridden by the district's province and the district."""
    district = District.objects.get(pk=district_id)
    rows = list(
        PolicyOverride.objects.filter(
            level=PolicyOverride.Level.PROVINCE, province=district.province
        )
    ) + list(PolicyOverride.objects.filter(district_id=district_id))
    order: dict[str, Level] = {"province": "province", "district": "district"}
    overrides = [
        Override(level=order[row.level], scope=str(row.pk), thresholds=row.thresholds)
        for row in sorted(rows, key=lambda r: list(order).index(r.level))
    ]
    return apply_overrides(load_national(), overrides)


def receiver_key(*, unit_id: int | None = None, school_id: int | None = None) -> int:
    """A receiver as the pure checks count it: a unit by its id, a school by minus its id
    (units and schools are two tables whose ids may coincide)."""
    if unit_id is not None:
        return unit_id
    assert school_id is not None
    return -school_id


def campaign_districts(actor: Actor) -> frozenset[int]:
    units = actor.units_as(Role.CAMPAIGN_OFFICER)
    if not units:
        return frozenset()
    return frozenset(Unit.objects.filter(pk__in=units).values_list("district_id", flat=True))


def units_get(actor: Actor, unit_ids: Iterable[int]) -> list[Unit]:
    return list(Unit.objects.filter(pk__in=list(unit_ids)).order_by("code"))


def _demand_filter(actor: Actor) -> Q:
    issuers = actor.units_as(Role.ISSUER_CLERK, Role.ISSUER_LEADER)
    received = actor.units_as(Role.RECEIVER)
    q = Q(issuer_id__in=issuers) | Q(district_id__in=campaign_districts(actor))
    q |= Q(receiver_units__in=received, status=Demand.Status.SENT)
    q |= Q(receiver_schools__in=actor.admin_school_ids, status=Demand.Status.SENT)
    return q


def demands_for(actor: Actor) -> QuerySet[Demand]:
    """Every demand the actor may see."""
    ids = Demand.objects.filter(_demand_filter(actor)).values("pk")
    return Demand.objects.filter(pk__in=ids)


def demand_get(actor: Actor, demand_id: int) -> Demand:
    demand = demands_for(actor).select_related("issuer").filter(pk=demand_id).first()
    if demand is None:
        raise NotFound()
    return demand


def demands_issued(actor: Actor, unit_id: int) -> QuerySet[Demand]:
    if unit_id not in actor.units_as(Role.ISSUER_CLERK, Role.ISSUER_LEADER):
        raise NotFound()
    return (
        Demand.objects.filter(issuer_id=unit_id)
        .prefetch_related("receiver_units", "receiver_schools")
        .order_by("-day", "-pk")
    )


def leader_queue(actor: Actor) -> QuerySet[Demand]:
    """Demands waiting for the review of a leader of one of the actor's units."""
    return (
        Demand.objects.filter(
            issuer_id__in=actor.units_as(Role.ISSUER_LEADER),
            status=Demand.Status.PENDING_LEADER,
        )
        .select_related("issuer", "plan_entry", "list_entry")
        .prefetch_related("receiver_units", "receiver_schools")
        .order_by("day", "pk")
    )


def office_queue(actor: Actor) -> QuerySet[Demand]:
    """Demands waiting for the campaign office of the actor's county."""
    return (
        Demand.objects.filter(
            district_id__in=campaign_districts(actor), status=Demand.Status.PENDING_OFFICE
        )
        .select_related("issuer", "plan_entry", "list_entry")
        .prefetch_related("receiver_units", "receiver_schools", "approvals")
        .order_by("day", "pk")
    )


def demands_received(
    actor: Actor,
    *,
    unit_id: int | None = None,
    school_id: int | None = None,
    first: dt.date,
    last: dt.date,
) -> QuerySet[Demand]:
    """The demands sent to a receiver the actor acts for, landing from ``first`` to ``last``."""
    if unit_id is not None and unit_id in actor.units_as(Role.RECEIVER):
        q = Q(receiver_units=unit_id)
    elif school_id is not None and school_id in actor.admin_school_ids:
        q = Q(receiver_schools=school_id)
    else:
        raise NotFound()
    return (
        Demand.objects.filter(q, status=Demand.Status.SENT, day__gte=first, day__lte=last)
        .select_related("issuer")
        .order_by("day", "pk")
    )


def handlers_by_demand(school_id: int, demand_ids: Iterable[int]) -> dict[int, list[Teacher]]:
    """The teachers named to handle (承办) each of these demands at the school (the caller
    has the school: its admin, or the reports of the school)."""
    found: dict[int, list[Teacher]] = defaultdict(list)
    rows = (
        DemandHandler.objects.filter(school_id=school_id, demand_id__in=list(demand_ids))
        .select_related("teacher")
        .order_by("teacher__staff_no", "teacher_id")
    )
    for row in rows:
        found[row.demand_id].append(row.teacher)
    return dict(found)


def school_demand_handlers(actor: Actor, *, school_id: int, demand_id: int) -> list[Teacher]:
    """The handlers of a demand sent to a school the actor runs; anything else: 404."""
    if (
        school_id not in actor.admin_school_ids
        or not Demand.objects.filter(
            pk=demand_id, status=Demand.Status.SENT, receiver_schools=school_id
        ).exists()
    ):
        raise NotFound()
    return handlers_by_demand(school_id, [demand_id]).get(demand_id, [])


def school_teachers(school_id: int) -> QuerySet[Teacher]:
    """The school's teaching staff, who may be named to handle a demand."""
    return Teacher.objects.filter(school_id=school_id).order_by("staff_no", "pk")


def receiver_district(*, unit_id: int | None, school_id: int | None) -> int:
    if unit_id is not None:
        return Unit.objects.values_list("district_id", flat=True).get(pk=unit_id)
    assert school_id is not None
    return School.objects.values_list("district_id", flat=True).get(pk=school_id)


def issuers_of(district_id: int) -> QuerySet[Unit]:
    return Unit.objects.filter(district_id=district_id, kind=Unit.Kind.OFFICE).order_by("code")


def receiver_choices(district_id: int) -> tuple[list[Unit], list[School]]:
    """The units (towns, communities and villages) and schools a demand may be sent to."""
    units = list(
        Unit.objects.filter(
            district_id=district_id, kind__in=[Unit.Kind.TOWN, Unit.Kind.COMMUNITY]
        ).order_by("code")
    )
    schools = list(School.objects.filter(district_id=district_id).order_by("code"))
    return units, schools


def plan_entries(actor: Actor, unit_id: int, year: int) -> QuerySet[InspectionPlanEntry]:
    if unit_id not in actor.units_as(Role.ISSUER_CLERK, Role.ISSUER_LEADER):
        raise NotFound()
    return InspectionPlanEntry.objects.filter(issuer_id=unit_id, year=year).order_by("month", "pk")


def list_entries(district_id: int) -> QuerySet[ListEntry]:
    return ListEntry.objects.filter(district_id=district_id).order_by("kind", "name")


def reports_for(actor: Actor) -> QuerySet[UnregisteredReport]:
    q = Q(district_id__in=campaign_districts(actor))
    q |= Q(receiver_unit__in=actor.units_as(Role.RECEIVER))
    q |= Q(receiver_school__in=actor.admin_school_ids)
    return (
        UnregisteredReport.objects.filter(q)
        .select_related("issuer", "receiver_unit", "receiver_school")
        .order_by("status", "-day", "-pk")
    )


def apps_for(actor: Actor) -> QuerySet[AppOrGroup]:
    q = Q(district_id__in=campaign_districts(actor)) | Q(unit_id__in=actor.units_as())
    return AppOrGroup.objects.filter(q).select_related("unit").order_by("unit__code", "name")


# --- the campaign office's board ------------------------------------------------------------


def demand_rows(
    district_id: int,
    *,
    first: dt.date,
    last: dt.date,
    issuer_id: int | None = None,
    receivers_from: dt.date | None = None,
) -> list[policy.DemandRow]:
    """The sent demands of a county from ``first`` to ``last`` as the pure aggregations
    count them: three queries (demands, unit receivers, school receivers). With
    ``receivers_from``, only the demands from that day on carry their receivers: counting
    last year's demands needs none, and their links are most of what a county's board
    would read (bench/bench_burden.py)."""
    demands = Demand.objects.filter(
        district_id=district_id, status=Demand.Status.SENT, day__gte=first, day__lte=last
    )
    if issuer_id is not None:
        demands = demands.filter(issuer_id=issuer_id)
    head = list(demands.values_list("pk", "kind", "issuer_id", "day", "staff_hours"))
    if receivers_from is not None:
        demands = demands.filter(day__gte=receivers_from)
    receivers: dict[int, list[int]] = defaultdict(list)
    units = Demand.receiver_units.through.objects.filter(demand__in=demands)
    for demand_id, unit_id in units.values_list("demand_id", "unit_id"):
        receivers[demand_id].append(receiver_key(unit_id=unit_id))
    schools = Demand.receiver_schools.through.objects.filter(demand__in=demands)
    for demand_id, school_id in schools.values_list("demand_id", "school_id"):
        receivers[demand_id].append(receiver_key(school_id=school_id))
    return [
        policy.DemandRow(kind, issuer, tuple(sorted(receivers[pk])), day, hours)
        for pk, kind, issuer, day, hours in head
    ]


def _sent(
    district_id: int, *, first: dt.date, last: dt.date, issuer_id: int | None = None
) -> QuerySet[Demand]:
    demands = Demand.objects.filter(
        district_id=district_id, status=Demand.Status.SENT, day__gte=first, day__lte=last
    )
    return demands if issuer_id is None else demands.filter(issuer_id=issuer_id)


def _links(demands: QuerySet[Demand]) -> tuple[QuerySet[Any], QuerySet[Any]]:
    """The receiver links (units, schools) of ``demands``, for grouping in the database."""
    ids = demands.values("pk")
    return (
        Demand.receiver_units.through.objects.filter(demand_id__in=ids),
        Demand.receiver_schools.through.objects.filter(demand_id__in=ids),
    )


def day_counts(
    district_id: int, *, first: dt.date, last: dt.date, issuer_id: int | None = None
) -> list[policy.DayCount]:
    """The county's sent documents, meetings and inspections per kind and day: what the
    year-on-year counts need, one grouped query (a few hundred rows for two years)."""
    grouped = (
        _sent(district_id, first=first, last=last, issuer_id=issuer_id)
        .filter(kind__in=policy.COUNTED_KINDS)
        .values_list("kind", "day")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return [policy.DayCount(kind, day, n) for kind, day, n in grouped]


def receiver_loads(
    district_id: int, *, first: dt.date, last: dt.date, issuer_id: int | None = None
) -> list[policy.ReceiverLoad]:
    """The burden index: the receiver links of the sent demands landing from ``first`` to
    ``last``, grouped in the database by receiver and hours, summed by
    ``policy.receiver_loads``."""
    units, schools = _links(_sent(district_id, first=first, last=last, issuer_id=issuer_id))
    groups = [
        policy.HoursGroup(receiver_key(unit_id=unit), hours, n)
        for unit, hours, n in units.values_list("unit_id", "demand__staff_hours")
        .annotate(n=Count("pk"))
        .order_by()
    ]
    groups += [
        policy.HoursGroup(receiver_key(school_id=school), hours, n)
        for school, hours, n in schools.values_list("school_id", "demand__staff_hours")
        .annotate(n=Count("pk"))
        .order_by()
    ]
    return policy.receiver_loads(groups)


def issuer_loads(
    district_id: int,
    *,
    first: dt.date,
    last: dt.date,
    issuer_id: int | None = None,
    top: int | None = None,
) -> list[policy.IssuerLoad]:
    """The heaviest issuers from grouped queries: demands per issuer and kind, receivers
    per issuer and hours (from the counts each demand keeps: no scan of the links), and
    the receivers each issuer reached (one scan of the links per table; units and schools
    are counted apart: their keys never coincide), ranked by ``policy.issuer_loads``."""
    demands = _sent(district_id, first=first, last=last, issuer_id=issuer_id)
    kinds = [
        policy.KindCount(issuer, kind, n)
        for issuer, kind, n in demands.values_list("issuer_id", "kind")
        .annotate(n=Count("pk"))
        .order_by()
    ]
    hours = [
        policy.HoursGroup(issuer, staff_hours, n or 0)
        for issuer, staff_hours, n in demands.values_list("issuer_id", "staff_hours")
        .annotate(n=Sum(F("receiver_unit_count") + F("receiver_school_count")))
        .order_by()
    ]
    reached: dict[int, int] = defaultdict(int)
    for links, column in zip(_links(demands), ("unit_id", "school_id"), strict=True):
        for issuer, n in (
            links.values_list("demand__issuer_id")
            .annotate(n=Count(column, distinct=True))
            .order_by()
        ):
            reached[issuer] += n
    return policy.issuer_loads(kinds=kinds, hours=hours, receivers=reached, top=top)


@dataclass(frozen=True)
class Board:
    district_id: int
    today: dt.date
    issuer: Unit | None  # the board of one issuer (drill-down), else the county's
    counts: list[policy.PeriodCount]
    receivers: list[tuple[str, policy.ReceiverLoad]]
    issuers: list[tuple[str, policy.IssuerLoad]]
    refused: int
    exceptions: int
    pending: int
    reports_open: int
    reports_handled: int
    apps: dict[str, int]
    fields_asked: int
    fields_answered: int
    hours_saved: float
    observation_points: int = 0
    observation_reports: int = 0  # this month's, from the points


def board_for(
    actor: Actor, district_id: int, *, today: dt.date, issuer_id: int | None = None
) -> Board:
    """The campaign office's board, every figure computed from the registry's records with
    the pure aggregations of ``qingfu.policy.burden``; with ``issuer_id``, one issuer's."""
    from qingfu.policy.burden_fields import FieldListError, match_fields, parse_field_list

    if district_id not in campaign_districts(actor):
        raise NotFound()
    issuer = None
    if issuer_id is not None:
        issuer = Unit.objects.filter(
            pk=issuer_id, district_id=district_id, kind=Unit.Kind.OFFICE
        ).first()
        if issuer is None:
            raise NotFound()
    profile = profile_for_district(district_id)
    # Every figure of the year-on-year table, the burden index (this month) and the
    # heaviest issuers (this year) from grouped queries: a county's board reads a few
    # thousand aggregated rows, not its demands' hundreds of thousands of receiver links
    # (bench/bench_burden.py).
    year_start = dt.date(today.year, 1, 1)
    days = day_counts(
        district_id, first=dt.date(today.year - 1, 1, 1), last=today, issuer_id=issuer_id
    )
    counts = policy.monthly_counts(profile, days, through=today)
    month_start = today.replace(day=1)
    names = dict(Unit.objects.filter(district_id=district_id).values_list("pk", "name"))
    school_names = {
        -pk: name
        for pk, name in School.objects.filter(district_id=district_id).values_list("pk", "name")
    }
    names.update(school_names)
    loads = receiver_loads(district_id, first=month_start, last=today, issuer_id=issuer_id)
    heavy = issuer_loads(district_id, first=year_start, last=today, issuer_id=issuer_id, top=10)
    year = Demand.objects.filter(district_id=district_id, day__year=today.year)
    if issuer_id is not None:
        year = year.filter(issuer_id=issuer_id)
    exceptions = year.filter(status=Demand.Status.SENT).exclude(exception_reason="").count()
    exceptions += (
        year.filter(status=Demand.Status.SENT, kind__in=["inspection", "task"])
        .filter(approvals__role="office", approvals__decision="approved")
        .exclude(exception_reason__gt="")
        .count()
    )
    reports = UnregisteredReport.objects.filter(district_id=district_id)
    if issuer_id is not None:
        reports = reports.filter(issuer_id=issuer_id)
    apps = {
        status: AppOrGroup.objects.filter(district_id=district_id, status=status).count()
        for status in AppOrGroup.Status.values
    }
    asked = answered = 0
    saved: list[float] = []
    requests = year.filter(status=Demand.Status.SENT, kind=Demand.Kind.DATA_REQUEST)
    for text, hours, units, schools in requests.values_list(
        "field_list", "staff_hours", "receiver_unit_count", "receiver_school_count"
    ):
        try:
            fields = parse_field_list(text)
        except FieldListError:
            continue
        matches = match_fields(fields)
        asked += matches.asked
        answered += matches.answered
        # Hours saved: each receiver's expected hours in the share of fields answered for
        # it from records (a town or village gets the registry's counts only).
        for receivers, scopes in ((schools, ("school", "unit")), (units, ("unit",))):
            share = match_fields(fields, scopes=scopes)
            if receivers and share.asked:
                saved.append(hours * receivers * share.answered / share.asked)
    return Board(
        district_id=district_id,
        today=today,
        issuer=issuer,
        counts=counts,
        receivers=[(names.get(x.receiver_id, "?"), x) for x in loads],
        issuers=[(names.get(x.issuer_id, "?"), x) for x in heavy],
        refused=year.filter(status=Demand.Status.REFUSED).count(),
        exceptions=exceptions,
        pending=year.filter(
            status__in=[Demand.Status.PENDING_LEADER, Demand.Status.PENDING_OFFICE]
        ).count(),
        reports_open=reports.filter(status=UnregisteredReport.Status.OPEN).count(),
        reports_handled=reports.filter(status=UnregisteredReport.Status.HANDLED).count(),
        apps=apps,
        fields_asked=asked,
        fields_answered=answered,
        hours_saved=math.fsum(saved),
        observation_points=Unit.objects.filter(
            district_id=district_id, is_observation_point=True
        ).count(),
        observation_reports=ObservationReport.objects.filter(
            district_id=district_id, month=month_start, unit__is_observation_point=True
        ).count(),
    )


def receiver_units_of(actor: Actor) -> frozenset[int]:
    return actor.units_as(Role.RECEIVER)


@dataclass(frozen=True)
class ReceiverMonth:
    """What landed on one receiver (a town, community or village, or a school) this month:
    the board's drill-down from the burden index."""

    key: int  # receiver_key: a unit's id, a school's minus id
    name: str
    kind: str  # the unit's kind, or "school"
    demands: list[Demand]
    hours: float


def receiver_month(
    actor: Actor, district_id: int, *, key: int, first: dt.date, last: dt.date
) -> ReceiverMonth:
    """The sent demands that landed on the receiver ``key`` of the campaign office's county
    from ``first`` to ``last``; a receiver of another county is not found."""
    if district_id not in campaign_districts(actor):
        raise NotFound()
    if key > 0:
        unit = Unit.objects.filter(
            pk=key, district_id=district_id, kind__in=[Unit.Kind.TOWN, Unit.Kind.COMMUNITY]
        ).first()
        if unit is None:
            raise NotFound()
        name, kind, q = unit.name, unit.kind, Q(receiver_units=key)
    else:
        school = School.objects.filter(pk=-key, district_id=district_id).first()
        if school is None:
            raise NotFound()
        name, kind, q = school.name, "school", Q(receiver_schools=-key)
    demands = list(
        Demand.objects.filter(
            q, district_id=district_id, status=Demand.Status.SENT, day__gte=first, day__lte=last
        )
        .select_related("issuer")
        .order_by("day", "pk")
    )
    return ReceiverMonth(key, name, kind, demands, math.fsum(d.staff_hours for d in demands))


def plan_entries_visible(actor: Actor, year: int) -> QuerySet[InspectionPlanEntry]:
    """``year``'s plan entries the actor may see: its own offices' (a clerk or a leader),
    and every office's of a county whose campaign office it is."""
    return (
        InspectionPlanEntry.objects.filter(
            Q(issuer_id__in=actor.units_as(Role.ISSUER_CLERK, Role.ISSUER_LEADER))
            | Q(district_id__in=campaign_districts(actor)),
            year=year,
        )
        .select_related("issuer")
        .order_by("issuer__code", "month", "pk")
    )


def list_districts(actor: Actor) -> frozenset[int]:
    """The counties whose lists the actor reads: its campaign office's, and those of the
    offices it drafts or approves for (a demand names a list entry)."""
    issuers = actor.units_as(Role.ISSUER_CLERK, Role.ISSUER_LEADER)
    return campaign_districts(actor) | frozenset(
        Unit.objects.filter(pk__in=issuers).values_list("district_id", flat=True)
    )


def county_plans(actor: Actor, year: int, district_id: int) -> QuerySet[InspectionPlanEntry]:
    """Every office's filed plan for ``year`` in one county whose campaign office the actor
    is (a county it is not: nothing)."""
    if district_id not in campaign_districts(actor):
        return InspectionPlanEntry.objects.none()
    return (
        InspectionPlanEntry.objects.filter(district_id=district_id, year=year)
        .select_related("issuer")
        .order_by("issuer__code", "month", "pk")
    )


def plan_entries_in_use(entry_ids: Iterable[int]) -> frozenset[int]:
    """The plan entries a registered demand names (they cannot be taken off the plan)."""
    return frozenset(
        Demand.objects.filter(plan_entry_id__in=list(entry_ids)).values_list(
            "plan_entry_id", flat=True
        )
    )


def list_entries_in_use(entry_ids: Iterable[int]) -> frozenset[int]:
    return frozenset(
        Demand.objects.filter(list_entry_id__in=list(entry_ids)).values_list(
            "list_entry_id", flat=True
        )
    )


def observation_candidates(actor: Actor, district_id: int) -> list[Unit]:
    """The towns, communities and villages of the campaign office's county that it may make
    observation points, each with its reports so far (``reports``)."""
    if district_id not in campaign_districts(actor):
        raise NotFound()
    return list(
        Unit.objects.filter(
            district_id=district_id,
            kind__in=[Unit.Kind.TOWN, Unit.Kind.COMMUNITY],
        )
        .annotate(reports=Count("observation_reports", distinct=True))
        .select_related("parent")
        .order_by("code")
    )
