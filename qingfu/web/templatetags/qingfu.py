"""Small presentation filters (no domain decisions: those are made before rendering)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django import template
from django.utils.dateformat import format as date_format
from django.utils.html import format_html
from django.utils.translation import get_language

from qingfu.policy.profile import rule_title as national_rule_title
from qingfu.policy.subjects import ABILITY_NAMES_EN, SUBJECT_NAMES
from qingfu.policy.verdicts import Verdict
from qingfu.schools.calendars import local_time, local_today
from qingfu.schools.selectors import teacher_labels

register = template.Library()


@register.filter
def teacher_name(teacher: Any) -> str:
    """A teacher as lists and selects show them: the name, with the subjects and grades
    taught when another teacher of the school has the same name (schools.selectors
    .teacher_labels); empty for no teacher, so ``|default:"—"`` follows."""
    if teacher is None:
        return ""
    labels = teacher_labels(teacher.school_id, get_language())
    return str(labels.get(teacher.pk, teacher.name))


@register.filter
def teacher_label(teacher: Any) -> str:
    """:func:`teacher_name` for tables and lists: the name, and the detail that tells two
    of one name apart on a second, smaller line, cut short on a narrow screen (the whole
    label in its title), so a phone never wraps it over three lines."""
    label = teacher_name(teacher)
    if not label or label == teacher.name:
        return label
    detail = label[len(teacher.name) :].strip().removeprefix("（").removeprefix("(")
    detail = detail.removesuffix("）").removesuffix(")")
    return format_html(
        '<span class="teacher-label" title="{}">{}<small class="detail">{}</small></span>',
        label,
        teacher.name,
        detail,
    )


@register.filter
def subject_name(subject: Any) -> str:
    """A subject in the reader's language: for an English reader, the English name the
    school gave it (as ``teacher_labels`` shows it) or the national curriculum's."""
    if subject is None:
        return ""
    if not (get_language() or "").lower().startswith("en"):
        return str(subject.name)
    if subject.name_en:
        return str(subject.name_en)
    national = SUBJECT_NAMES.get(subject.code)  # a national subject the school kept as named
    return national[1] if national and national[0] == subject.name else str(subject.name)


@register.filter
def ability_name(element: str) -> str:
    """An ability element (能力要素) in the reader's language: the national list's in English
    for an English reader, one the school named itself as written."""
    if not (get_language() or "").lower().startswith("en"):
        return element
    return ABILITY_NAMES_EN.get(element, element)


@register.filter
def get_item(mapping: Mapping[Any, Any], key: Any) -> Any:
    return mapping.get(key) if mapping else None


@register.filter
def localized(verdict: Any) -> str:
    """A policy verdict's message in the reader's language (the policy layer has both)."""
    from django.utils.translation import get_language

    return str(verdict.message(get_language() or "zh-hans"))


@register.filter
def verdict_message(value: Any) -> str:
    """A verdict's message in the reader's language, from a verdict or one stored on a record
    as its JSON (``message_zh`` / ``message_en``, as the burden registry keeps them)."""
    if isinstance(value, Verdict):
        return localized(value)
    lang = get_language() or ""
    english = lang.startswith("en") and value.get("message_en")
    return str(english or value.get("message_zh", ""))


@register.filter
def rule_title(value: Any) -> str:
    """A rule's short name in the reader's language, from a verdict or a rule id
    (``{{ v|rule_title }}``, ``{{ "exam.g1-2"|rule_title }}``): ids are internal codes."""
    lang = get_language() or "zh-hans"
    if isinstance(value, Verdict):
        title = value.title(lang)
        # A check that did not carry its rule's title (the burden registry's) has it looked up.
        return title if title != value.rule_id else national_rule_title(value.rule_id, lang)
    return national_rule_title(str(value), lang)


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


# Chinese date forms, and the English ones shown when the reader chose English.
_DATE_FORMATS = {
    "day": ("n月j日", "M j"),
    "day_time": ("n月j日 H:i", "M j H:i"),
    "day_weekday": ("n月j日 l", "l, M j"),
    "long": ("Y年n月j日", "M j, Y"),
    "long_time": ("Y年n月j日 H:i", "M j, Y H:i"),
    "long_weekday": ("Y年n月j日 l", "l, M j, Y"),
    "month": ("Y年n月", "F Y"),
    "time": ("H:i", "H:i"),
}
# A short form names no year, so a date of another year would read as this year's (a
# demand of 2025年12月23日 as the coming 12月23日): outside the current year it has its year.
_WITH_YEAR = {"day": "long", "day_time": "long_time", "day_weekday": "long_weekday"}


@register.filter
def local_date(value: Any, form: str = "day") -> str:
    """A date in the reader's language: ``{{ d|local_date }}`` → 11月23日 / Nov 23, and
    2025年12月23日 / Dec 23, 2025 when it is not in the current year; ``|local_date:"long"``
    → 2026年11月23日 / Nov 23, 2026. An instant (a datetime) is shown in the school's time
    zone: a run made at 21:13 in Beijing reads 21:13, not 13:13 UTC."""
    if value in (None, ""):
        return ""
    if isinstance(value, dt.datetime):
        value = local_time(value)
    day = value.date() if isinstance(value, dt.datetime) else value
    if form in _WITH_YEAR and day.year != local_today().year:
        form = _WITH_YEAR[form]
    chinese, english = _DATE_FORMATS[form]
    language = get_language() or ""
    return date_format(value, english if language.startswith("en") else chinese)
