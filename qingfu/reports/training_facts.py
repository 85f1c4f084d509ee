"""The district's off-campus training figures for a work summary (校外培训治理): the
registry as it stood on the last day counted, its changes, the filings, the complaints and
the inspections of institutions over the period. Counts only, no names."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from qingfu.inspections.institutions import inspection_counts
from qingfu.reports.data import Period, TrainingGovernance
from qingfu.training.models import (
    Complaint,
    Course,
    Filing,
    Institution,
    PrepaidCharge,
    Session,
    StatusChange,
)


def training_governance(
    *, district_id: int, period: Period, through: dt.date, today: dt.date
) -> TrainingGovernance | None:
    """None for a district without a registry (no institution, no complaint)."""
    category = dict(
        Institution.objects.filter(district_id=district_id).values_list("pk", "category")
    )
    complaints = Complaint.objects.filter(
        district_id=district_id, received_on__gte=period.start, received_on__lte=through
    )
    if not category and not complaints.exists():
        return None
    # Each institution's status on ``through``: its latest change by then (the history is
    # complete: every institution starts with one).
    status: dict[int, str] = {}
    first: dict[int, dt.date] = {}
    changes: Counter[str] = Counter()
    for institution_id, state, day in (
        StatusChange.objects.filter(district_id=district_id, date__lte=through)
        .order_by("date", "id")
        .values_list("institution_id", "status", "date")
    ):
        if institution_id in first and day >= period.start:
            changes[state] += 1
        first.setdefault(institution_id, day)
        status[institution_id] = state
    by: Counter[tuple[str, str]] = Counter(
        (category[i], state) for i, state in status.items() if i in category
    )

    def filed(model: type[Course] | type[Session] | type[PrepaidCharge]) -> int:
        return model.objects.filter(
            district_id=district_id,
            status=Filing.Status.FILED,
            filed_at__date__gte=period.start,
            filed_at__date__lte=through,
        ).count()

    refused = sum(
        model.objects.filter(
            district_id=district_id,
            status=Filing.Status.REFUSED,
            filed_at__date__gte=period.start,
            filed_at__date__lte=through,
        ).count()
        for model in (Course, Session, PrepaidCharge)
    )
    done = (Complaint.Status.CLOSED, Complaint.Status.REJECTED)
    closed = list(
        complaints.filter(status__in=done, closed_on__lte=through).values_list(
            "closed_on", "deadline"
        )
    )
    inspections = inspection_counts(
        district_id=district_id, start=period.start, end=through, today=today
    )
    return TrainingGovernance(
        institutions=dict(by),
        registered_new=sum(1 for day in first.values() if day >= period.start),
        status_changes=dict(changes),
        courses_filed=filed(Course),
        sessions_filed=filed(Session),
        charges_filed=filed(PrepaidCharge),
        refused=refused,
        complaints=complaints.count(),
        complaints_closed=len(closed),
        complaints_in_time=sum(1 for c, d in closed if c is not None and c <= d),
        complaints_overdue=complaints.exclude(status__in=done).filter(deadline__lt=today).count(),
        visits=inspections.visits,
        institutions_visited=inspections.institutions_visited,
        items_failing=inspections.items_failing,
        notices=inspections.notices,
        notices_closed=inspections.notices_closed,
        notices_overdue=inspections.notices_overdue,
    )
