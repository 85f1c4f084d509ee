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

A form whose security token no longer matches (the page stood open past the session, the
person signed out in another tab, cookies were cleared) is answered by :func:`csrf_failure`
(``CSRF_FAILURE_VIEW``) with ``403_csrf.html``: what happened in words, that nothing was
saved, and the way back, instead of Django's technical page (DEBUG) or its bare English one.

``QINGFU_DEBUG_PAGES=1`` brings Django's debug pages back for a developer who wants them.

When the database is unreachable (restarting, refusing connections, a connection cut under
a request), the answer is ``503`` with ``Retry-After`` instead of a 500:
:func:`flag_database_down` (on ``got_request_exception``) marks the request when the
exception anywhere in the stack is a connection-level ``OperationalError`` or
``InterfaceError``, and :class:`DatabaseDownMiddleware` (outermost) answers it with
``503.html`` (JSON under ``/api/``). Nothing of such a request was committed unless its
transaction had already ended; repeating it is what the client should do
(``docs/operations.md``). Django reconnects on the next request: the connection is checked
before reuse (``CONN_HEALTH_CHECKS``) and closed after an error.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.template import loader
from django.urls import Resolver404, resolve
from django.utils.http import url_has_allowed_host_and_scheme
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


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """``CSRF_FAILURE_VIEW``: the product's page for a refused form, in every mode (Django's
    debug page only when a developer asked for it). The request's context is used, so a
    signed-in person keeps their navigation; the reason stays in the log."""
    if debug_pages_shown():
        from django.views.csrf import csrf_failure as technical

        return technical(request, reason)
    page = loader.render_to_string("403_csrf.html", {"again": _same_site_back(request)}, request)
    return HttpResponse(page, status=403)


def _same_site_back(request: HttpRequest) -> str:
    """The page the form was on, when it is one of ours, to go back to and reload."""
    referer = request.META.get("HTTP_REFERER", "")
    path = urlsplit(referer)._replace(scheme="", netloc="").geturl()
    same_site = url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    # "//elsewhere" would leave the site: only a plain path of ours goes in the link.
    return path if same_site and path.startswith("/") and not path.startswith("//") else ""


RETRY_AFTER_SECONDS = 3
_DOWN = "_qingfu_database_down"


def database_down(exc: BaseException | None) -> bool:
    """An exception that says the database cannot be reached, not that a query is wrong:
    every ``InterfaceError`` (the connection is closed) and the ``OperationalError``s of a
    lost or refused connection. A lock timeout or a cancelled query is an ``OperationalError``
    too, but a failure of this request, not of the database: those stay a 500."""
    if isinstance(exc, InterfaceError):
        return True
    if not isinstance(exc, OperationalError):
        return False
    cause = exc.__cause__
    sqlstate = getattr(cause, "sqlstate", None)
    if sqlstate is not None:
        # 08: connection exception; 57P01-57P03: admin shutdown, crash shutdown, cannot
        # connect now (starting up, or the database refusing connections).
        return sqlstate.startswith("08") or sqlstate in {"57P01", "57P02", "57P03"}
    text = str(exc).lower()
    return cause is None or any(
        word in text
        for word in (
            "connection",
            "server closed",
            "terminat",
            "could not connect",
            "not accepting",
        )
    )


def flag_database_down(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    """``got_request_exception``: remember on the request that the database was down."""
    if request is not None and database_down(sys.exc_info()[1]):
        setattr(request, _DOWN, True)


def unavailable(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After, built without the database."""
    message = _("系统暂时无法连接数据库，本次操作可能没有完成。请过几秒钟再试一次。")
    if request.path_info.startswith("/api/"):
        response = HttpResponse(
            # The API's error shape (qingfu.core.api.ErrorOut).
            json.dumps(
                {"code": "unavailable", "message": message, "errors": None, "row_errors": None},
                ensure_ascii=False,
            ),
            status=503,
            content_type="application/json; charset=utf-8",
        )
    else:
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseDownMiddleware:
    """Outermost: a request that failed because the database was down is answered 503 with
    ``Retry-After``, whatever page (or the 500 page) the layers inside made of it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(request, _DOWN, False):
            return unavailable(request)
        return response
