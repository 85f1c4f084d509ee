"""Errors that services and selectors raise, mapped to HTTP by both edges.

``NotFound`` is used for both missing and forbidden objects, so a response never reveals
that a record the actor may not see exists.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _


class NotFound(Http404):
    code = "not_found"

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or str(_("未找到，或您无权查看。")))


class Forbidden(PermissionDenied):
    code = "forbidden"

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or str(_("您没有执行此操作的权限。")))


class ValidationFailed(Exception):
    """Invalid input; ``errors`` maps a field name (or "__all__") to messages."""

    code = "invalid"

    def __init__(self, errors: dict[str, list[str]]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))

    @classmethod
    def single(cls, field: str, message: str) -> ValidationFailed:
        return cls({field: [message]})
