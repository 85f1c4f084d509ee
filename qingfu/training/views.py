"""Training pages: the public lookup and complaint form (no sign-in), the training officer's
registry and complaints, and an institution's own filings. Each POST names one action that
maps to a service; a refusal comes back as the form's errors with status 422."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from qingfu.core.access import as_training_officer, as_unit_member
from qingfu.core.actor import Actor
from qingfu.core.edge import answer_action, answer_post, cleaned, posted_action, valid
from qingfu.core.errors import ValidationFailed
from qingfu.core.qr import qr_svg
from qingfu.core.roles import Role
from qingfu.core.scope import current_district_id, current_unit_id
from qingfu.core.signin import client_address
from qingfu.schools.actors import actor_from_request
from qingfu.schools.calendars import local_today
from qingfu.schools.models import District
from qingfu.training import forms, selectors, services
from qingfu.training import registry_import as imports
from qingfu.training.models import (
    Category,
    Complaint,
    Filing,
    Institution,
    Subcategory,
)

Errors = dict[str, list[str]]


def _shown(form: Any, errors: Errors) -> Any:
    """A form bound to the POST that failed, with the service's errors on its fields too
    (a credit code's check digit, an unknown course), so each shows next to its input."""
    if form.is_bound:
        form.is_valid()
        for name, problems in errors.items():
            if name in form.fields and name not in form.errors:
                for problem in problems:
                    form.add_error(name, problem)
    return form


# --- public ------------------------------------------------------------------------------------


def lookup(request: HttpRequest) -> HttpResponse:
    """Find an institution by name or credit code: public, phone-first."""
    query = request.GET.get("q", "")[:60]
    # The labels looked up once per page, not per row: a model's get_…_display hashes its
    # lazy choices on every call, a third of the page's time for 50 rows.
    categories, subcategories = dict(Category.choices), dict(Subcategory.choices)
    statuses = dict(Institution.Status.choices)
    rows = [
        {
            "pk": i.pk,
            "name": i.unit.name,
            "category": categories.get(i.category, i.category),
            "subcategory": subcategories.get(i.subcategory, i.subcategory),
            "credit_code": i.credit_code,
            "status": i.status,
            "status_label": statuses.get(i.status, i.status),
        }
        for i in selectors.public_search(query)
    ]
    return render(request, "training/lookup.html", {"query": query, "institutions": rows})


def institution_page(request: HttpRequest, institution_id: int) -> HttpResponse:
    """An institution's public page, the one its door's QR code opens."""
    found = selectors.public_institution(institution_id)
    url = request.build_absolute_uri(request.path)
    return render(
        request,
        "training/institution.html",
        {"found": found, "i": found.institution, "qr_svg": qr_svg(url), "url": url},
    )


def complaint_new(request: HttpRequest) -> HttpResponse:
    """投诉举报 without sign-in; the reporter gets a reference and a private link."""
    institution_id = request.GET.get("i", "")
    initial = {"institution_id": institution_id} if institution_id.isdigit() else {}
    errors: Errors = {}
    status = 200
    made: list[Complaint] = []
    if request.method == "POST":

        def submit() -> str:
            data = cleaned(forms.ComplaintForm, request.POST)
            made.append(
                services.complaint_submit(
                    district_id=data["district_id"],
                    institution_id=data["institution_id"],
                    institution_name=data["institution_name"],
                    what_happened=data["what_happened"],
                    contact=data["contact"],
                    address=client_address(request) or "unknown",
                )
            )
            return _("已受理，请记下受理编号 %(ref)s，并保存查询链接。") % {
                "ref": made[0].reference
            }

        answer = answer_post(request, submit, to=lambda: _follow_url(made[0]))
        if answer.response is not None:
            return answer.response
        status, errors = answer.status, answer.errors
    return render(
        request,
        "training/complaint_new.html",
        {
            "form": _shown(forms.ComplaintForm(request.POST or None, initial=initial), errors),
            "errors": errors,
            "institutions": _complaint_choices(),
            # Where an unlisted institution is, when the deployment serves several districts.
            "districts": list(District.objects.order_by("name").values_list("pk", "name"))[:100],
        },
        status=status,
    )


def _complaint_choices() -> list[tuple[int, str]]:
    return list(Institution.objects.order_by("unit__name").values_list("pk", "unit__name")[:500])


def _follow_url(complaint: Complaint) -> str:
    return reverse("training:follow", args=[complaint.reference]) + f"?t={complaint.follow_token}"


def complaint_follow(request: HttpRequest, reference: str) -> HttpResponse:
    """The reporter's private page: the complaint's status and dated notes (no contact)."""
    complaint = selectors.complaint_follow(reference, request.GET.get("t", ""))
    return render(
        request,
        "training/follow.html",
        {
            "c": complaint,
            "events": complaint.events.all(),
            "url": request.build_absolute_uri(_follow_url(complaint)),
        },
    )


def complaint_find(request: HttpRequest) -> HttpResponse:
    """Find one's complaint by reference and follow code (for someone who lost the link)."""
    data = request.GET if "reference" in request.GET else None
    form = forms.FollowForm(data)
    if data is not None and form.is_valid():
        complaint = selectors.complaint_follow(
            form.cleaned_data["reference"], form.cleaned_data["token"]
        )
        return render(
            request,
            "training/follow.html",
            {"c": complaint, "events": complaint.events.all(), "url": ""},
        )
    return render(request, "training/find.html", {"form": form})


# --- the training officer --------------------------------------------------------------------


def _officer_district(request: HttpRequest, actor: Actor) -> District:
    district_id = current_district_id(request, actor, among=as_training_officer(actor))
    return selectors.officer_district(actor, district_id)


@login_required
def registry(request: HttpRequest) -> HttpResponse:
    """The district's registry: counts by category and status, the list, a new entry."""
    actor = actor_from_request(request)
    district = _officer_district(request, actor)
    errors: Errors = {}
    status = 200
    if request.method == "POST":

        def create() -> str:
            form = valid(forms.InstitutionForm(request.POST))
            made = services.institution_create(
                actor=actor, district_id=district.pk, data=form.institution_input()
            )
            return _("“%(name)s”已登记在册。") % {"name": made.name}

        answer = answer_post(request, create)
        if answer.response is not None:
            return answer.response
        status, errors = answer.status, answer.errors
    category = request.GET.get("category", "")
    state = request.GET.get("status", "")
    counts = selectors.registry_counts(actor, district_id=district.pk)
    rows = selectors.registry_for(
        actor,
        district_id=district.pk,
        category=category if category in Category.values else "",
        status=state if state in Institution.Status.values else "",
        query=request.GET.get("q", "")[:60],
    )
    return render(
        request,
        "training/registry.html",
        {
            "district": district,
            "institutions": rows,
            "counts": counts,
            "categories": Category.choices,
            "statuses": Institution.Status.choices,
            "category": category,
            "state": state,
            "query": request.GET.get("q", ""),
            "form": _shown(forms.InstitutionForm(request.POST if errors else None), errors),
            "errors": errors,
        },
        status=status,
    )


@login_required
def registry_import(request: HttpRequest) -> HttpResponse:
    """Import the district's registry spreadsheet: every row, or none with each bad row."""
    actor = actor_from_request(request)
    district = _officer_district(request, actor)
    context: dict[str, Any] = {"district": district, "columns": imports.column_headings()}
    status = 200
    posted = request.method == "POST"
    form = forms.RegistryUploadForm(request.POST, request.FILES) if posted else None
    if form is not None and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            context["result"] = imports.registry_import(
                actor=actor,
                district_id=district.pk,
                filename=upload.name or "",
                data=upload.read(),
            )
            form = None
        except imports.RegistryInvalid as exc:
            context["row_errors"] = exc.row_errors
            status = 422
        except ValidationFailed as exc:
            context["file_errors"] = [m for ms in exc.errors.values() for m in ms]
            status = 422
    elif form is not None:
        context["file_errors"] = form.errors["file"]
        status = 422
    context["form"] = form or forms.RegistryUploadForm()
    return render(request, "training/registry_import.html", context, status=status)


@login_required
def institution_edit(request: HttpRequest, institution_id: int) -> HttpResponse:
    """The officer's page of one institution: entry, status with history, trainers, filings."""
    actor = actor_from_request(request)
    as_training_officer(actor)
    institution = selectors.institution_for_officer(actor, institution_id)
    errors: Errors = {}
    status = 200
    if request.method == "POST":
        answer = answer_action(request, _officer_actions(request, actor, institution))
        if answer.response is not None:
            return answer.response
        status, errors = answer.status, answer.errors
    entry = {
        "name": institution.name,
        "credit_code": institution.credit_code,
        "licence_number": institution.licence_number,
        "licence_from": institution.licence_from,
        "licence_to": institution.licence_to,
        "category": institution.category,
        "subcategory": institution.subcategory,
        "is_nonprofit": institution.is_nonprofit,
        "address": institution.address,
        "area_m2": institution.area_m2,
    }
    action = posted_action(request) if errors else ""  # which form to show again
    return render(
        request,
        "training/institution_edit.html",
        {
            "i": institution,
            "entry_form": _shown(
                forms.InstitutionForm(request.POST if action == "update" else None, initial=entry),
                errors,
            ),
            "status_form": _shown(
                forms.StatusForm(request.POST if action == "status" else None), errors
            ),
            "trainer_form": _shown(
                forms.TrainerForm(request.POST if action == "trainer" else None), errors
            ),
            "history": institution.status_changes.select_related("changed_by"),
            **_trainer_rows(request, institution, errors, action),
            "registration": services.registration_verdicts(institution),
            **_filings(institution),
            "errors": errors,
            "action": action,
        },
        status=status,
    )


def _officer_actions(
    request: HttpRequest, actor: Actor, institution: Institution
) -> dict[str, Callable[[], str]]:
    post = request.POST

    def update() -> str:
        form = valid(forms.InstitutionForm(post))
        services.institution_update(
            actor=actor, institution_id=institution.pk, data=form.institution_input()
        )
        return _("登记信息已更新。")

    def set_status() -> str:
        data = cleaned(forms.StatusForm, post)
        changed = services.institution_set_status(
            actor=actor,
            institution_id=institution.pk,
            status=data["status"],
            reason=data["reason"],
            date=data["date"],
        )
        return _("状态已改为“%(s)s”。") % {"s": changed.get_status_display()}

    def trainer() -> str:
        data = cleaned(forms.TrainerForm, post)
        services.trainer_add(actor=actor, institution_id=institution.pk, **data)
        return _("培训人员已添加。")

    def recheck() -> str:
        n = len(services.institution_recheck(actor=actor, institution_id=institution.pk))
        return ngettext(
            "已按现行规则复核，%(n)d 项备案不再符合规定。",
            "已按现行规则复核，%(n)d 项备案不再符合规定。",
            n,
        ) % {"n": n}

    return {
        "update": update,
        "status": set_status,
        "trainer": trainer,
        "recheck": recheck,
        **_trainer_actions(actor, post),
    }


def _trainer_actions(actor: Actor, post: Any) -> dict[str, Callable[[], str]]:
    """Correcting and removing a trainer: the same on the officer's page and the staff's."""

    def edit() -> str:
        data = cleaned(forms.TrainerEditForm, post)
        services.trainer_update(
            actor=actor,
            trainer_id=data["trainer_id"],
            name=data["name"],
            certificate_number=data["certificate_number"],
            teaches_academic=data["teaches_academic"],
        )
        return _("培训人员信息已更新。")

    def remove() -> str:
        data = cleaned(forms.TrainerRemoveForm, post)
        name = services.trainer_remove(actor=actor, trainer_id=data["trainer_id"])
        return _("已将“%(name)s”移出培训人员名单。") % {"name": name}

    return {"trainer_edit": edit, "trainer_remove": remove}


def _posted_trainer(request: HttpRequest) -> int | None:
    """The trainer a refused edit or removal was about, to show its errors next to it."""
    form = forms.TrainerRemoveForm(request.POST)
    return form.cleaned_data["trainer_id"] if form.is_valid() else None


_TRAINER_FIELDS = ("name", "certificate_number", "teaches_academic")


def _trainer_rows(
    request: HttpRequest, institution: Institution, errors: Errors, action: str
) -> dict[str, Any]:
    """Each trainer with the form that corrects it. The one a refused correction was about
    gets the form as posted, with each error next to its field, so the clerk sees what they
    typed, not the saved entry (nothing was saved); the errors no field holds (a removal
    refused) are shown above that trainer's forms."""
    posted = _posted_trainer(request) if errors else None
    rows = []
    for trainer in institution.trainers.all():
        if posted == trainer.pk and action == "trainer_edit":
            form = _shown(forms.TrainerEditForm(request.POST), errors)
        else:
            form = forms.TrainerEditForm(
                initial={
                    "trainer_id": trainer.pk,
                    "name": trainer.name,
                    "certificate_number": trainer.certificate_number,
                    "teaches_academic": trainer.teaches_academic,
                }
            )
        rows.append((trainer, form))
    shown_on_fields = _TRAINER_FIELDS if action == "trainer_edit" else ()
    return {
        "trainer_rows": rows,
        "posted_trainer": posted,
        "trainer_errors": [
            problem
            for name, problems in errors.items()
            if name not in shown_on_fields
            for problem in problems
        ],
    }


def _filings(institution: Institution) -> dict[str, Any]:
    return {
        "courses": institution.courses.all(),
        "sessions": institution.sessions.select_related("course"),
        "charges": institution.charges.all()[:200],
    }


@login_required
def complaints(request: HttpRequest) -> HttpResponse:
    """The district's complaints, the overdue ones first to the eye."""
    actor = actor_from_request(request)
    district = _officer_district(request, actor)
    state = request.GET.get("status", "")
    today = local_today()
    return render(
        request,
        "training/complaints.html",
        {
            "district": district,
            "complaints": selectors.complaints_for(
                actor,
                district_id=district.pk,
                status=state if state in Complaint.Status.values else "",
            ),
            "counts": selectors.complaint_counts(actor, district_id=district.pk, today=today),
            "statuses": Complaint.Status.choices,
            "state": state,
            "today": today,
        },
    )


@login_required
def complaint_handle(request: HttpRequest, complaint_id: int) -> HttpResponse:
    actor = actor_from_request(request)
    as_training_officer(actor)
    complaint = selectors.complaint_for_officer(actor, complaint_id)
    errors: Errors = {}
    status = 200
    if request.method == "POST":

        def move() -> str:
            data = cleaned(forms.ComplaintMoveForm, request.POST)
            moved = services.complaint_move(
                actor=actor, complaint_id=complaint.pk, status=data["status"], note=data["note"]
            )
            return _("已改为“%(s)s”。") % {"s": moved.get_status_display()}

        answer = answer_post(request, move)
        if answer.response is not None:
            return answer.response
        status, errors = answer.status, answer.errors
    return render(
        request,
        "training/complaint_handle.html",
        {
            "c": complaint,
            "events": complaint.events.select_related("by"),
            "next_statuses": [
                (s, Complaint.Status(s).label) for s in services.NEXT_STATUSES[complaint.status]
            ],
            "form": _shown(forms.ComplaintMoveForm(request.POST if errors else None), errors),
            "errors": errors,
            "today": local_today(),
        },
        status=status,
    )


# --- an institution's staff ------------------------------------------------------------------


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """An institution's own page: its courses, sessions and charges, each with its filing
    form; a refusal shows next to the form with the rule and its document."""
    actor = actor_from_request(request)
    units = as_unit_member(actor, Role.INSTITUTION_STAFF)
    institution = selectors.institution_for_staff(
        actor, current_unit_id(request, actor, among=units)
    )
    errors: Errors = {}
    status = 200
    action = ""
    if request.method == "POST":
        answer = answer_action(request, _staff_actions(request, actor, institution))
        if answer.response is not None:
            return answer.response
        status, errors = answer.status, answer.errors
        action = posted_action(request)
    post = request.POST

    def bound(name: str, form_class: type[Any]) -> Any:
        return _shown(form_class(post if action == name else None), errors)

    return render(
        request,
        "training/mine.html",
        {
            "i": institution,
            "course_form": bound("course", forms.CourseForm),
            "session_form": bound("session", forms.SessionForm),
            "charge_form": bound("charge", forms.ChargeForm),
            "trainer_form": bound("trainer", forms.TrainerForm),
            "filed_courses": institution.courses.filter(status=Filing.Status.FILED),
            "weekdays": forms.WEEKDAY_CHOICES,
            **_trainer_rows(request, institution, errors, action),
            **_filings(institution),
            "errors": errors,
            "action": action,
        },
        status=status,
    )


def _staff_actions(
    request: HttpRequest, actor: Actor, institution: Institution
) -> dict[str, Callable[[], str]]:
    post = request.POST

    def course() -> str:
        form = valid(forms.CourseForm(post))
        made = services.course_file(
            actor=actor, institution_id=institution.pk, data=form.course_input()
        )
        return _("课程“%(name)s”已备案。") % {"name": made.name}

    def session() -> str:
        form = valid(forms.SessionForm(post))
        services.session_file(actor=actor, institution_id=institution.pk, data=form.session_input())
        return _("课程安排已备案。")

    def charge() -> str:
        form = valid(forms.ChargeForm(post))
        services.charge_file(actor=actor, institution_id=institution.pk, data=form.charge_input())
        return _("预收费已备案。")

    def trainer() -> str:
        data = cleaned(forms.TrainerForm, post)
        services.trainer_add(actor=actor, institution_id=institution.pk, **data)
        return _("培训人员已添加。")

    return {
        "course": course,
        "session": session,
        "charge": charge,
        "trainer": trainer,
        **_trainer_actions(actor, post),
    }
