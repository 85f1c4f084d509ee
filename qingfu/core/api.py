"""The JSON API's shared parts: authentication, error shapes, translated validation errors."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer, SessionAuth
from pydantic import BeforeValidator, WithJsonSchema

from qingfu.core.errors import Forbidden, NotFound, ValidationFailed
from qingfu.core.models import ApiToken
from qingfu.core.signin import (
    lock_seconds_left,
    lockout_message,
    token_credentials,
    token_failed,
    token_locked,
)
from qingfu.policy.verdicts import Verdict


def docs_access(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The API documentation and its OpenAPI document (``docs_decorator``): anyone's while
    ``QINGFU_API_DOCS_PUBLIC`` is on (development), else signed-in users' only: a public
    map of every endpoint is not something a production site needs to hand out."""

    @functools.wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not settings.QINGFU_API_DOCS_PUBLIC and not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return guarded


class SignInLocked(Exception):
    """Too many unknown bearer tokens from this address: answered 429 with Retry-After."""

    def __init__(self, seconds: int) -> None:
        super().__init__(lockout_message(seconds))
        self.seconds = seconds


class TokenAuth(HttpBearer):
    """``Authorization: Bearer qf_…``; the token's user becomes ``request.user``.

    Unknown tokens count as failed sign-ins of the address (``qingfu.core.signin``): after
    as many as the sign-in page allows, the address is refused, good token or not, until
    the cool-off ends, so tokens cannot be guessed at the API's speed."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        if token_locked(request):
            raise SignInLocked(lock_seconds_left(request, token_credentials()))
        try:
            row = ApiToken.objects.select_related("user").get(
                key_hash=ApiToken.hash_key(token), is_active=True, user__is_active=True
            )
        except ApiToken.DoesNotExist:
            token_failed(request)
            if token_locked(request):  # this failure was the last one allowed
                raise SignInLocked(lock_seconds_left(request, token_credentials())) from None
            return None
        now = timezone.now()
        # "Last used" to the minute is enough; not a write on every request.
        if row.last_used_at is None or now - row.last_used_at > dt.timedelta(minutes=1):
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.user = row.user
        return row.user


def _amount_pattern(max_digits: int, decimal_places: int) -> str:
    return rf"^[0-9]{{1,{max_digits - decimal_places}}}(\.[0-9]{{1,{decimal_places}}})?$"


def amount_parser(max_digits: int, decimal_places: int) -> BeforeValidator:
    """A non-negative amount as its database column holds it (``max_digits``,
    ``decimal_places``): a JSON number (rounded to the column's places) or a string of
    digits. With ``amount_schema`` the OpenAPI document says exactly that, so what a
    client (or a fuzzer) sends within it is stored, never a 422 or a database overflow."""
    pattern = _amount_pattern(max_digits, decimal_places)
    limit = 10 ** (max_digits - decimal_places)
    step = Decimal(1).scaleb(-decimal_places)

    def parse(value: Any) -> Any:
        refused = object()  # the Decimal validator refuses it: "应为数字"
        if isinstance(value, str):
            return value if re.fullmatch(pattern, value) else refused
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            return refused
        try:
            amount = Decimal(str(value)).quantize(step, rounding=ROUND_HALF_UP)
        except InvalidOperation:  # NaN, infinity, too many digits
            return refused
        return amount if 0 <= amount < limit else refused

    return BeforeValidator(parse)


def amount_schema(max_digits: int, decimal_places: int) -> WithJsonSchema:
    return WithJsonSchema(
        {
            "anyOf": [
                {
                    "type": "number",
                    "minimum": 0,
                    # below the limit once rounded to the column's places
                    "exclusiveMaximum": 10 ** (max_digits - decimal_places)
                    - 0.5 * 10**-decimal_places,
                },
                {"type": "string", "pattern": _amount_pattern(max_digits, decimal_places)},
            ]
        }
    )


class SignedInSession(SessionAuth):
    """The browser's session (ninja's ``django_auth``), but a request with no signed-in
    session is told to sign in (401), not refused for want of a CSRF token (403): only a
    signed-in session's write has anything for CSRF to protect."""

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)


class VerdictOut(Schema):
    status: str
    rule_id: str
    measured: Any
    limit: Any
    message: str
    citation: str
    exemptable: bool


def verdict_out(verdict: Verdict, lang: str) -> dict[str, Any]:
    return {
        "status": verdict.status.value,
        "rule_id": verdict.rule_id,
        "measured": verdict.measured,
        "limit": verdict.limit,
        "message": verdict.message(lang),
        "citation": verdict.citation,
        "exemptable": verdict.exemptable,
    }


def request_language(request: HttpRequest) -> str:
    return "en" if getattr(request, "LANGUAGE_CODE", "") == "en" else "zh-hans"


class RowErrorOut(Schema):
    """One refused row of an imported file: its number, column, what it held and why."""

    row: int
    column: str
    value: str = ""
    message: str


class ErrorOut(Schema):
    """Every 4xx answer of the API, whatever refused the request: ``code`` for programs,
    ``message`` for people (in the reader's language), ``errors`` the messages of each
    invalid field (``__all__`` for the request as a whole) and ``row_errors`` each refused
    row of an imported file; the last two are ``null`` where they say nothing."""

    code: str
    message: str
    errors: dict[str, list[str]] | None = None
    row_errors: list[RowErrorOut] | None = None


# The refusals every signed-in operation may answer, and those of the public ones (no
# sign-in: no 401 or 429 of the token check). An operation adds its own (409, 201 …).
ERRORS: dict[int | tuple[int, ...], type[Schema]] = {
    (400, 401, 403, 404, 422, 429): ErrorOut,
}
PUBLIC_ERRORS: dict[int | tuple[int, ...], type[Schema]] = {(400, 404, 422): ErrorOut}


_HTTP_ERRORS = {
    400: ("malformed", _("请求格式不正确，无法读取（如 JSON 无效，或上传缺少 boundary）。")),
    403: ("forbidden", _("您没有执行此操作的权限。")),
    429: ("throttled", _("请求过于频繁，请稍后再试。")),
}

_PYDANTIC_MESSAGES = {
    "missing": _("必填"),
    "int_parsing": _("应为整数"),
    "int_type": _("应为整数"),
    "float_parsing": _("应为数字"),
    "decimal_type": _("应为数字"),
    "decimal_parsing": _("应为数字"),
    "bool_parsing": _("应为 true 或 false"),
    "string_type": _("应为文本"),
    "date_from_datetime_parsing": _("应为日期，格式如 2026-09-01"),
    "date_parsing": _("应为日期，格式如 2026-09-01"),
    "time_parsing": _("应为时间，格式如 21:20"),
    "literal_error": _("不是允许的取值"),
    "enum": _("不是允许的取值"),
    "greater_than_equal": _("数值过小"),
    "less_than_equal": _("数值过大"),
    "greater_than": _("数值过小"),
    "less_than": _("数值过大"),
    "string_too_long": _("过长"),
    "string_too_short": _("过短"),
    "json_invalid": _("不是有效的 JSON"),
    "model_attributes_type": _("格式不正确"),
}


def _field_name(loc: list[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "form", "payload")]
    return ".".join(parts) or "__all__"


def install_error_handlers(api: NinjaAPI) -> None:
    def respond(request: HttpRequest, status: int, body: dict[str, Any]) -> HttpResponse:
        return api.create_response(request, body, status=status)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        if not isinstance(exc, NotFound):  # Django's own (a bad path): no details out
            exc = NotFound()
        return respond(request, 404, {"code": exc.code, "message": str(exc)})

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        if not isinstance(exc, Forbidden):
            exc = Forbidden()
        return respond(request, 403, {"code": exc.code, "message": str(exc)})

    @api.exception_handler(MultiPartParserError)
    def unreadable_upload(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
        """A multipart body Django cannot read (no boundary, a broken part): the client's
        mistake, 400 like any other body that cannot be parsed, never a server error."""
        code, message = _HTTP_ERRORS[400]
        return respond(request, 400, {"code": code, "message": str(message)})

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        """Ninja's own refusals in the API's error shape: a body that is not JSON (or a
        multipart without its boundary) is 400 ``malformed``, not ``{"detail": …}``."""
        status = exc.status_code
        code, message = _HTTP_ERRORS.get(status, ("error", _("请求无法处理。")))
        if status == 403 and "CSRF" in str(exc):
            code, message = "csrf_failed", _("浏览器会话的写操作需要 CSRF 令牌，请刷新页面后重试。")
        return respond(request, status, {"code": code, "message": str(message)})

    @api.exception_handler(SignInLocked)
    def locked(request: HttpRequest, exc: SignInLocked) -> HttpResponse:
        response = respond(request, 429, {"code": "locked_out", "message": str(exc)})
        if exc.seconds > 0:
            response["Retry-After"] = str(exc.seconds)
        return response

    @api.exception_handler(ValidationFailed)
    def invalid(request: HttpRequest, exc: ValidationFailed) -> HttpResponse:
        first = next(iter(exc.errors.items()))
        message = f"{first[0]}：{first[1][0]}" if first[0] != "__all__" else first[1][0]
        return respond(request, 422, {"code": exc.code, "message": message, "errors": exc.errors})

    @api.exception_handler(NinjaValidationError)
    def schema_invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        errors: dict[str, list[str]] = {}
        for error in exc.errors:
            name = _field_name(list(error.get("loc", [])))
            text = _PYDANTIC_MESSAGES.get(str(error.get("type")), error.get("msg") or _("无效"))
            errors.setdefault(name, []).append(str(text))
        first_field, first_messages = next(
            iter(errors.items()), ("__all__", [str(_("无效的请求"))])
        )
        return respond(
            request,
            422,
            {
                "code": "invalid",
                "message": _("字段 %(field)s：%(message)s")
                % {"field": first_field, "message": first_messages[0]},
                "errors": errors,
            },
        )

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return respond(
            request,
            401,
            {"code": "unauthenticated", "message": str(_("请先登录或提供有效的访问令牌。"))},
        )
