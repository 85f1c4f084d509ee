"""The campaign office's report page (减负办): choose a period, preview the county's
burden-reduction report, download it as DOCX or PDF. Thin: parse, call services, render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from qingfu.burden.selectors import campaign_districts
from qingfu.core.errors import NotFound, ValidationFailed
from qingfu.reports import services
from qingfu.reports.data import Period
from qingfu.reports.views import CONTENT_TYPES, _attachment, _date, _preview
from qingfu.schools.actors import actor_from_request
from qingfu.schools.calendars import local_today

PRESETS = ("year", "month", "custom")


def _period(request: HttpRequest) -> Period:
    preset = request.GET.get("preset") or "year"
    if preset not in PRESETS:
        raise ValidationFailed.single("preset", _("请选择统计时段。"))
    return services.burden_period(
        preset=preset,
        today=local_today(),
        start=_date(request.GET, "start"),
        end=_date(request.GET, "end"),
    )


def _district(request: HttpRequest) -> int:
    districts = campaign_districts(actor_from_request(request))
    if not districts:
        raise NotFound()
    return min(districts)


@login_required
def burden_page(request: HttpRequest) -> HttpResponse:
    district_id = _district(request)
    actor = actor_from_request(request)
    built, errors, status = None, {}, 200
    try:
        built = services.burden_report_build(
            actor=actor, district_id=district_id, period=_period(request), today=local_today()
        )
    except ValidationFailed as exc:
        errors, status = exc.errors, 422
    query = request.GET
    return render(
        request,
        "reports/burden.html",
        {
            "built": built,
            "blocks": _preview(built.document) if built else [],
            "preset": query.get("preset") or "year",
            "presets": [("year", _("今年")), ("month", _("本月")), ("custom", _("自定日期"))],
            "start": query.get("start", ""),
            "end": query.get("end", ""),
            "query": query.urlencode(),
            "errors": errors,
        },
        status=status,
    )


@login_required
def burden_download(request: HttpRequest, fmt: str) -> HttpResponse:
    district_id = _district(request)
    if fmt not in ("docx", "pdf"):
        raise NotFound()
    try:
        data, name = services.burden_report_file(
            actor=actor_from_request(request),
            district_id=district_id,
            period=_period(request),
            today=local_today(),
            fmt=fmt,
        )
    except ValidationFailed:
        return burden_page(request)
    return _attachment(data, name, CONTENT_TYPES[fmt], f"burden-report.{fmt}")
