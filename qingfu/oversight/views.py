"""Dashboard pages: district → school → grade → class → day, each over a chosen period."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from qingfu.core.actor import Actor
from qingfu.core.errors import NotFound
from qingfu.core.scope import current_district_id
from qingfu.inspections.institutions import overdue_institution_notices
from qingfu.inspections.selectors import overdue_notices
from qingfu.oversight import selectors
from qingfu.oversight.charts import dashboard_charts
from qingfu.oversight.figures import Period, period_for
from qingfu.oversight.selectors import Dashboard
from qingfu.schools.actors import actor_from_request
from qingfu.schools.calendars import local_today
from qingfu.schools.models import School
from qingfu.training.selectors import TrainingSummary, training_summary

PERIODS = {"week": _("本周"), "month": _("本月"), "semester": _("本学期")}


def _period(request: HttpRequest, school: School | None) -> Period:
    kind = request.GET.get("period", "semester")
    today = local_today()
    span = selectors.semester_span(school, today) if school is not None else None
    return period_for(kind if kind in PERIODS else "semester", today=today, semester=span)


def _context(request: HttpRequest, period: Period, **extra: Any) -> dict[str, Any]:
    return {
        "period": period,
        "periods": PERIODS.items(),
        "query": f"?period={period.kind}",
        **extra,
    }


@login_required
def landing(request: HttpRequest) -> HttpResponse:
    """The top of the actor's drill-down: their district, or their school."""
    actor = actor_from_request(request)
    if actor.district_ids:
        district_id = current_district_id(request, actor)
        return redirect("oversight:district", district_id=district_id)
    schools = list(selectors.overseen_schools(actor).order_by("code"))
    if len(schools) == 1:
        return redirect("oversight:school", school_id=schools[0].pk)
    if not schools:
        raise Http404
    return render(request, "oversight/schools.html", {"schools": schools})


def _board_page(
    request: HttpRequest, level: str, school: School | None, load: Callable[[Period], Dashboard],
    **extra: Any,
) -> HttpResponse:  # fmt: skip
    """A dashboard level: the period from the query, the board, its charts."""
    try:
        period = _period(request, school)
        board = load(period)
    except NotFound as exc:
        raise Http404 from exc
    return render(
        request,
        "oversight/dashboard.html",
        _context(
            request,
            period,
            board=board,
            level=level,
            school=school,
            charts=dashboard_charts(board),
            **extra,
        ),
    )


@login_required
def district(request: HttpRequest, district_id: int) -> HttpResponse:
    actor = actor_from_request(request)
    first = School.objects.filter(district_id=district_id).order_by("code").first()
    return _board_page(
        request, "district", first,
        lambda period: selectors.district_dashboard(actor, district_id, period),
        overdue=overdue_notices(district_id=district_id, today=local_today()),
        institution_overdue=overdue_institution_notices(
            district_id=district_id, today=local_today()
        ),
        training=_training(actor, district_id),
    )  # fmt: skip


def _training(actor: Actor, district_id: int) -> TrainingSummary | None:
    """The district's complaints figures, for those who may see the district's training."""
    try:
        return training_summary(actor, district_id=district_id, today=local_today())
    except NotFound:
        return None


@login_required
def school(request: HttpRequest, school_id: int) -> HttpResponse:
    actor = actor_from_request(request)
    try:
        found = selectors.school_for(actor, school_id)
    except NotFound as exc:
        raise Http404 from exc
    return _board_page(
        request, "school", found,
        lambda period: selectors.school_dashboard(actor, school_id, period),
    )  # fmt: skip


@login_required
def grade(request: HttpRequest, school_id: int, grade: int) -> HttpResponse:
    actor = actor_from_request(request)
    try:
        found = selectors.school_for(actor, school_id)
    except NotFound as exc:
        raise Http404 from exc
    return _board_page(
        request, "grade", found,
        lambda period: selectors.grade_dashboard(actor, school_id, grade, period),
        grade=grade,
    )  # fmt: skip


@login_required
def school_class(request: HttpRequest, class_id: int) -> HttpResponse:
    actor = actor_from_request(request)
    try:
        found = selectors.class_for(actor, class_id)
        period = _period(request, found.school)
        the_class, total, rows = selectors.class_dashboard(actor, class_id, period)
    except NotFound as exc:
        raise Http404 from exc
    return render(
        request,
        "oversight/class.html",
        _context(request, period, school_class=the_class, total=total, rows=rows),
    )


@login_required
def class_day(request: HttpRequest, class_id: int, day: str) -> HttpResponse:
    actor = actor_from_request(request)
    try:
        date = dt.date.fromisoformat(day)
        view = selectors.class_day(actor, class_id, date)
    except (ValueError, NotFound) as exc:
        raise Http404 from exc
    return render(request, "oversight/class_day.html", {"view": view})
