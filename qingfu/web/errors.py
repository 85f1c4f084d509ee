"""The product's own error pages in every mode, DEBUG included.

``make run`` serves with DEBUG on, and Django's debug pages then answer a wrong URL with the
whole URL list and an exception with the settings and the source: anyone on the school's
network would read them. Without DEBUG, Django renders ``404.html``, ``403.html`` and
``500.html`` (``qingfu/web/templates``); with DEBUG, two hooks render the same pages:

- :class:`ErrorPagesMiddleware` answers a URL that matches nothing, and an ``Http404`` a
  view raises, with ``404.html`` (Django would otherwise make its technical 404 before any
  handler is asked);
- :class:`ProductExceptionReporter` (``DEFAULT_EXCEPTION_REPORTER``) renders ``500.html``
  instead of the traceback page, for an exception anywhere in the request, middleware
  included. The traceback still goes to the console log.

``QINGFU_DEBUG_PAGES=1`` brings Django's debug pages back for a developer who wants them.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.http import Http404, HttpRequest, HttpResponse
from django.template import loader
from django.urls import Resolver404, resolve
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.debug import ExceptionReporter
from django.views.defaults import page_not_found


def debug_pages_shown() -> bool:
    """Django's debug pages are shown only with DEBUG and the explicit opt-in."""
    return bool(settings.DEBUG and getattr(settings, "QINGFU_DEBUG_PAGES", False))


class ErrorPagesMiddleware:
    """With DEBUG on, a 404 is still the product's page. Installed last, so that a request
    it answers still passes every other middleware (CommonMiddleware's APPEND_SLASH redirect
    of ``/homework`` to ``/homework/`` included). Without DEBUG it is not used at all, and
    costs the hot path nothing."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        if not settings.DEBUG or debug_pages_shown():
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            resolve(request.path_info, getattr(request, "urlconf", None))
        except Resolver404 as exc:
            return page_not_found(request, exc)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, Http404):
            return page_not_found(request, exception)
        return None


class ProductExceptionReporter(ExceptionReporter):
    """With DEBUG on, the page an uncaught exception shows is ``500.html``, rendered like
    Django's own ``server_error`` view: no request context, so no context processor and no
    database query, since the database may be the thing that failed."""

    def get_traceback_html(self) -> SafeString:
        if debug_pages_shown() or not settings.DEBUG:
            return super().get_traceback_html()
        return mark_safe(loader.get_template("500.html").render())  # noqa: S308 (rendered, escaped)

    def get_traceback_text(self) -> SafeString:
        if debug_pages_shown() or not settings.DEBUG:
            return super().get_traceback_text()
        return SafeString(_("服务器出错了，请稍后再试。") + "\n")
