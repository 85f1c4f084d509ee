"""Load the figures of the county's burden-reduction report from the registry's records.

Counts year on year go through the pure aggregations of ``qingfu.policy.burden`` over the
rows ``burden.selectors.demand_rows`` loads (the board uses the same two), so the report,
the board and a test that counts by hand agree; the rest are plain counts of sent,
refused and approved demands, reports, lists and apps. ``reports.burden_writing`` turns
them into prose.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Iterable

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from qingfu.burden import selectors as burden
from qingfu.burden.models import (
    AppOrGroup,
    Demand,
    ListEntry,
    ObservationReport,
    UnregisteredReport,
)
from qingfu.policy import burden as policy
from qingfu.policy.burden_fields import FieldListError, match_fields, parse_field_list
from qingfu.reports import teacher_load
from qingfu.reports.burden_writing import (
    BurdenFacts,
    MonthLine,
    Named,
    Observation,
    YearOnYear,
)
from qingfu.reports.data import SchoolBurden, TeacherBurden
from qingfu.schools.models import District, School, Unit

SENT = Demand.Status.SENT
TOP = 5


def _months(first: dt.date, last: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The calendar months from ``first`` to ``last``, each clipped to the two."""
    out = []
    day = first
    while day <= last:
        following = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
        out.append((day, min(last, following - dt.timedelta(days=1))))
        day = following
    return out


def _named(counter: Counter[str]) -> tuple[Named, ...]:
    return tuple(Named(name, n) for name, n in sorted(counter.items(), key=lambda x: (-x[1], x[0])))


def observation_figures(district_id: int, *, first: dt.date, last: dt.date) -> Observation | None:
    """The observation points' monthly reports for the months whose first day falls in
    ``first``..``last``; None when the county has no observation point."""
    points = Unit.objects.filter(district_id=district_id, is_observation_point=True).count()
    if not points:
        return None
    months = [m for m, _end in _months(first, last) if m.day == 1]
    reports = list(
        ObservationReport.objects.filter(
            district_id=district_id, month__in=months, unit__is_observation_point=True
        ).values_list("hours", "unregistered", "compared")
    )
    return Observation(
        points=points,
        expected=points * len(months),
        received=len(reports),
        hours=math.fsum(h for h, _u, _c in reports),
        unregistered=sum(u for _h, u, _c in reports),
        heavier=sum(1 for _h, _u, c in reports if c == "heavier"),
        lighter=sum(1 for _h, _u, c in reports if c == "lighter"),
    )


def teacher_burden(
    *, school_ids: Iterable[int], first: dt.date, last: dt.date, teacher_hours: bool = False
) -> TeacherBurden:
    """What offices placed on these schools from ``first`` to ``last`` (教师减负): each sent
    demand counts once per receiving school, with its expected hours for that school; with
    ``teacher_hours``, the spread of the teachers' non-teaching hours a week
    (``teacher_load``: the demands' shares plus after-school duty)."""
    ids = list(school_ids)
    links = Demand.receiver_schools.through.objects.filter(
        school_id__in=ids, demand__day__gte=first, demand__day__lte=last
    )
    rows = list(
        links.filter(demand__status=SENT).values_list(
            "school_id", "demand_id", "demand__kind", "demand__staff_hours"
        )
    )
    names = dict(School.objects.filter(pk__in=ids).values_list("pk", "name"))
    per: dict[int, list[tuple[str, float]]] = {}
    for school_id, _demand, kind, hours in rows:
        per.setdefault(school_id, []).append((kind, hours))

    def n(items: list[tuple[str, float]], kind: str) -> int:
        return sum(1 for k, _h in items if k == kind)

    by_school = tuple(
        SchoolBurden(
            name=names[school_id],
            demands=len(items),
            hours=math.fsum(h for _k, h in items),
            inspections=n(items, "inspection"),
            data_requests=n(items, "data_request"),
            campus_activities=n(items, "campus_activity"),
            secondments=n(items, "secondment"),
        )
        for school_id, items in sorted(per.items(), key=lambda x: names[x[0]])
    )
    distinct = {(kind, demand) for _s, demand, kind, _h in rows}
    kinds = Counter(kind for kind, _demand in distinct)
    return TeacherBurden(
        demands=len(distinct),
        hours=math.fsum(h for _s, _d, _k, h in rows),
        inspections=kinds.get("inspection", 0),
        data_requests=kinds.get("data_request", 0),
        campus_activities=kinds.get("campus_activity", 0),
        secondments=kinds.get("secondment", 0),
        refused=links.filter(demand__status=Demand.Status.REFUSED)
        .values("demand_id")
        .distinct()
        .count(),
        reports=UnregisteredReport.objects.filter(
            receiver_school_id__in=ids, day__gte=first, day__lte=last
        ).count(),
        by_school=by_school,
        teacher_hours=(
            teacher_load.school_hours(school_ids=ids, first=first, last=last).spread()
            if teacher_hours
            else None
        ),
    )


def _data_requests(demands: QuerySet[Demand]) -> tuple[int, int, int, float]:
    """(requests, fields asked, fields answered from records, receiver hours saved), as the
    board counts them."""
    requests = demands.filter(status=SENT, kind=Demand.Kind.DATA_REQUEST).annotate(
        units=Count("receiver_units", distinct=True),
        schools=Count("receiver_schools", distinct=True),
    )
    n = asked = answered = 0
    saved: list[float] = []
    for text, hours, units, schools in requests.values_list(
        "field_list", "staff_hours", "units", "schools"
    ):
        n += 1
        try:
            fields = parse_field_list(text)
        except FieldListError:
            continue
        matches = match_fields(fields)
        asked += matches.asked
        answered += matches.answered
        for receivers, scopes in ((schools, ("school", "unit")), (units, ("unit",))):
            share = match_fields(fields, scopes=scopes)
            if receivers and share.asked:
                saved.append(hours * receivers * share.answered / share.asked)
    return n, asked, answered, math.fsum(saved)


def burden_facts(
    *, district_id: int, first: dt.date, last: dt.date, today: dt.date, label: str
) -> BurdenFacts:
    """Every figure of the county's report for ``first`` to ``last`` (counted to today)."""
    district = District.objects.get(pk=district_id)
    profile = burden.profile_for_district(district_id)
    through = min(last, today)
    if through < first:
        through = first
    rows = burden.demand_rows(district_id, first=policy.a_year_earlier(first), last=through)
    counts = []
    for kind in policy.COUNTED_KINDS:
        c = policy.period_count(profile, rows, kind=kind, first=first, last=through)
        target = profile.rule(policy.TARGET_RULES[kind]).number()
        counts.append(YearOnYear(kind, c.count, c.last_year, c.allowed, target))
    months = []
    for m_first, m_last in _months(first, through):
        this = tuple(
            policy.count_between(rows, kind=k, first=m_first, last=m_last)
            for k in policy.COUNTED_KINDS
        )
        before = tuple(
            policy.count_between(
                rows,
                kind=k,
                first=policy.a_year_earlier(m_first),
                last=policy.a_year_earlier(m_last),
            )
            for k in policy.COUNTED_KINDS
        )
        months.append(MonthLine(_("%(m)d月") % {"m": m_first.month}, this, before))  # type: ignore[arg-type]
    period = Demand.objects.filter(district_id=district_id, day__gte=first, day__lte=through)
    before_q = Demand.objects.filter(
        district_id=district_id,
        status=SENT,
        day__gte=policy.a_year_earlier(first),
        day__lte=policy.a_year_earlier(through),
    )
    sent = period.filter(status=SENT)
    meetings = sent.filter(kind=Demand.Kind.MEETING)
    meetings_before = before_q.filter(kind=Demand.Kind.MEETING)
    county_kind = Q(issuer__kind=Unit.Kind.OFFICE)
    local_kind = Q(issuer__kind=Unit.Kind.TOWN)
    # The meeting-free days of each month whose first day falls in the period.
    free_days = int(profile.rule("gr.meeting-free-week").number())
    free_months = kept = free_exceptions = 0
    for m_first, _m_last in _months(first, through):
        if m_first.day != 1:
            continue
        start, end = policy.meeting_free_days(profile, year=m_first.year, month=m_first.month)
        if end > through:
            continue
        free_months += 1
        held = meetings.filter(day__gte=start, day__lte=end)
        if not held.exists():
            kept += 1
        free_exceptions += held.exclude(exception_reason="").count()
    office_approved = Q(approvals__role="office", approvals__decision="approved")
    inspections = sent.filter(kind=Demand.Kind.INSPECTION)
    unplanned = period.filter(
        kind=Demand.Kind.INSPECTION,
        plan_entry__isnull=True,
        receiver_units__isnull=False,
        status__in=[SENT, Demand.Status.REFUSED, *burden.LIVE],
    ).distinct()
    exceptions = sent.exclude(exception_reason="").count()
    exceptions += (
        sent.filter(kind__in=["inspection", "task"])
        .filter(office_approved)
        .exclude(exception_reason__gt="")
        .count()
    )
    refused = period.filter(status=Demand.Status.REFUSED)
    n_requests, asked, answered, saved = _data_requests(period)
    tasks = sent.filter(kind=Demand.Kind.TASK)
    reports = UnregisteredReport.objects.filter(
        district_id=district_id, day__gte=first, day__lte=through
    ).select_related("issuer")
    apps = AppOrGroup.objects.filter(district_id=district_id)
    names = dict(Unit.objects.filter(district_id=district_id).values_list("pk", "name"))
    names.update(
        {
            -pk: name
            for pk, name in School.objects.filter(district_id=district_id).values_list("pk", "name")
        }
    )
    loads = policy.burden_index(rows, first=first, last=through)
    heavy = policy.heaviest_issuers(rows, first=first, last=through, top=TOP)
    return BurdenFacts(
        county=district.name,
        start=first,
        end=last,
        through=through,
        today=today,
        label=label,
        issuers=sent.values("issuer_id").distinct().count(),
        receivers=len(loads),
        sent=sent.count(),
        counts=tuple(counts),
        months=tuple(months),
        county_meetings=(
            meetings.filter(county_kind).count(),
            meetings_before.filter(county_kind).count(),
        ),
        local_meetings=(
            meetings.filter(local_kind).count(),
            meetings_before.filter(local_kind).count(),
        ),
        forwarding=sent.filter(kind=Demand.Kind.DOCUMENT, forwards_higher_document=True).count(),
        free_days=free_days,
        free_months=free_months,
        free_months_kept=kept,
        free_exceptions=free_exceptions,
        inspections_planned=inspections.filter(plan_entry__isnull=False).count(),
        inspections_unplanned=inspections.filter(plan_entry__isnull=True)
        .filter(office_approved)
        .count(),
        unplanned_by_issuer=_named(
            Counter(name for _pk, name in unplanned.values_list("pk", "issuer__name"))
        ),
        refused=refused.count(),
        refused_by_kind=_named(Counter(refused.values_list("kind", flat=True))),
        exceptions=exceptions,
        pending=period.filter(
            status__in=[Demand.Status.PENDING_LEADER, Demand.Status.PENDING_OFFICE]
        ).count(),
        data_requests=n_requests,
        fields_asked=asked,
        fields_answered=answered,
        hours_saved=saved,
        tasks_listed=tasks.filter(list_entry__isnull=False).count(),
        tasks_unlisted=tasks.filter(list_entry__isnull=True).count(),
        funding=float(
            tasks.filter(list_entry__isnull=True).aggregate(f=Sum("funding_amount"))["f"] or 0
        ),
        certificates=sent.filter(kind=Demand.Kind.CERTIFICATE).count(),
        access_items=ListEntry.objects.filter(
            district_id=district_id, kind=ListEntry.Kind.TASK
        ).count(),
        certificate_items=ListEntry.objects.filter(
            district_id=district_id, kind=ListEntry.Kind.CERTIFICATE
        ).count(),
        apps_closed=apps.filter(status=AppOrGroup.Status.CLOSED).count(),
        apps_merged=apps.filter(status=AppOrGroup.Status.MERGED).count(),
        apps_kept=apps.filter(status=AppOrGroup.Status.KEPT).count(),
        apps_unowned=apps.filter(status=AppOrGroup.Status.KEPT)
        .filter(Q(owner="") | Q(purpose=""))
        .count(),
        apps_forcing=tuple(
            apps.filter(status=AppOrGroup.Status.KEPT)
            .exclude(features=[])
            .order_by("name")
            .values_list("name", flat=True)
        ),
        reports=reports.count(),
        reports_handled=reports.filter(status=UnregisteredReport.Status.HANDLED).count(),
        reports_by_issuer=_named(Counter(r.issuer.name for r in reports)),
        hours=math.fsum(x.hours for x in loads),
        heaviest_receivers=tuple(
            Named(names.get(x.receiver_id, "?"), x.demands, x.hours) for x in loads[:TOP]
        ),
        heaviest_issuers=tuple(
            Named(names.get(x.issuer_id, "?"), x.demands, x.hours) for x in heavy
        ),
        schools=teacher_burden(
            school_ids=School.objects.filter(district_id=district_id).values_list("pk", flat=True),
            first=first,
            last=through,
        ),
        observation=observation_figures(district_id, first=first, last=through),
    )
