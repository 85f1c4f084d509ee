"""The JSON API's shared parts: authentication, error shapes, translated validation errors."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer

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


class ErrorOut(Schema):
    code: str
    message: str
    errors: dict[str, list[str]] | None = None


_PYDANTIC_MESSAGES = {
    "missing": _("必填"),
    "int_parsing": _("应为整数"),
    "int_type": _("应为整数"),
    "float_parsing": _("应为数字"),
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

    @api.exception_handler(NotFound)
    def not_found(request: HttpRequest, exc: NotFound) -> HttpResponse:
        return respond(request, 404, {"code": exc.code, "message": str(exc)})

    @api.exception_handler(Forbidden)
    def forbidden(request: HttpRequest, exc: Forbidden) -> HttpResponse:
        return respond(request, 403, {"code": exc.code, "message": str(exc)})

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
