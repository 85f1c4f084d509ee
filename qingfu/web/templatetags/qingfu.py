"""Small presentation filters (no domain decisions: those are made before rendering)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: Mapping[Any, Any], key: Any) -> Any:
    return mapping.get(key) if mapping else None


@register.filter
def localized(verdict: Any) -> str:
    """A policy verdict's message in the reader's language (the policy layer has both)."""
    from django.utils.translation import get_language

    return str(verdict.message(get_language() or "zh-hans"))
