"""The answer to a locked sign-in (``AXES_LOCKOUT_CALLABLE``): the sign-in page again, with
429, ``Retry-After`` and how long to wait in words, so a person who mistyped ten times
knows what happened and when to come back."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from qingfu.core.signin import lock_seconds_left, lockout_message


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    seconds = lock_seconds_left(request, credentials)
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    form = AuthenticationForm(request, initial={"username": username})
    response = render(
        request,
        "web/login.html",
        {
            "form": form,
            "locked_message": lockout_message(seconds),
            "next": request.POST.get("next", request.GET.get("next", "")),
        },
        status=429,
    )
    if seconds > 0:
        response["Retry-After"] = str(seconds)
    return response
