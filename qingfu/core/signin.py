"""Sign-in throttling (django-axes), shared by the sign-in page and the API's bearer tokens.

Failures are counted per account and address together (``AXES_LOCKOUT_PARAMETERS``): ten
wrong passwords for one account from one address lock that pair for the cool-off, so a
guesser is stopped without letting anyone lock a teacher out of the whole product from
elsewhere. A bearer token has no account before it is recognised, so its failures are
counted per address under a name no account can have (Django's usernames allow no
brackets). ``qingfu unlock`` lifts a lock early.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

API_TOKEN_USERNAME = "[api-token]"  # noqa: S105  # a name, not a secret


def client_address(request: HttpRequest) -> str | None:
    """The address failures are counted against (``AXES_CLIENT_IP_CALLABLE``).

    Behind a reverse proxy every request comes from the proxy, so the proxy must pass the
    client's address in a header it sets itself (overwriting what the client sent) and
    ``QINGFU_CLIENT_IP_HEADER`` names it (``X-Real-IP``, say). Without it: the peer."""
    header = settings.QINGFU_CLIENT_IP_HEADER
    if header:
        meta_key = "HTTP_" + header.upper().replace("-", "_")
        value = str(request.META.get(meta_key, "")).split(",")[0].strip()
        if value:
            return value
    address = request.META.get("REMOTE_ADDR")
    return str(address) if address else None


def lock_seconds_left(request: HttpRequest, credentials: dict[str, Any] | None) -> int:
    """Seconds until the lock on this account and address ends (at least 1).

    The cool-off runs from the last failure before the lock: attempts while locked are not
    counted (``AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT`` off), so a person who tries
    again early is not punished with a longer wait than the page told them."""
    cool_off: dt.timedelta | None = get_cool_off(request)
    if cool_off is None:  # not configured: a permanent lock until `qingfu unlock`
        return 0
    username = get_client_username(request, credentials)
    last = (
        AccessAttempt.objects.filter(username=username, ip_address=client_address(request))
        .order_by("-attempt_time")
        .values_list("attempt_time", flat=True)
        .first()
    )
    if last is None:
        return math.ceil(cool_off.total_seconds())
    ends: dt.datetime = last + cool_off
    left = (ends - timezone.now()).total_seconds()
    return max(1, math.ceil(left))


def lockout_message(seconds: int) -> str:
    """How long to wait, in whole minutes (rounded up), in the reader's language."""
    if seconds <= 0:
        return _("登录失败次数过多，已暂时锁定。请联系学校管理员解除锁定。")
    minutes = max(1, math.ceil(seconds / 60))
    return _("登录失败次数过多，已暂时锁定。请 %(minutes)d 分钟后再试。") % {"minutes": minutes}


def token_credentials() -> dict[str, str]:
    return {"username": API_TOKEN_USERNAME}


def token_locked(request: HttpRequest) -> bool:
    """Whether this address has sent too many unknown bearer tokens lately."""
    return bool(AxesProxyHandler.is_locked(request, token_credentials()))


def token_failed(request: HttpRequest) -> None:
    """Count an unknown or revoked bearer token against the request's address."""
    # Axes records the form body with the failure. A body Django cannot parse (a multipart
    # without a boundary) must fail as the API's own 4xx later, not here: after one failed
    # parse Django answers an empty POST.
    with contextlib.suppress(Exception):
        request.POST  # noqa: B018
    user_login_failed.send(sender=__name__, credentials=token_credentials(), request=request)
    # The API answers a lock itself, in its own error shape (``SignInLocked``); axes'
    # middleware would put the sign-in page over it.
    request.axes_locked_out = False  # type: ignore[attr-defined]


class SignInThrottle(AxesStandaloneBackend):  # type: ignore[misc]  # axes is untyped
    """Axes' backend, which refuses a locked account and address before the password is
    checked, except for a sign-in with no request: the test client's ``login``, the shell
    and management commands are not reached from the network, and axes would raise."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)  # type: ignore[no-any-return]
