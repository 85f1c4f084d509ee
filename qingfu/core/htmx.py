"""One helper decides between a full page and an HTMX fragment."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def render_page(
    request: HttpRequest,
    page: str,
    context: dict[str, Any],
    *,
    fragment: str | None = None,
    status: int = 200,
) -> HttpResponse:
    """Render ``fragment`` for HTMX requests when given, else the full ``page``.

    Both get the same context, so a fragment never shows something the page would not.
    """
    template = fragment if fragment and is_htmx(request) else page
    return render(request, template, context, status=status)
