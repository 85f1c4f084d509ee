"""Pages of inspections: the inspector's schools and visits, the one-screen checklist, issuing
a notice, the notice with its history, and the notice lists of school admins and district
officers. Views parse input and call services; every read goes through the selectors."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qingfu.core.edge import (
    answer_action,
    answer_post,
    cleaned,
    flash_errors,
    posted_action,
    valid,
)
from qingfu.core.errors import NotFound
from qingfu.inspections import checklist, forms, selectors, services
from qingfu.inspections.models import ChecklistItem, Notice, Visit
from qingfu.policy.rules import Profile
from qingfu.schools.actors import actor_from_request
from qingfu.schools.calendars import local_today, profile_for_school


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The inspector's schools (start a visit) and the visits the actor may read."""
    actor = actor_from_request(request)
    if not (actor.inspected_school_ids or actor.district_ids or actor.is_superuser):
        raise NotFound()
    today = local_today()
    schools = []
    for school in selectors.inspected_schools(actor):
        start, end = services.default_period(school.pk, today)
        schools.append({"school": school, "start": start, "end": end})
    visits = list(selectors.visits_for(actor).order_by("-date", "-id")[:50])
    return render(
        request,
        "inspections/index.html",
        {
            "schools": schools,
            "visits": visits,
            "today": today,
            "errors": {},
            "to_review": selectors.notice_rows(
                selectors.notices_for(actor).filter(
                    status=Notice.Status.RESPONDED, school_id__in=actor.inspected_school_ids
                ),
                today,
            ),
            "overdue": selectors.notice_rows(
                selectors.notices_for(actor).exclude(status="closed").filter(deadline__lt=today),
                today,
            ),
        },
    )


@login_required
@require_POST
def visit_start(request: HttpRequest, school_id: int) -> HttpResponse:
    actor = actor_from_request(request)
    if not selectors.may_inspect(actor, school_id):
        raise NotFound()
    today = local_today()
    visit_id = 0

    def start() -> str:
        nonlocal visit_id
        data = cleaned(forms.VisitStartForm, request.POST)
        visit_id = services.visit_start(
            actor=actor,
            school_id=school_id,
            day=data["date"] or today,
            today=today,
            period_start=data["period_start"],
            period_end=data["period_end"],
        ).pk
        return _("已生成检查清单，记录显示的情况已预先填好。")

    answer = answer_post(
        request, start, to=lambda: reverse("inspections:visit", kwargs={"visit_id": visit_id})
    )
    # The list of schools has no form to show errors next to: they are flashed above it.
    flash_errors(request, answer.errors)
    return answer.response or redirect("inspections:index")


def checklist_rows(
    items: list[Any], notices: list[Any], posted: dict[str, str]
) -> list[dict[str, Any]]:
    """The checklist's rows (a school's or an institution's items): each item with the mark
    and note as posted when a save was refused (so nothing typed is lost), else as saved,
    and the notices issued from it."""
    return [
        {
            "item": item,
            "mark": posted.get(f"mark-{item.pk}", item.mark),
            "note": posted.get(f"note-{item.pk}", item.note),
            "notices": [n for n in notices if n.item_id == item.pk],
        }
        for item in items
    ]


@dataclass
class ChecklistAnswer:
    """What a checklist page's POST came to: a redirect, or the errors to show again."""

    response: HttpResponse | None = None
    status: int = 200
    errors: dict[str, list[str]] = field(default_factory=dict)
    posted: dict[str, str] = field(default_factory=dict)


def checklist_answer(
    request: HttpRequest, visit: Any, *, ops: ModuleType, to: str
) -> ChecklistAnswer:
    """The checklist's three writes (refresh the evidence, save the marks, complete), for a
    school's visit (``ops`` = services) and an institution's (``ops`` = institutions): their
    services take the same arguments. A GET answers nothing."""
    if request.method != "POST":
        return ChecklistAnswer()
    actor = actor_from_request(request)
    checklist = forms.ChecklistForm(request.POST, items=list(visit.items.all()))

    def refresh() -> str:
        ops.visit_refresh_evidence(actor=actor, visit_id=visit.pk)
        return _("已按最新记录重新汇总。")

    def save() -> str:
        data = valid(checklist).cleaned_data
        ops.checklist_save(actor=actor, visit_id=visit.pk, marks=data["marks"])
        return _("已保存。")

    def complete() -> str:
        save()
        summary = checklist.cleaned_data["summary"]
        ops.visit_complete(actor=actor, visit_id=visit.pk, summary=summary)
        return _("检查已完成。可对不符合的项目下发整改通知。")

    answer = answer_action(
        request, {"refresh": refresh, "save": save, "complete": complete}, default="save", to=to
    )
    if answer.response is not None:
        return ChecklistAnswer(answer.response)
    refreshed = posted_action(request, default="save") == "refresh"
    return ChecklistAnswer(
        None, answer.status, answer.errors, {} if refreshed else checklist.typed()
    )


@login_required
def visit_page(request: HttpRequest, visit_id: int) -> HttpResponse:
    """The checklist on one screen: rules, evidence, a quick mark and a note per item."""
    actor = actor_from_request(request)
    visit = selectors.visit_get(actor, visit_id)
    answer = checklist_answer(
        request,
        visit,
        ops=services,
        to=reverse("inspections:visit", kwargs={"visit_id": visit.pk}),
    )
    if answer.response is not None:
        return answer.response
    status, errors, posted = answer.status, answer.errors, answer.posted
    items = list(visit.items.all())
    rows = checklist_rows(items, list(visit.notices.all()), posted)
    today = local_today()
    return render(
        request,
        "inspections/visit.html",
        {
            "visit": visit,
            "rows": rows,
            "marks": ChecklistItem.Mark.choices,
            "may_edit": visit.status == Visit.Status.DRAFT
            and selectors.may_inspect(actor, visit.school_id),
            "may_issue": visit.status == Visit.Status.COMPLETED
            and selectors.may_inspect(actor, visit.school_id),
            "counts": {
                label: sum(1 for i in items if i.mark == value)
                for value, label in ChecklistItem.Mark.choices
            },
            "notices": selectors.notice_rows(visit.notices.all(), today),
            "errors": errors,
        },
        status=status,
    )


@login_required
def notice_new(request: HttpRequest, visit_id: int) -> HttpResponse:
    """Issue a rectification notice from a non-conforming item of a completed visit."""
    actor = actor_from_request(request)
    visit = selectors.visit_get(actor, visit_id)
    if not selectors.may_inspect(actor, visit.school_id):
        raise NotFound()
    today = local_today()
    candidates = [i for i in visit.items.all() if i.may_have_notice]
    profile = profile_for_school(visit.school)
    status = 200
    errors: dict[str, list[str]] = {}
    form: dict[str, str] = {}
    if request.method == "POST":
        notice_form = forms.NoticeForm(request.POST)
        form = notice_form.typed()
        notice_id = 0

        def issue() -> str:
            nonlocal notice_id
            notice_id = services.notice_issue(
                actor=actor,
                visit_id=visit.pk,
                data=valid(notice_form).notice_input(),
                today=today,
            ).pk
            return _("整改通知已下发，学校管理员首页会显示。")

        answer = answer_post(
            request,
            issue,
            to=lambda: reverse("inspections:notice", kwargs={"notice_id": notice_id}),
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
            form = _prefill(chosen, today, profile)
    return render(
        request,
        "inspections/notice_new.html",
        {
            "visit": visit,
            "candidates": candidates,
            "form": form,
            "prefills": {i.pk: _prefill(i, today, profile) for i in candidates},
            "min_deadline": today + dt.timedelta(days=1),
            "errors": errors,
        },
        status=status,
    )


def _prefill(item: ChecklistItem, today: dt.date, profile: Profile) -> dict[str, str]:
    """The notice as the item suggests it: the inspector's note and evidence as the problem,
    the area's rules as the school's profile states them now, numbered as an official notice
    numbers its requirements, with the documents (``checklist.school_notice_requirement``,
    written like the institution's notice), and a month to put it right."""
    problem = item.note.strip()
    if item.evidence:
        problem = f"{problem}\n{_('记录显示')}：{item.evidence}".strip()
    rules = [profile.rules[rule_id] for rule_id in item.rule_ids if rule_id in profile.rules]
    requirement = checklist.school_notice_requirement(rules)
    return {
        "item_id": str(item.pk),
        "title": _("关于%(area)s的整改通知") % {"area": item.title.split("（")[0]},
        "problem": problem,
        "requirement": requirement,
        "deadline": (today + dt.timedelta(days=30)).isoformat(),
    }


@login_required
def notice_page(request: HttpRequest, notice_id: int) -> HttpResponse:
    """A notice with its history; the school answers, the inspector returns or accepts."""
    actor = actor_from_request(request)
    notice = selectors.notice_get(actor, notice_id)
    today = local_today()
    status = 200
    errors: dict[str, list[str]] = {}
    if request.method == "POST":

        def respond() -> str:
            data = cleaned(forms.ResponseForm, request.POST)
            services.notice_respond(
                actor=actor,
                notice_id=notice.pk,
                measures=data["measures"],
                references=data["references"],
                today=today,
            )
            return _("已回复，等待责任督学复核。")

        def send_back() -> str:
            comment = cleaned(forms.ReviewForm, request.POST)["comment"]
            services.notice_return(actor=actor, notice_id=notice.pk, comment=comment)
            return _("已退回学校继续整改。")

        def accept() -> str:
            comment = cleaned(forms.ReviewForm, request.POST)["comment"]
            services.notice_accept(actor=actor, notice_id=notice.pk, comment=comment, today=today)
            return _("整改已复核通过，通知销号。")

        answer = answer_action(
            request,
            {"respond": respond, "return": send_back, "accept": accept},
            to=reverse("inspections:notice", kwargs={"notice_id": notice.pk}),
        )
        if answer.response is not None:
            return answer.response
        status, errors = answer.status, answer.errors
    open_for_answer = notice.status in (Notice.Status.OPEN, Notice.Status.RETURNED)
    return render(
        request,
        "inspections/notice.html",
        {
            "notice": notice,
            "events": list(notice.events.all()),
            "days_overdue": selectors.days_overdue(
                status=notice.status, deadline=notice.deadline, today=today
            ),
            "may_respond": selectors.may_respond(actor, notice) and open_for_answer,
            "may_review": selectors.may_inspect(actor, notice.school_id)
            and notice.status == Notice.Status.RESPONDED,
            "may_see_visit": selectors.visit_readable(actor, notice.visit),
            "errors": errors,
            "today": today,
        },
        status=status,
    )


@login_required
def notices_page(request: HttpRequest) -> HttpResponse:
    """All notices the actor may read; overdue ones first and highlighted."""
    actor = actor_from_request(request)
    if not (
        actor.admin_school_ids
        or actor.district_ids
        or actor.inspected_school_ids
        or actor.is_superuser
    ):
        raise NotFound()
    today = local_today()
    rows = selectors.notice_rows(selectors.notices_for(actor), today)
    return render(
        request,
        "inspections/notices.html",
        {
            "rows": rows,
            "today": today,
            "overdue": sum(1 for r in rows if r.is_overdue),
            "open": sum(1 for r in rows if not r.notice.is_closed),
            "is_school": bool(actor.admin_school_ids) and not actor.district_ids,
            "index_url": reverse("inspections:index")
            if actor.inspected_school_ids or actor.district_ids
            else "",
        },
    )
