"""Homework pages: authoring with the live load check, my homework, exception approval."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qingfu.core.errors import NotFound, ValidationFailed
from qingfu.core.qr import qr_svg
from qingfu.core.scope import current_school_id
from qingfu.homework import logs, plans, selectors, services, week
from qingfu.homework.forms import DEFAULT_ROWS, draft_from_post
from qingfu.homework.models import ClassLogging, ItemKind, ItemPlace, ItemTier, LoadException
from qingfu.schools.actors import actor_from_request
from qingfu.schools.calendars import local_now, local_today
from qingfu.schools.models import SchoolClass, Subject


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
    chosen = request.POST.get("subject") or request.GET.get("subject")
    subject_id = (
        int(chosen)
        if chosen and chosen.isdigit() and int(chosen) in subjects
        else next(iter(subjects))
    )
    today = local_today()
    return {
        "hints": selectors.calibration_hints(actor, subjects[subject_id]),
        "subjects": list(subjects.values()),
        "subject": subjects[subject_id],
        "classes": [t.school_class for t in taught if t.subject_id == subject_id],
        # A teacher usually sets the same homework for all their classes of a subject.
        "checked": (
            {int(c) for c in request.POST.getlist("classes") if c.isdigit()}
            if request.method == "POST"
            else {t.school_class_id for t in taught if t.subject_id == subject_id}
        ),
        "date": request.POST.get("date") or today.isoformat(),
        "due_on": request.POST.get("due_on") or (today + dt.timedelta(days=1)).isoformat(),
        "rows": [_row_values(request.POST, i) for i in range(_row_count(request, rows))],
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


ROW_FIELDS = ("content", "kind", "tier", "place", "minutes", "copying_minutes")
ROW_FLAGS = ("optional", "needs_phone", "asks_parents_to_grade", "is_punitive")


def _row_count(request: HttpRequest, default: int) -> int:
    posted = [
        int(k.split("-")[1])
        for k in request.POST
        if k.startswith("items-") and k.split("-")[1].isdigit()
    ]
    return min(max(default, max(posted, default=-1) + 1), selectors.MAX_ITEMS)


def _row_values(post: Any, index: int) -> dict[str, Any]:
    """One item row as the teacher left it, so a re-shown form loses nothing."""
    row: dict[str, Any] = {"i": index}
    for name in ROW_FIELDS:
        row[name] = post.get(f"items-{index}-{name}", "")
    for name in ROW_FLAGS:
        row[name] = post.get(f"items-{index}-{name}") == "on"
    row["ability_elements"] = post.getlist(f"items-{index}-ability_elements")
    return row


@login_required
def homework_new(request: HttpRequest) -> HttpResponse:
    context = _form_context(request)
    if request.method != "POST":
        return render(request, "homework/new.html", context)
    actor = actor_from_request(request)
    wants_exception = "request_exception" in request.POST
    try:
        draft = draft_from_post(request.POST, today=local_today())
        assignment = services.homework_publish(
            actor=actor,
            draft=draft,
            exception_reason=request.POST.get("exception_reason", "") if wants_exception else None,
        )
    except ValidationFailed as exc:
        context["errors"] = exc.errors
        return render(request, "homework/new.html", context, status=422)
    except services.PublishBlocked as exc:
        context["blocked"] = exc
        context["checks"] = exc.checks
        return render(request, "homework/new.html", context, status=409)
    if assignment.status == assignment.Status.PENDING:
        messages.info(request, _("已提交例外申请，年级组长审批后自动发布。"))
    else:
        messages.success(request, _("作业已发布。"))
    return redirect("homework:mine")


@login_required
@require_POST
def homework_check(request: HttpRequest) -> HttpResponse:
    """The live check: the form as it stands, against each selected class's day."""
    actor = actor_from_request(request)
    context: dict[str, Any] = {}
    try:
        draft = draft_from_post(request.POST, today=local_today())
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
    if not actor.led_grade_ids:
        raise NotFound()
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
    try:
        services.exception_decide(
            actor=actor,
            exception_id=exception_id,
            grant=request.POST.get("decision") == "grant",
            reason=request.POST.get("reason", ""),
        )
        messages.success(request, _("已记录审批意见。"))
    except ValidationFailed as exc:
        for problems in exc.errors.values():
            for problem in problems:
                messages.error(request, problem)
    return redirect("homework:exceptions")


# --- weekly plan and publicity board ---------------------------------------------------


def _parse_cells(post: Any) -> dict[tuple[int, int, dt.date], tuple[int, str]]:
    cells: dict[tuple[int, int, dt.date], tuple[int, str]] = {}
    errors: dict[str, list[str]] = {}
    for key, raw in post.items():
        if not key.startswith("m-"):
            continue
        try:
            _, class_id, subject_id, day = key.split("-", 3)
            cell = (int(class_id), int(subject_id), dt.date.fromisoformat(day))
        except ValueError:
            continue
        text = str(raw).strip() or "0"
        if not text.isdigit():
            errors[f"cell-{class_id}-{subject_id}-{day}"] = [_("计划用时应为分钟数。")]
            continue
        cells[cell] = (int(text), str(post.get("c" + key[1:], "")))
    if errors:
        raise ValidationFailed(errors)
    return cells


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
        action = request.POST.get("action", "save")
        try:
            if action in ("save", "submit"):
                plans.plan_save(actor=actor, plan_id=plan.pk, cells=_parse_cells(request.POST))
            if action == "submit":
                plans.plan_submit(actor=actor, plan_id=plan.pk)
                messages.success(request, _("计划已提交，等待年级组长和行政干部审核。"))
            elif action == "approve":
                plan = plans.plan_approve(actor=actor, plan_id=plan.pk)
                messages.success(request, _("已审核。双组长均审核后即公示。"))
            elif action == "return":
                plans.plan_return(
                    actor=actor, plan_id=plan.pk, comment=request.POST.get("comment", "")
                )
                messages.success(request, _("计划已退回。"))
            else:
                messages.success(request, _("已保存。"))
            return redirect(request.path)
        except ValidationFailed as exc:
            errors, status = exc.errors, 422
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
        try:
            minutes: dict[int, int] = {}
            at_school: set[int] = set()
            for name in request.POST:
                kind, _dash, subject = name.partition("-")
                if not subject.isdigit():
                    continue
                value = request.POST.get(name, "").strip()
                if kind == "a" and value == "on":
                    at_school.add(int(subject))
                elif kind == "m":
                    if not (value or "0").isdigit():
                        raise ValidationFailed.single(f"minutes.{subject}", _("用时应为分钟数。"))
                    minutes[int(subject)] = int(value or "0")
            finished_raw = request.POST.get("finished_at", "").strip()
            try:
                finished = dt.time.fromisoformat(finished_raw) if finished_raw else None
            except ValueError as exc:
                raise ValidationFailed.single("finished_at", _("时间格式应为 21:05。")) from exc
            logs.timelog_submit(
                actor=actor,
                student_id=student_id,
                day=date,
                minutes=minutes,
                finished_at=finished,
                could_not_finish=request.POST.get("could_not_finish") == "on",
                reason=request.POST.get("reason", ""),
                now=now,
                at_school=at_school,
            )
            messages.success(request, _("已记录，谢谢！"))
            return redirect("web:home")
        except ValidationFailed as exc:
            status, errors = 422, exc.errors
    form = logs.log_form(actor, student_id, date)
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
                line.subject_id: request.POST.get(f"m-{line.subject_id}")
                or existing.get(line.subject_id, line.estimated)
                for line in form.lines
            },
            "finished_at": request.POST.get("finished_at", default_finish),
            "at_school": (
                {line.subject_id for line in form.lines if request.POST.get(f"a-{line.subject_id}")}
                if request.method == "POST"
                else {e.subject_id for e in entries if e.at_school}
            ),
            "errors": errors,
        },
        status=status,
    )


@login_required
def alert_list(request: HttpRequest) -> HttpResponse:
    actor = actor_from_request(request)
    if actor.teacher_id is None:
        raise NotFound()
    return render(request, "homework/alerts.html", {"alerts": logs.alerts_for(actor)})


@login_required
def class_logging(request: HttpRequest, class_id: int) -> HttpResponse:
    """How the class logs homework time: everyone, or a rotating sample panel."""
    actor = actor_from_request(request)
    school_class = SchoolClass.objects.filter(id=class_id).select_related("grade").first()
    if school_class is None or not (
        class_id in actor.head_class_ids or school_class.school_id in actor.admin_school_ids
    ):
        raise NotFound()
    setting = ClassLogging.objects.filter(school_class=school_class).first()
    status, errors = 200, {}
    if request.method == "POST":
        try:
            logs.class_logging_set(
                actor=actor,
                class_id=class_id,
                mode=request.POST.get("mode", ""),
                per_day=int(request.POST.get("per_day") or 0),
                min_gap_days=int(request.POST.get("min_gap_days") or 0),
            )
            messages.success(request, _("已保存。"))
            return redirect(request.path)
        except ValueError:
            errors, status = {"per_day": [_("请填写数字。")]}, 422
        except ValidationFailed as exc:
            errors, status = exc.errors, 422
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
