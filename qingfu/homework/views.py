"""Homework pages: authoring with the live load check, my homework, exception approval."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qingfu.core.access import as_grade_leader, as_teacher
from qingfu.core.edge import answer_action, answer_post, cleaned, flash_errors
from qingfu.core.errors import NotFound, ValidationFailed
from qingfu.core.qr import qr_svg
from qingfu.core.scope import current_school_id
from qingfu.homework import forms, logs, plans, selectors, services, week
from qingfu.homework.forms import DEFAULT_ROWS
from qingfu.homework.models import ClassLogging, ItemKind, ItemPlace, ItemTier, LoadException
from qingfu.schools.actors import actor_from_request
from qingfu.schools.calendars import local_now, local_today
from qingfu.schools.models import SchoolClass, Subject
from qingfu.schools.selectors import access_managed_class


def _form_context(request: HttpRequest, *, rows: int = DEFAULT_ROWS) -> dict[str, Any]:
    actor = actor_from_request(request)
    taught = list(
        selectors.teachable(actor).order_by(
            "subject__sort_order", "school_class__grade__number", "school_class__number"
        )
    )
    if not taught:
        raise NotFound()
    subjects = {t.subject_id: t.subject for t in taught}
    posted = request.POST if request.method == "POST" else None
    chosen = forms.chosen_subject(posted or request.GET)
    subject_id = chosen if chosen in subjects else next(iter(subjects))
    return {
        "hints": selectors.calibration_hints(actor, subjects[subject_id]),
        "subjects": list(subjects.values()),
        "subject": subjects[subject_id],
        "classes": [t.school_class for t in taught if t.subject_id == subject_id],
        # A teacher usually sets the same homework for all their classes of a subject.
        "checked": (
            forms.chosen_classes(posted)
            if posted is not None
            else {t.school_class_id for t in taught if t.subject_id == subject_id}
        ),
        **forms.typed(posted, today=local_today(), rows=rows),
        "kinds": ItemKind.choices,
        "tiers": ItemTier.choices,
        "places": ItemPlace.choices,
    }


def _day_from_url(value: str) -> dt.date:
    """A date in a URL; a malformed one is a page that does not exist."""
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise NotFound() from exc


@login_required
def homework_new(request: HttpRequest) -> HttpResponse:
    context = _form_context(request)
    if request.method != "POST":
        # After a publish the page comes back here: its answer sits beside 发布 (and in the
        # sticky bar on a phone), where the teacher pressed it, not on another page.
        context["published"] = selectors.own_assignment(
            actor_from_request(request), forms.published_id(request.GET)
        )
        return render(request, "homework/new.html", context)
    actor = actor_from_request(request)
    try:
        draft = forms.draft_from_post(request.POST, today=local_today())
        assignment = services.homework_publish(
            actor=actor, draft=draft, exception_reason=forms.exception_reason(request.POST)
        )
    except ValidationFailed as exc:
        context["errors"] = exc.errors
        return render(request, "homework/new.html", context, status=422)
    except services.PublishBlocked as exc:
        context["blocked"] = exc
        context["checks"] = exc.checks
        context["publish_refusals"] = exc.reasons()
        return render(request, "homework/new.html", context, status=409)
    query = urlencode({"subject": assignment.subject_id, "published": assignment.pk})
    return redirect(f"{reverse('homework:new')}?{query}")


@login_required
@require_POST
def homework_check(request: HttpRequest) -> HttpResponse:
    """The live check: the form as it stands, against each selected class's day."""
    actor = actor_from_request(request)
    context: dict[str, Any] = {}
    try:
        draft = forms.draft_from_post(request.POST, today=local_today())
        if draft.class_ids and draft.items:
            context["checks"] = selectors.draft_check(actor, draft)
            subject = Subject.objects.get(id=draft.subject_id)
            context["hints"] = selectors.calibration_hints(actor, subject)
            context["subject"] = subject
        else:
            context["hint"] = _("选择班级并填写作业后，这里显示各班当天的作业总量。")
    except ValidationFailed as exc:
        context["errors"] = exc.errors
    return render(request, "homework/partials/_check.html", context)


@login_required
def item_row(request: HttpRequest) -> HttpResponse:
    raw = request.GET.get("index", "0")
    index = int(raw) if raw.isdigit() else 0
    context = _form_context(request, rows=0)
    context["row"] = {"i": min(index, selectors.MAX_ITEMS - 1), "copying_minutes": "0"}
    return render(request, "homework/partials/_item_row.html", context)


@login_required
def homework_mine(request: HttpRequest) -> HttpResponse:
    actor = actor_from_request(request)
    return render(
        request, "homework/mine.html", {"assignments": selectors.assignments_for_teacher(actor)}
    )


@login_required
def exception_list(request: HttpRequest) -> HttpResponse:
    actor = actor_from_request(request)
    as_grade_leader(actor)
    requests = selectors.exceptions_for_leader(actor)
    return render(
        request,
        "homework/exceptions.html",
        {
            "pending": requests.filter(status=LoadException.Status.PENDING),
            "decided": requests.exclude(status=LoadException.Status.PENDING)[:30],
        },
    )


@login_required
@require_POST
def exception_decide(request: HttpRequest, exception_id: int) -> HttpResponse:
    actor = actor_from_request(request)

    def decide() -> str:
        data = cleaned(forms.DecisionForm, request.POST)
        services.exception_decide(
            actor=actor,
            exception_id=exception_id,
            grant=data["decision"] == "grant",
            reason=data["reason"],
        )
        return _("已记录审批意见。")

    answer = answer_post(request, decide, to=reverse("homework:exceptions"))
    flash_errors(request, answer.errors)  # the list has no form to show them next to
    return answer.response or redirect("homework:exceptions")


# --- weekly plan and publicity board ---------------------------------------------------


@login_required
def plan_index(request: HttpRequest) -> HttpResponse:
    actor = actor_from_request(request)
    grades = plans.grades_for_planning(actor)
    if not grades:
        raise NotFound()
    this_week = plans.week_monday(local_today())
    return render(
        request,
        "homework/plan_index.html",
        {"grades": grades, "weeks": [this_week, this_week + dt.timedelta(days=7)]},
    )


@login_required
def plan_edit(request: HttpRequest, grade_id: int, week: str) -> HttpResponse:
    actor = actor_from_request(request)
    week_start = _day_from_url(week)
    plan = plans.plan_open(actor=actor, grade_id=grade_id, week_start=week_start)
    status = 200
    errors: dict[str, list[str]] = {}
    if request.method == "POST":

        def cells() -> dict[tuple[int, int, dt.date], tuple[int, str]]:
            return dict(cleaned(forms.PlanForm, request.POST)["cells"])

        def save() -> str:
            plans.plan_save(actor=actor, plan_id=plan.pk, cells=cells())
            return _("已保存。")

        def submit() -> str:
            plans.plan_save(actor=actor, plan_id=plan.pk, cells=cells())
            plans.plan_submit(actor=actor, plan_id=plan.pk)
            return _("计划已提交，等待年级组长和行政干部审核。")

        def approve() -> str:
            plans.plan_approve(actor=actor, plan_id=plan.pk)
            return _("已审核。双组长均审核后即公示。")

        def send_back() -> str:
            comment = cleaned(forms.PlanForm, request.POST)["comment"]
            plans.plan_return(actor=actor, plan_id=plan.pk, comment=comment)
            return _("计划已退回。")

        answer = answer_action(
            request,
            {"save": save, "submit": submit, "approve": approve, "return": send_back},
            default="save",
            to=request.path,
        )
        if answer.response is not None:
            return answer.response
        errors, status = answer.errors, answer.status
    grid = plans.plan_grid(plan)
    return render(
        request,
        "homework/plan_edit.html",
        {"grid": grid, "plan": plan, "errors": errors, "group": plans.group_of(plan)},
        status=status,
    )


def board(request: HttpRequest, class_id: int, week: str | None = None) -> HttpResponse:
    """The public publicity board: no sign-in, no student data, one printable A4 page."""
    week_start = _day_from_url(week) if week else plans.week_monday(local_today())
    found = plans.board_for(class_id, week_start)
    if found is None:
        return render(
            request, "homework/board_missing.html", {"week_start": week_start}, status=404
        )
    grid, changes = found
    url = request.build_absolute_uri(request.path)
    return render(
        request,
        "homework/board.html",
        {
            "grid": grid,
            "school_class": grid.classes[0],
            "changes": changes,
            "qr_svg": qr_svg(url),
            "url": url,
        },
    )


@login_required
def week_view(request: HttpRequest) -> HttpResponse:
    """This week's load: my classes, my class, my grade, the school — as the roles allow."""
    actor = actor_from_request(request)
    # One school per page: its calendar and policy apply to every class shown.
    school_id = current_school_id(request, actor)
    views = week.views_for(actor, school_id=school_id)
    if not views:
        raise NotFound()
    try:
        monday = plans.week_monday(dt.date.fromisoformat(request.GET.get("week", "")))
    except ValueError:
        monday = plans.week_monday(local_today())
    sections = {name: week.week_load(school_id, ids, monday) for name, ids in views.items()}
    breakdowns, estimates = {}, {}
    if "class" in sections:
        days = sections["class"].days
        breakdowns = {cid: week.subject_breakdown(cid, days) for cid in views["class"]}
        classes = SchoolClass.objects.in_bulk(views["class"])
        estimates = {
            cid: {d: logs.class_day_estimate(classes[cid], d) for d in days}
            for cid in views["class"]
        }
    return render(
        request,
        "homework/week.html",
        {
            "sections": sections,
            "breakdowns": breakdowns,
            "estimates": estimates,
            "monday": monday,
            "previous": monday - dt.timedelta(days=7),
            "next": monday + dt.timedelta(days=7),
        },
    )


# --- family time logs and alerts -------------------------------------------------------


@login_required
def time_log(request: HttpRequest, student_id: int, day: str) -> HttpResponse:
    """One evening's log, prefilled from the day's homework: open, check, submit."""
    actor = actor_from_request(request)
    date = _day_from_url(day)
    now = local_now()
    status, errors = 200, {}
    if request.method == "POST":  # the service checks the subjects; the form only on error

        def submit() -> str:
            data = forms.time_log(request.POST)
            logs.timelog_submit(
                actor=actor,
                student_id=student_id,
                day=date,
                minutes=data["minutes"],
                finished_at=data["finished_at"],
                could_not_finish=data["could_not_finish"],
                reason=data["reason"],
                now=now,
                at_school=data["at_school"],
            )
            return _("已记录，谢谢！")

        answer = answer_post(request, submit, to=reverse("web:home"))
        if answer.response is not None:
            return answer.response
        status, errors = answer.status, answer.errors
    form = logs.log_form(actor, student_id, date)
    typed = forms.TimeLogForm(request.POST) if request.method == "POST" else None
    entries = list(form.existing.entries.all()) if form.existing else []
    existing = {e.subject_id: e.minutes for e in entries}
    default_finish = ""
    if form.existing and form.existing.finished_at:
        default_finish = form.existing.finished_at.strftime("%H:%M")
    elif date == now.date():
        default_finish = now.replace(minute=now.minute - now.minute % 5).strftime("%H:%M")
    return render(
        request,
        "homework/time_log.html",
        {
            "form": form,
            "values": {
                line.subject_id: (typed and typed.typed_minutes(line.subject_id))
                or existing.get(line.subject_id, line.estimated)
                for line in form.lines
            },
            "finished_at": typed.data.get("finished_at", default_finish)
            if typed
            else default_finish,
            "at_school": (
                typed.typed_at_school() if typed else {e.subject_id for e in entries if e.at_school}
            ),
            "errors": errors,
        },
        status=status,
    )


@login_required
def alert_list(request: HttpRequest) -> HttpResponse:
    actor = actor_from_request(request)
    as_teacher(actor)
    return render(request, "homework/alerts.html", {"alerts": logs.alerts_for(actor)})


@login_required
def class_logging(request: HttpRequest, class_id: int) -> HttpResponse:
    """How the class logs homework time: everyone, or a rotating sample panel."""
    actor = actor_from_request(request)
    school_class = access_managed_class(actor, class_id)
    setting = ClassLogging.objects.filter(school_class=school_class).first()
    status, errors = 200, {}
    if request.method == "POST":

        def save() -> str:
            data = cleaned(forms.LoggingForm, request.POST)
            logs.class_logging_set(
                actor=actor,
                class_id=class_id,
                mode=data["mode"],
                per_day=data["per_day"] or 0,
                min_gap_days=data["min_gap_days"] or 0,
            )
            return _("已保存。")

        answer = answer_post(request, save, to=request.path)
        if answer.response is not None:
            return answer.response
        errors, status = answer.errors, answer.status
    today = local_today()
    panel = logs.panel(school_class, today)
    return render(
        request,
        "homework/class_logging.html",
        {
            "school_class": school_class,
            "setting": setting or ClassLogging(school_class=school_class),
            "errors": errors,
            "panel_size": None if panel is None else len(panel),
            "modes": ClassLogging.Mode.choices,
        },
        status=status,
    )
