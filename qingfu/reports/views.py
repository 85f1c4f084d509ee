"""The report page: choose a scope and a period, preview the report, download it as DOCX
or PDF, and download the ledgers. Thin: parse, call services, render."""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from qingfu.core.errors import NotFound, ValidationFailed
from qingfu.reports import services
from qingfu.reports.charts import chart_png
from qingfu.reports.document import Chart, Heading, Paragraph, Table
from qingfu.reports.ledgers import LEDGERS
from qingfu.reports.selectors import Scope, scopes_for
from qingfu.schools.actors import actor_from_request
from qingfu.schools.calendars import local_today

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _date(query: Any, name: str) -> dt.date | None:
    raw = (query.get(name) or "").strip()
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError as exc:
        raise ValidationFailed.single(name, _("请按“年-月-日”填写日期。")) from exc


def _parse(query: Any, scopes: list[Scope]) -> services.ReportRequest:
    kind, _sep, raw_id = (query.get("scope") or scopes[0].key).partition("-")
    if not raw_id.isdigit():
        raise NotFound()
    return services.ReportRequest(
        kind=kind,
        scope_id=int(raw_id),
        preset=query.get("preset") or "semester",
        start=_date(query, "start"),
        end=_date(query, "end"),
    )


def _preview(document: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for block in document.blocks:
        if isinstance(block, Heading):
            out.append({"kind": "heading", "level": block.level, "text": block.text})
        elif isinstance(block, Paragraph):
            out.append({"kind": "paragraph", "style": block.style, "text": block.text})
        elif isinstance(block, Table):
            out.append(
                {
                    "kind": "table",
                    "caption": block.caption,
                    "header": block.header,
                    "rows": [
                        [(v, block.is_numeric(c)) for c, v in enumerate(row)] for row in block.rows
                    ],
                }
            )
        elif isinstance(block, Chart):
            png = base64.b64encode(chart_png(block.spec)).decode()  # the DOCX's and PDF's
            out.append(
                {"kind": "chart", "caption": block.caption, "src": f"data:image/png;base64,{png}"}
            )
    return out


def _page(
    request: HttpRequest,
    scopes: list[Scope],
    errors: dict[str, list[str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    actor = actor_from_request(request)
    query = request.GET
    built = None
    if not errors:
        try:
            built = services.report_build(
                actor=actor, request=_parse(query, scopes), today=local_today()
            )
        except ValidationFailed as exc:
            errors, status = exc.errors, 422
    return render(
        request,
        "reports/page.html",
        {
            "scopes": scopes,
            "selected": query.get("scope") or scopes[0].key,
            "preset": query.get("preset") or "semester",
            "start": query.get("start", ""),
            "end": query.get("end", ""),
            "presets": [
                ("week", _("本周")),
                ("month", _("本月")),
                ("semester", _("本学期")),
                ("custom", _("自定日期")),
            ],
            "built": built,
            "blocks": _preview(built.document) if built else [],
            "ledgers": list(LEDGERS.items()),
            "query": query.urlencode(),
            "errors": errors or {},
        },
        status=status,
    )


def _scopes(request: HttpRequest) -> list[Scope]:
    scopes = scopes_for(actor_from_request(request))
    if not scopes:
        raise NotFound()
    return scopes


def _attachment(data: bytes, name: str, content_type: str, fallback: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = (
        f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name)}"
    )
    return response


@login_required
def report_page(request: HttpRequest) -> HttpResponse:
    return _page(request, _scopes(request))


@login_required
def report_download(request: HttpRequest, fmt: str) -> HttpResponse:
    scopes = _scopes(request)
    if fmt not in ("docx", "pdf"):
        raise NotFound()
    actor = actor_from_request(request)
    try:
        data, name = services.report_file(
            actor=actor, request=_parse(request.GET, scopes), today=local_today(), fmt=fmt
        )
    except ValidationFailed as exc:
        return _page(request, scopes, exc.errors, 422)
    return _attachment(data, name, CONTENT_TYPES[fmt], f"report.{fmt}")


@login_required
def ledger_download(request: HttpRequest, key: str) -> HttpResponse:
    scopes = _scopes(request)
    if key not in LEDGERS:
        raise NotFound()
    actor = actor_from_request(request)
    try:
        data, name = services.ledger_file(
            actor=actor, request=_parse(request.GET, scopes), today=local_today(), key=key
        )
    except ValidationFailed as exc:
        return _page(request, scopes, exc.errors, 422)
    return _attachment(data, name, CONTENT_TYPES["xlsx"], f"ledger-{key}.xlsx")
