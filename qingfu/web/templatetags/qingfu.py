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


@register.filter
def cell(mapping: Any, key: Any) -> Any:
    """Step into a grid keyed by tuples: ``cells|cell:a|cell:b|cell:c`` → cells[(a, b, c)]."""
    if isinstance(mapping, _Partial):
        return mapping.step(key)
    return _Partial(mapping, ()).step(key)


@register.filter
def pair(mapping: Any, key: Any) -> Any:
    """``totals|pair:a|get_item:b`` → totals[(a, b)]."""
    return {k[1]: v for k, v in (mapping or {}).items() if k[0] == key}


class _Partial:
    def __init__(self, mapping: Mapping[Any, Any], prefix: tuple[Any, ...]) -> None:
        self.mapping, self.prefix = mapping, prefix

    def __bool__(self) -> bool:  # an incomplete or missing key is "no cell"
        return False

    def step(self, key: Any) -> Any:
        prefix = (*self.prefix, key)
        if prefix in self.mapping:
            return self.mapping[prefix]
        return _Partial(self.mapping, prefix)


@register.filter
def percent(value: float | None, digits: int = 0) -> str:
    """0.934 → 93%; a withheld or empty rate (None) → an em dash."""
    if value is None:
        return "—"
    return f"{100 * value:.{digits}f}%"


@register.filter
def minutes(value: float | None) -> str:
    """A mean of minutes to one decimal, or an em dash when withheld or empty."""
    return "—" if value is None else f"{value:.1f}"
