"""The burden pages: the issuer clerk's demands (a refusal shown next to the form with its
rule and source), the leader's and the campaign office's approval queues, the receiver's
month (with the report of a demand that came outside Qingfu and the 一表通 download), and
the campaign office's board. Every POST goes through a form and one service."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.forms import Form as DjangoForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from qingfu.burden import answers, charts, forms, keep, selectors, services
from qingfu.burden.models import (
    AppOrGroup,
    Demand,
    ListEntry,
    ObservationReport,
    UnregisteredReport,
)
from qingfu.core.access import as_unit_member
from qingfu.core.actor import Actor
from qingfu.core.edge import Answer, answer_action, answer_post, valid
from qingfu.core.errors import NotFound, ValidationFailed
from qingfu.core.roles import Role
from qingfu.core.scope import current_district_id, current_school_id, current_unit_id
from qingfu.policy import burden as policy
from qingfu.policy.verdicts import Verdict
from qingfu.schools.actors import actor_from_request
from qingfu.schools.calendars import local_today
from qingfu.schools.models import Teacher, Unit

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _month(request: HttpRequest, today: dt.date) -> tuple[dt.date, dt.date]:
    try:
        first = dt.date.fromisoformat(f"{request.GET.get('month', '')}-01")
    except ValueError:
        first = today.replace(day=1)
    following = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return first, following - dt.timedelta(days=1)


# --- the issuer clerk ----------------------------------------------------------------------


@login_required
def demands_page(request: HttpRequest) -> HttpResponse:
    actor = actor_from_request(request)
    as_unit_member(actor, Role.ISSUER_CLERK)
    unit_id = current_unit_id(request, actor, among=actor.units_as(Role.ISSUER_CLERK))
    status, errors = 200, {}
    refusal: list[Verdict] = []
    warnings: list[Verdict] = []
    form = forms.DemandForm(initial={"issuer": unit_id, "staff_hours": 1})
    draft_id: int | None = None
    if request.method == "POST":
        form = forms.DemandForm(request.POST)
        holder: dict[str, Any] = {}

        def submit() -> str:
            valid(form)
            try:
                demand = services.demand_create_and_submit(
                    actor=actor,
                    issuer_id=form.cleaned_data["issuer"],
                    data=form.demand_input(),
                    confirm=form.cleaned_data["confirm"],
                    draft_id=form.cleaned_data["draft"],
                )
            except ValidationFailed as exc:
                holder["exc"] = exc
                raise
            return _submitted_message(demand)

        def withdraw() -> str:
            data = valid(forms.DraftForm(request.POST)).cleaned_data
            services.demand_withdraw(actor=actor, demand_id=data["demand"])
            return _("已撤回。")

        answer = answer_action(request, {"submit": submit, "withdraw": withdraw}, default="submit")
        if answer.response is not None:
            return answer.response
        status, errors = answer.status, answer.errors
        exc = holder.get("exc")
        draft_id = getattr(exc, "draft_id", None)
        if isinstance(exc, services.DemandRefused):
            refusal, errors = exc.verdicts, {}
        elif isinstance(exc, services.DemandWarned):
            warnings, errors = exc.verdicts, {}
    today = local_today()
    unit = Unit.objects.get(pk=unit_id)
    units, schools = selectors.receiver_choices(unit.district_id)
    return render(
        request,
        "burden/demands.html",
        {
            "unit": unit,
            "form": form,
            "selected_units": {str(v) for v in form["receiver_units"].value() or []},
            "selected_schools": {str(v) for v in form["receiver_schools"].value() or []},
            "errors": errors,
            "refusal": refusal,
            "warnings": warnings,
            "draft_id": draft_id,
            "kinds": Demand.Kind.choices,
            "receiver_units": units,
            "receiver_schools": schools,
            "plan": selectors.plan_entries(actor, unit_id, today.year),
            "list_entries": selectors.list_entries(unit.district_id),
            "evidence": forms.EVIDENCE_CHOICES,
            "demands": selectors.demands_issued(actor, unit_id)[:20],
            "today": today,
            "meeting_free": policy.meeting_free_days(
                selectors.profile_for_district(unit.district_id),
                year=today.year,
                month=today.month,
            ),
        },
        status=status,
    )


def _submitted_message(demand: Demand) -> str:
    if demand.status == Demand.Status.SENT:
        return _("“%(title)s”已下发。") % {"title": demand.title}
    if demand.status == Demand.Status.PENDING_LEADER:
        return _("“%(title)s”已提交分管领导审核。") % {"title": demand.title}
    return _("“%(title)s”已报减负办审批。") % {"title": demand.title}


# --- approvals -----------------------------------------------------------------------------


@login_required
def approvals_page(request: HttpRequest) -> HttpResponse:
    actor = actor_from_request(request)
    as_unit_member(actor, Role.ISSUER_LEADER, Role.CAMPAIGN_OFFICER)
    status, errors = 200, {}
    if request.method == "POST":

        def decide() -> str:
            data = valid(forms.DecisionForm(request.POST)).cleaned_data
            demand = services.demand_decide(
                actor=actor,
                demand_id=data["demand"],
                role=data["role"],
                approve=data["approve"],
                reason=data["reason"],
            )
            return _("“%(title)s”：%(status)s。") % {
                "title": demand.title,
                "status": demand.get_status_display(),
            }

        answer = answer_post(request, decide)
        if answer.response is not None:
            return answer.response
        status, errors = answer.status, answer.errors
    return render(
        request,
        "burden/approvals.html",
        {
            "leader_queue": selectors.leader_queue(actor),
            "office_queue": selectors.office_queue(actor),
            "is_leader": bool(actor.units_as(Role.ISSUER_LEADER)),
            "is_office": bool(actor.units_as(Role.CAMPAIGN_OFFICER)),
            "errors": errors,
        },
        status=status,
    )


# --- the receiver --------------------------------------------------------------------------


def _receiver(request: HttpRequest, actor: Actor) -> tuple[int | None, int | None]:
    """(unit id, school id) this request receives as: a town, community or village, or the
    school the admin runs."""
    if actor.units_as(Role.RECEIVER):
        return current_unit_id(request, actor, among=actor.units_as(Role.RECEIVER)), None
    if actor.admin_school_ids:
        return None, current_school_id(request, actor, among=actor.admin_school_ids)
    raise NotFound()


@login_required
def received_page(request: HttpRequest) -> HttpResponse:
    actor = actor_from_request(request)
    unit_id, school_id = _receiver(request, actor)
    today = local_today()
    status, errors = 200, {}
    form = forms.ReportForm(initial={"day": today, "channel": "wechat"})
    if request.method == "POST":
        form = forms.ReportForm(request.POST)

        def report() -> str:
            valid(form)
            services.report_create(
                actor=actor, unit_id=unit_id, school_id=school_id, data=form.report_input()
            )
            return _("已报告减负办，谢谢。")

        def observe() -> str:
            posted = valid(forms.ObservationForm(request.POST))
            if unit_id is None:
                raise NotFound()
            services.observation_report_save(
                actor=actor, unit_id=unit_id, data=posted.observation_input()
            )
            return _("观察点月报已提交。")

        def name_handlers() -> str:
            posted = valid(forms.HandlersForm(request.POST))
            if school_id is None:
                raise NotFound()
            named = services.demand_handlers_set(
                actor=actor,
                school_id=school_id,
                demand_id=posted.cleaned_data["demand"],
                teacher_ids=posted.cleaned_data["teachers"],
            )
            if not named:
                return _("未指定承办人：工时由全校教师分担。")
            return _("承办人：%(names)s。") % {"names": "、".join(t.name for t in named)}

        answer: Answer = answer_action(
            request,
            {"report": report, "observe": observe, "handlers": name_handlers},
            default="report",
        )
        if answer.response is not None:
            return answer.response
        status, errors = answer.status, answer.errors
    first, last = _month(request, today)
    demands = list(
        selectors.demands_received(
            actor, unit_id=unit_id, school_id=school_id, first=first, last=last
        )
    )
    district_id = selectors.receiver_district(unit_id=unit_id, school_id=school_id)
    hours = sum(d.staff_hours for d in demands)
    handlers: dict[int, list[Teacher]] = {}
    teachers: list[Teacher] = []
    if school_id is not None:
        handlers = selectors.handlers_by_demand(school_id, (d.pk for d in demands))
        teachers = list(selectors.school_teachers(school_id))
        for d in demands:
            d.handler_list = handlers.get(d.pk, [])  # type: ignore[attr-defined]
            d.handler_ids = {t.pk for t in d.handler_list}  # type: ignore[attr-defined]
    point, observation = False, None
    if unit_id is not None:
        point = Unit.objects.filter(pk=unit_id, is_observation_point=True).exists()
        observation = ObservationReport.objects.filter(unit_id=unit_id, month=first).first()
    return render(
        request,
        "burden/received.html",
        {
            "demands": demands,
            "hours": hours,
            "school_id": school_id,
            "teachers": teachers,
            "first": first,
            "form": form,
            "errors": errors,
            "issuers": selectors.issuers_of(district_id),
            "channels": UnregisteredReport.Channel.choices,
            "reports": selectors.reports_for(actor)[:20],
            "today": today,
            "observation_point": point,
            "observation": observation,
            "compared": ObservationReport.Compared.choices,
        },
        status=status,
    )


@login_required
def answer_download(request: HttpRequest, demand_id: int) -> HttpResponse:
    actor = actor_from_request(request)
    unit_id, school_id = _receiver(request, actor)
    answer = answers.data_request_answer(
        actor, demand_id, unit_id=unit_id, school_id=school_id, today=local_today()
    )
    response = HttpResponse(answers.answer_xlsx(answer), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''yibiaotong-{demand_id}.xlsx"
    return response


# --- the campaign office ------------------------------------------------------------------


@login_required
def board_page(request: HttpRequest) -> HttpResponse:
    actor = actor_from_request(request)
    as_unit_member(actor, Role.CAMPAIGN_OFFICER)
    district_id = _campaign_district_id(request, actor)
    status, errors = 200, {}
    if request.method == "POST":

        def handle() -> str:
            data = valid(forms.HandleForm(request.POST)).cleaned_data
            services.report_handle(actor=actor, report_id=data["report"], note=data["note"])
            return _("处理情况已记录。")

        answer = answer_post(request, handle, to=reverse("burden:board"))
        if answer.response is not None:
            return answer.response
        status, errors = answer.status, answer.errors
    today = local_today()
    issuer = request.GET.get("issuer", "")
    board = selectors.board_for(
        actor, district_id, today=today, issuer_id=int(issuer) if issuer.isdigit() else None
    )
    receiver = None
    raw = request.GET.get("receiver", "")
    if raw.lstrip("-").isdigit():
        first, last = _month(request, today)
        receiver = selectors.receiver_month(
            actor, district_id, key=int(raw), first=first, last=last
        )
    return render(
        request,
        "burden/board.html",
        {
            "board": board,
            "receiver": receiver,
            "rows": charts.count_table(board),
            "charts": charts.board_charts(board),
            "reports": selectors.reports_for(actor)[:30],
            "pending": selectors.office_queue(actor).count(),
            "errors": errors,
        },
        status=status,
    )


# --- apps and work groups ------------------------------------------------------------------

BURDEN_ROLES = (Role.ISSUER_CLERK, Role.ISSUER_LEADER, Role.CAMPAIGN_OFFICER, Role.RECEIVER)


@login_required
def apps_page(request: HttpRequest) -> HttpResponse:
    """A unit's apps, public accounts and work groups: registered with purpose and owner,
    kept, merged or closed in the clean-up, forced features flagged."""
    actor = actor_from_request(request)
    # The county's offices and grassroots units keep apps; a training institution is a
    # unit too, but its staff have no part in the burden registry (the uniform 404).
    units = as_unit_member(actor, *BURDEN_ROLES)
    unit_id = current_unit_id(request, actor, among=units)
    status, errors = 200, {}
    form = forms.AppForm(initial={"unit": unit_id, "kind": "wechat", "status": "kept"})
    if request.method == "POST":
        posted = forms.AppForm(request.POST)

        def register() -> str:
            valid(posted)
            app = services.app_save(
                actor=actor, unit_id=posted.cleaned_data["unit"], data=posted.app_input()
            )
            return _("“%(name)s”已登记。") % {"name": app.name}

        def change() -> str:
            data = valid(forms.AppStatusForm(request.POST)).cleaned_data
            app = services.app_set_status(actor=actor, app_id=data["app"], status=data["status"])
            return _("“%(name)s”：%(status)s。") % {
                "name": app.name,
                "status": app.get_status_display(),
            }

        answer = answer_action(request, {"register": register, "status": change})
        if answer.response is not None:
            return answer.response
        status, errors, form = answer.status, answer.errors, posted
    unit = Unit.objects.get(pk=unit_id)
    apps = list(selectors.apps_for(actor).filter(unit_id=unit_id))
    return render(
        request,
        "burden/apps.html",
        {
            "unit": unit,
            "apps": apps,
            "form": form,
            "errors": errors,
            "kinds": AppOrGroup.Kind.choices,
            "statuses": AppOrGroup.Status.choices,
            "features": forms.FEATURE_CHOICES,
            "counts": {s: sum(1 for a in apps if a.status == s) for s in AppOrGroup.Status.values},
        },
        status=status,
    )


# --- the year's plan, the lists, the observation points ------------------------------------


def _year(request: HttpRequest, today: dt.date) -> int:
    raw = request.GET.get("year", "")
    return (
        int(raw) if raw.isdigit() and today.year - 5 <= int(raw) <= today.year + 1 else today.year
    )


def _campaign_district_id(request: HttpRequest, actor: Actor) -> int:
    """The county whose campaign office this request acts for (``?district=``)."""
    return current_district_id(request, actor, among=selectors.campaign_districts(actor))


def _keep_entries(
    request: HttpRequest, actor: Actor, keeping: keep.Keeping[Any], **scope: Any
) -> tuple[Answer, DjangoForm]:
    """A POST to a page that keeps a list of entries (the year's plan, the county's lists):
    ``add`` one through the list's form and service, or ``remove`` one by id, as the API
    does (:mod:`qingfu.burden.keep`). Returns the answer and the posted form, to show
    again with its errors."""
    posted = keeping.form(request.POST)

    def add() -> str:
        return keeping.add(actor, valid(posted).cleaned_data, **scope)

    def remove() -> str:
        entry_id = valid(forms.EntryForm(request.POST)).cleaned_data["entry"]
        return keeping.remove(actor, entry_id)

    return answer_action(request, {"add": add, "remove": remove}, default="add"), posted


@login_required
def plan_page(request: HttpRequest) -> HttpResponse:
    """The year's inspection plan (督查检查考核年度计划): an office's clerk or leader files its
    entries (a demand naming one is "on the plan"); the campaign office sees every office's."""
    actor = actor_from_request(request)
    as_unit_member(actor, Role.ISSUER_CLERK, Role.ISSUER_LEADER, Role.CAMPAIGN_OFFICER)
    issuers = actor.units_as(Role.ISSUER_CLERK, Role.ISSUER_LEADER)
    unit_id = current_unit_id(request, actor, among=issuers) if issuers else None
    today = local_today()
    year = _year(request, today)
    status, errors = 200, {}
    form: DjangoForm = forms.PlanEntryForm(initial={"issuer": unit_id, "year": year})
    if request.method == "POST":
        answer, form = _keep_entries(request, actor, keep.PLAN)
        if answer.response is not None:
            return answer.response
        status, errors = answer.status, answer.errors
    mine = list(selectors.plan_entries(actor, unit_id, year)) if unit_id is not None else []
    # The campaign office reads the plans of the one county it acts in (``?district=`` for
    # an officer of several), never every county's at once.
    offices = selectors.campaign_districts(actor)
    county = (
        list(selectors.county_plans(actor, year, _campaign_district_id(request, actor)))
        if offices
        else []
    )
    return render(
        request,
        "burden/plan.html",
        {
            "unit": Unit.objects.get(pk=unit_id) if unit_id is not None else None,
            "year": year,
            "years": [today.year - 1, today.year, today.year + 1],
            "editable": year >= today.year,
            "mine": mine,
            "county": county,
            "in_use": selectors.plan_entries_in_use(e.pk for e in mine),
            "months": range(1, 13),
            "form": form,
            "errors": errors,
        },
        status=status,
    )


@login_required
def lists_page(request: HttpRequest) -> HttpResponse:
    """The county's access list (准入清单), certificate list and campus whitelist (社会事务进
    校园白名单), kept by the campaign office: what a task, a certificate or a social affair
    entering campus is checked against."""
    actor = actor_from_request(request)
    as_unit_member(actor, Role.CAMPAIGN_OFFICER)
    district_id = _campaign_district_id(request, actor)
    status, errors = 200, {}
    form: DjangoForm = forms.ListEntryForm(initial={"kind": request.GET.get("kind", "task")})
    if request.method == "POST":
        answer, form = _keep_entries(request, actor, keep.LISTS, district_id=district_id)
        if answer.response is not None:
            return answer.response
        status, errors = answer.status, answer.errors
    entries = list(selectors.list_entries(district_id))
    profile = selectors.profile_for_district(district_id)
    whitelist = sum(1 for e in entries if e.kind == ListEntry.Kind.CAMPUS_ACTIVITY)
    return render(
        request,
        "burden/lists.html",
        {
            "lists": [
                (value, label, [e for e in entries if e.kind == value])
                for value, label in ListEntry.Kind.choices
            ],
            "in_use": selectors.list_entries_in_use(e.pk for e in entries),
            "whitelist": policy.check_campus_whitelist(profile, items=whitelist),
            "kinds": ListEntry.Kind.choices,
            "form": form,
            "errors": errors,
        },
        status=status,
    )


@login_required
def points_page(request: HttpRequest) -> HttpResponse:
    """The campaign office chooses its observation points (减负观察点) among the county's
    towns, communities and villages; they report on their month's burden."""
    actor = actor_from_request(request)
    as_unit_member(actor, Role.CAMPAIGN_OFFICER)
    district_id = _campaign_district_id(request, actor)
    status, errors = 200, {}
    if request.method == "POST":

        def choose() -> str:
            d = valid(forms.ObservationPointsForm(request.POST)).cleaned_data
            points = services.observation_points_set(
                actor=actor, district_id=district_id, unit_ids=d["units"]
            )
            return _("已设置 %(count)s 个减负观察点。") % {"count": len(points)}

        answer = answer_post(request, choose, to=reverse("burden:points"))
        if answer.response is not None:
            return answer.response
        status, errors = answer.status, answer.errors
    units = selectors.observation_candidates(actor, district_id)
    return render(
        request,
        "burden/points.html",
        {
            "units": units,
            "points": sum(1 for u in units if u.is_observation_point),
            "errors": errors,
        },
        status=status,
    )
