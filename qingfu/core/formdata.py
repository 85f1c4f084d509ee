"""Reading typed values out of a POST at the web edge: one clear, field-named error for
bad input (never a 500), so views stay thin and every page says the same thing."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal, overload

from django.utils.translation import gettext as _

from qingfu.core.errors import ValidationFailed


def int_field(post: Any, name: str, default: int | None = None) -> int:
    raw = (post.get(name) or "").strip()
    if not raw and default is not None:
        return default
    if not raw.lstrip("-").isdigit():
        raise ValidationFailed.single(name, _("请填写整数。"))
    return int(raw)


@overload
def time_field(post: Any, name: str, *, required: Literal[True] = True) -> dt.time: ...
@overload
def time_field(post: Any, name: str, *, required: bool) -> dt.time | None: ...
def time_field(post: Any, name: str, *, required: bool = True) -> dt.time | None:
    raw = (post.get(name) or "").strip()
    if not raw and not required:
        return None
    try:
        return dt.time.fromisoformat(raw)
    except ValueError as exc:
        raise ValidationFailed.single(name, _("时间格式应为 15:40。")) from exc


def date_field(post: Any, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat((post.get(name) or "").strip())
    except ValueError as exc:
        raise ValidationFailed.single(name, _("日期格式应为 2026-09-07。")) from exc
