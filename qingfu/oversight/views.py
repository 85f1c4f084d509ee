"""Dashboard pages: district → school → grade → class → day, each over a chosen period."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from qingfu.core.errors import NotFound
from qingfu.inspections.selectors import overdue_notices
from qingfu.oversight import selectors
from qingfu.oversight.charts import dashboard_charts
from qingfu.oversight.figures import Period, period_for
from qingfu.schools.actors import actor_from_request
from qingfu.schools.calendars import local_today
from qingfu.schools.models import School

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
        return redirect("oversight:district", district_id=min(actor.district_ids))
    schools = list(selectors.overseen_schools(actor).order_by("code"))
    if len(schools) == 1:
        return redirect("oversight:school", school_id=schools[0].pk)
    if not schools:
        raise Http404
    return render(request, "oversight/schools.html", {"schools": schools})


@login_required
def district(request: HttpRequest, district_id: int) -> HttpResponse:
    actor = actor_from_request(request)
    try:
        first = School.objects.filter(district_id=district_id).order_by("code").first()
        period = _period(request, first)
        board = selectors.district_dashboard(actor, district_id, period)
    except NotFound as exc:
        raise Http404 from exc
    overdue = overdue_notices(district_id=district_id, today=local_today())
    return render(
        request,
        "oversight/dashboard.html",
        _context(
            request,
            period,
            board=board,
            level="district",
            charts=dashboard_charts(board),
            overdue=overdue,
        ),
    )


@login_required
def school(request: HttpRequest, school_id: int) -> HttpResponse:
    actor = actor_from_request(request)
    try:
        found = selectors.school_for(actor, school_id)
        period = _period(request, found)
        board = selectors.school_dashboard(actor, school_id, period)
    except NotFound as exc:
        raise Http404 from exc
    return render(
        request,
        "oversight/dashboard.html",
        _context(
            request,
            period,
            board=board,
            level="school",
            school=found,
            charts=dashboard_charts(board),
        ),
    )


@login_required
def grade(request: HttpRequest, school_id: int, grade: int) -> HttpResponse:
    actor = actor_from_request(request)
    try:
        found = selectors.school_for(actor, school_id)
        period = _period(request, found)
        board = selectors.grade_dashboard(actor, school_id, grade, period)
    except NotFound as exc:
        raise Http404 from exc
    return render(
        request,
        "oversight/dashboard.html",
        _context(
            request,
            period,
            board=board,
            level="grade",
            school=found,
            grade=grade,
            charts=dashboard_charts(board),
        ),
    )


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
