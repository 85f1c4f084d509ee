"""The training officer's report page (/reports/training/): the district's 校外培训治理
figures for a period, previewed, and the section downloaded as DOCX or PDF for the
district's work summary (which carries the same section)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from qingfu.core.errors import NotFound, ValidationFailed
from qingfu.reports import docx_render, pdf_render
from qingfu.reports.data import TrainingGovernance
from qingfu.reports.selectors import period_for, training_scope
from qingfu.reports.training_facts import training_governance
from qingfu.reports.training_writing import training_document
from qingfu.reports.views import CONTENT_TYPES, _attachment, _date, _preview
from qingfu.reports.writing import cn_date
from qingfu.schools.actors import actor_from_request
from qingfu.schools.calendars import local_today
from qingfu.schools.models import District


def _build(request: HttpRequest) -> tuple[Any, Any]:
    """(scope, document) for the request's district and period."""
    actor = actor_from_request(request)
    asked = request.GET.get("district", "")
    scope = training_scope(actor, int(asked) if asked.isdigit() else None)
    today = local_today()
    period = period_for(
        scope=scope,
        preset=request.GET.get("preset") or "semester",
        today=today,
        start=_date(request.GET, "start"),
        end=_date(request.GET, "end"),
    )
    through = min(period.end, today)
    figures = training_governance(district_id=scope.id, period=period, through=through, today=today)
    if figures is None:  # no registry yet: the section says so, in zeros
        figures = TrainingGovernance({}, 0, {}, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    document = training_document(
        district=scope.name, period=period, figures=figures, today_text=cn_date(today)
    )
    return scope, document


@login_required
def training_page(request: HttpRequest) -> HttpResponse:
    actor = actor_from_request(request)
    allowed = actor.training_district_ids | actor.district_ids
    if not allowed:
        raise NotFound()
    errors: dict[str, list[str]] = {}
    document = None
    status = 200
    try:
        _scope, document = _build(request)
    except ValidationFailed as exc:
        errors, status = exc.errors, 422
    return render(
        request,
        "reports/training.html",
        {
            "districts": District.objects.filter(id__in=allowed).order_by("id"),
            "selected": request.GET.get("district", ""),
            "preset": request.GET.get("preset") or "semester",
            "start": request.GET.get("start", ""),
            "end": request.GET.get("end", ""),
            "presets": [("month", _("本月")), ("semester", _("本学期")), ("custom", _("自定日期"))],
            "document": document,
            "built": {"document": document} if document else None,
            "blocks": _preview(document) if document else [],
            "query": request.GET.urlencode(),
            "errors": errors,
        },
        status=status,
    )


@login_required
def training_download(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in ("docx", "pdf"):
        raise NotFound()
    try:
        scope, document = _build(request)
    except ValidationFailed:
        return training_page(request)
    data = docx_render.render_docx(document) if fmt == "docx" else pdf_render.render_pdf(document)
    name = f"{scope.name}-{_('校外培训治理')}.{fmt}"
    return _attachment(data, name, CONTENT_TYPES[fmt], f"training.{fmt}")
