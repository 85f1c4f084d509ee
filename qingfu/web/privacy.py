"""Pages of a child's personal information (issue 20): the guardian's view of who looked,
the copy of everything held, the erasure request and the school admin's handling of it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from qingfu.core.edge import answer_action, answer_post, cleaned
from qingfu.core.errors import NotFound
from qingfu.schools import privacy, services
from qingfu.schools.actors import actor_from_request
from qingfu.web.forms import AuditFilterForm, ErasureDecisionForm, ErasureRequestForm, PageForm


@login_required
def child_privacy(request: HttpRequest, student_id: int) -> HttpResponse:
    """The guardian's page: who looked at the child's records, the copy, the erasure."""
    actor = actor_from_request(request)
    status = 200
    errors: dict[str, list[str]] = {}
    if request.method == "POST":

        def ask() -> str:
            data = cleaned(ErasureRequestForm, request.POST)
            privacy.erasure_request(actor=actor, student_id=student_id, reason=data["reason"])
            return _("删除申请已提交，学校管理员处理后会通知您。")

        answer = answer_post(request, ask)
        if answer.response is not None:
            return answer.response
        status, errors = answer.status, answer.errors
    paging = PageForm(request.GET)
    page = (paging.cleaned_data["page"] or 1) if paging.is_valid() else 1
    log = privacy.child_access_page(actor, student_id, page=page)
    student = privacy.student_for_privacy(actor, student_id)
    return render(
        request,
        "web/privacy_child.html",
        {
            "student": student,
            "log": log,
            "is_guardian": student_id in actor.child_student_ids,
            "requests": privacy.erasures_of(actor, student_id),
            "errors": errors,
        },
        status=status,
    )


@login_required
def child_dossier(request: HttpRequest, student_id: int, fmt: str) -> HttpResponse:
    """Everything held about the child, as a page to read or JSON for a machine."""
    actor = actor_from_request(request)
    if fmt not in ("html", "json"):
        raise NotFound()
    found = privacy.dossier(actor, student_id)
    filename = f"dossier-{student_id}.{fmt}"
    if fmt == "json":
        response = HttpResponse(found.as_json(), content_type="application/json; charset=utf-8")
    else:
        response = render(request, "web/privacy_dossier.html", {"dossier": found})
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def school_erasures(request: HttpRequest, school_id: int) -> HttpResponse:
    """The school admin carries out (or refuses) guardians' erasure requests."""
    actor = actor_from_request(request)
    services.require_school_admin(actor, school_id)
    status = 200
    errors: dict[str, list[str]] = {}

    def decide(carry_out: bool) -> str:
        data = cleaned(ErasureDecisionForm, request.POST)
        if carry_out:
            privacy.erasure_carry_out(actor=actor, request_id=data["request"], note=data["note"])
            return _("已删除该学生的个人信息。")
        privacy.erasure_refuse(actor=actor, request_id=data["request"], note=data["note"])
        return _("已记录不予删除及理由。")

    if request.method == "POST":
        answer = answer_action(
            request, {"carry_out": lambda: decide(True), "refuse": lambda: decide(False)}
        )
        if answer.response is not None:
            return answer.response
        status, errors = answer.status, answer.errors
    return render(
        request,
        "web/privacy_erasures.html",
        {"requests": privacy.erasures_for(actor, school_id), "errors": errors},
        status=status,
    )


@login_required
def audit_log(request: HttpRequest, school_id: int) -> HttpResponse:
    """The school's audit log, filtered by person, student and date."""
    actor = actor_from_request(request)
    services.require_school_admin(actor, school_id)
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    entries = privacy.audit_search(
        actor,
        school_id,
        person=filters.get("person", ""),
        student=filters.get("student", ""),
        start=filters.get("start"),
        end=filters.get("end"),
    )
    return render(
        request,
        "web/audit.html",
        {
            "rows": [
                (e, privacy.roles_label(e.roles), privacy.kind_label(e.object_type))
                for e in entries
            ],
            "form": form,
            "erasures_url": reverse("web:erasures", args=[school_id]),
        },
    )
