"""Pages of the inspections of training institutions: the officer's list (institutions to
visit, visits, notices to review, overdue ones), the one-screen checklist, issuing a notice,
and the notice with its history, which the institution's staff answer."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qingfu.core.edge import answer_action, answer_post, cleaned, flash_errors, valid
from qingfu.core.errors import NotFound
from qingfu.core.htmx import render_page
from qingfu.inspections import forms
from qingfu.inspections import institutions as svc
from qingfu.inspections.models import ChecklistItem, InstitutionItem, Notice, Visit
from qingfu.inspections.selectors import days_overdue
from qingfu.inspections.views import checklist_answer, checklist_rows
from qingfu.schools.actors import actor_from_request
from qingfu.schools.calendars import local_today
from qingfu.training import selectors as training


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The officer's visits and notices, and a search for the institution to visit next
    (by name or credit code, a bounded list: a district has thousands); an institution's
    staff see their notices. An HTMX search gets the results' fragment only."""
    actor = actor_from_request(request)
    if not svc.may_read_notices(actor):
        raise NotFound()
    today = local_today()
    notices = svc.notice_rows(svc.notices_for(actor), today)
    query = request.GET.get("q", "")[:60].strip()
    found = training.institutions_to_visit(actor, query=query)
    return render_page(
        request,
        "inspections/institutions.html",
        {
            "query": query,
            "found": found,
            "visits": list(svc.visits_for(actor).order_by("-date", "-id")[:50]),
            "notices": notices,
            "to_review": [r for r in notices if r.notice.status == Notice.Status.RESPONDED],
            "overdue": [r for r in notices if r.is_overdue],
            "is_officer": bool(actor.training_district_ids),
            "today": today,
        },
        fragment="inspections/partials/_institution_search.html",
    )


@login_required
@require_POST
def visit_start(request: HttpRequest, institution_id: int) -> HttpResponse:
    actor = actor_from_request(request)
    today = local_today()
    visit_id = 0

    def start() -> str:
        nonlocal visit_id
        data = cleaned(forms.VisitStartForm, request.POST)
        visit_id = svc.visit_start(
            actor=actor,
            institution_id=institution_id,
            day=data["date"] or today,
            today=today,
            period_start=data["period_start"],
            period_end=data["period_end"],
        ).pk
        return _("已生成检查清单，记录显示的情况已预先填好。")

    answer = answer_post(
        request, start, to=lambda: reverse("inspections:institution_visit", args=[visit_id])
    )
    flash_errors(request, answer.errors)
    return answer.response or redirect("inspections:institutions")


@login_required
def visit_page(request: HttpRequest, visit_id: int) -> HttpResponse:
    """The checklist on one screen: rules, what the records show, a mark and a note."""
    actor = actor_from_request(request)
    visit = svc.visit_get(actor, visit_id)
    answer = checklist_answer(
        request, visit, ops=svc, to=reverse("inspections:institution_visit", args=[visit.pk])
    )
    if answer.response is not None:
        return answer.response
    status, errors, posted = answer.status, answer.errors, answer.posted
    items = list(visit.items.all())
    notices = list(visit.notices.all())
    rows = checklist_rows(items, notices, posted)
    return render(
        request,
        "inspections/visit.html",
        {
            "of_institution": True,
            "visit": visit,
            "rows": rows,
            "marks": ChecklistItem.Mark.choices,
            "may_edit": visit.status == Visit.Status.DRAFT,
            "may_issue": visit.status == Visit.Status.COMPLETED,
            "counts": {
                label: sum(1 for i in items if i.mark == value)
                for value, label in ChecklistItem.Mark.choices
            },
            "notices": svc.notice_rows(visit.notices.all(), local_today()),
            "errors": errors,
        },
        status=status,
    )


@login_required
def notice_new(request: HttpRequest, visit_id: int) -> HttpResponse:
    """Issue a rectification notice from a non-conforming item of a completed visit."""
    actor = actor_from_request(request)
    visit = svc.visit_get(actor, visit_id)
    today = local_today()
    candidates: list[InstitutionItem] = [i for i in visit.items.all() if i.may_have_notice]
    status = 200
    errors: dict[str, list[str]] = {}
    form: dict[str, str] = {}
    if request.method == "POST":
        notice_form = forms.NoticeForm(request.POST)
        form = notice_form.typed()
        notice_id = 0

        def issue() -> str:
            nonlocal notice_id
            notice_id = svc.notice_issue(
                actor=actor, visit_id=visit.pk, data=valid(notice_form).notice_input(), today=today
            ).pk
            return _("整改通知已下发，机构人员登录后可见。")

        answer = answer_post(
            request, issue, to=lambda: reverse("inspections:institution_notice", args=[notice_id])
        )
        if answer.response is not None:
            return answer.response
        status, errors = answer.status, answer.errors
    else:
        chosen = next(
            (i for i in candidates if str(i.pk) == request.GET.get("item")),
            candidates[0] if candidates else None,
        )
        if chosen is not None:
            form = svc.notice_draft(visit, chosen, today)
    return render(
        request,
        "inspections/notice_new.html",
        {
            "of_institution": True,
            "visit": visit,
            "candidates": candidates,
            "form": form,
            "min_deadline": today + dt.timedelta(days=1),
            "errors": errors,
        },
        status=status,
    )


@login_required
def notice_page(request: HttpRequest, notice_id: int) -> HttpResponse:
    """A notice with its history; the institution answers, the officer returns or accepts."""
    actor = actor_from_request(request)
    notice = svc.notice_get(actor, notice_id)
    today = local_today()
    status = 200
    errors: dict[str, list[str]] = {}
    if request.method == "POST":

        def respond() -> str:
            data = cleaned(forms.ResponseForm, request.POST)
            svc.notice_respond(
                actor=actor, notice_id=notice.pk, measures=data["measures"], today=today
            )
            return _("已回复，等待复核。")

        def send_back() -> str:
            comment = cleaned(forms.ReviewForm, request.POST)["comment"]
            svc.notice_return(actor=actor, notice_id=notice.pk, comment=comment)
            return _("已退回机构继续整改。")

        def accept() -> str:
            comment = cleaned(forms.ReviewForm, request.POST)["comment"]
            svc.notice_accept(actor=actor, notice_id=notice.pk, comment=comment, today=today)
            return _("整改已复核通过，通知销号。")

        answer = answer_action(
            request,
            {"respond": respond, "return": send_back, "accept": accept},
            to=reverse("inspections:institution_notice", args=[notice.pk]),
        )
        if answer.response is not None:
            return answer.response
        status, errors = answer.status, answer.errors
    open_for_answer = notice.status in (Notice.Status.OPEN, Notice.Status.RETURNED)
    officer = svc.may_inspect(actor, notice.district_id)
    return render(
        request,
        "inspections/notice.html",
        {
            "of_institution": True,
            "notice": notice,
            "events": list(notice.events.all()),
            "days_overdue": days_overdue(
                status=notice.status, deadline=notice.deadline, today=today
            ),
            "may_respond": svc.may_respond(actor, notice) and open_for_answer,
            "may_review": officer and notice.status == Notice.Status.RESPONDED,
            "may_see_visit": officer,
            "errors": errors,
        },
        status=status,
    )
