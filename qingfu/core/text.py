"""Messages for pure modules: marked and translated without importing Django.

Pure modules (report writing, evidence, checklists, the duty roster's model …) must not
import Django, yet what they write reaches people who read English. They call ``_`` from
here; the core app's ``ready`` plugs in Django's ``gettext``, which follows the language
active for the request. Until then (a pure test, a benchmark) ``_`` returns the message
as written, in Chinese.

A message held at module level is translated at import time, before anything is plugged
in: mark it with ``gettext_noop`` and pass it through ``_`` where it is used.
``makemessages`` finds both (``_`` and ``gettext_noop`` are its keywords).

Where a language needs more than other words (a date's order, English month names, the
English form of a class's name), ``language()`` says which one is active.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date as _date

_translate: Callable[[str], str] = str


def _no_language() -> str | None:
    return None


_language: Callable[[], str | None] = _no_language


def _as_written(context: str, message: str) -> str:
    return message


_contextual: Callable[[str, str], str] = _as_written


def _english_rule(singular: str, plural: str, n: int) -> str:
    return singular if n == 1 else plural


_plural: Callable[[str, str, int], str] = _english_rule


def _english_rule_in(context: str, singular: str, plural: str, n: int) -> str:
    return _english_rule(singular, plural, n)


_contextual_plural: Callable[[str, str, str, int], str] = _english_rule_in


def use(
    translate: Callable[[str], str],
    current: Callable[[], str | None] | None = None,
    contextual: Callable[[str, str], str] | None = None,
    plural: Callable[[str, str, int], str] | None = None,
    contextual_plural: Callable[[str, str, str, int], str] | None = None,
) -> None:
    """Plug in the translation function (Django's ``gettext``, from ``CoreConfig.ready``),
    the one that names the active language (``get_language``), ``pgettext``, ``ngettext``
    and ``npgettext``."""
    global _translate, _language, _contextual, _plural, _contextual_plural
    _translate = translate
    if current is not None:
        _language = current
    if contextual is not None:
        _contextual = contextual
    if plural is not None:
        _plural = plural
    if contextual_plural is not None:
        _contextual_plural = contextual_plural


def language() -> str:
    """The active language's code ("zh-hans", "en" …); Chinese until something is plugged in."""
    return _language() or "zh-hans"


def is_english() -> bool:
    """True when the reader chose English."""
    return language().lower().startswith("en")


def _(message: str) -> str:
    """The message in the active language; format it after: ``_("共 {n} 人").format(n=n)``."""
    return _translate(message)


def pgettext(context: str, message: str) -> str:
    """A short message whose English depends on where it stands ("上限" as a table column
    of a report, not a form's "to")."""
    return _contextual(context, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a counted message for ``n`` in the active language: Chinese has one
    form (``singular`` and ``plural`` are the same text), English "1 class" and "2 classes"
    (the catalogue's ``msgstr[0]`` and ``msgstr[1]``). Format it after, as with ``_``."""
    return _plural(singular, plural, n)


def npgettext(context: str, singular: str, plural: str, n: int) -> str:
    """``ngettext`` for a form whose English depends on what is counted ("{n} 份": lists,
    plans, requests)."""
    return _contextual_plural(context, singular, plural, n)


def counted(singular: str, plural: str, n: int) -> str:
    """A number with its noun, in the active language: ``counted("{n} 个班", "{n} 个班", 2)``
    is "2 个班" in Chinese and "2 classes" in English. For a sentence with several counts,
    each count is one of these, so each noun agrees with its own number."""
    return ngettext(singular, plural, n).format(n=n)


def counted_as(context: str, singular: str, plural: str, n: int) -> str:
    """``counted`` where the same Chinese counts different things in English:
    ``counted_as("社团", "{n}个", "{n}个", 2)`` is "2 clubs"."""
    return npgettext(context, singular, plural, n).format(n=n)


def gettext_noop(message: str) -> str:
    """Marks a message for the catalogue without translating it now."""
    return message


# English month names for dates written into sentences (``long_date``): a translation can
# reorder a date's parts but not turn a month's number into its name.
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def _month(month: int) -> str | int:
    return MONTHS[month - 1] if is_english() else month


def long_date(day: _date) -> str:
    """2026年9月1日, or "1 September 2026" in English."""
    return _("{year}年{month}月{day}日").format(year=day.year, month=_month(day.month), day=day.day)


def month_day(day: _date) -> str:
    """9月1日, or "1 September"."""
    return _("{month}月{day}日").format(month=_month(day.month), day=day.day)


def month_name(day: _date) -> str:
    """10月, or "October" (a whole month named without its year)."""
    return _("{month}月").format(month=_month(day.month))


def year_month(day: _date) -> str:
    """2026年9月, or "September 2026"."""
    return _("{year}年{month}月").format(year=day.year, month=_month(day.month))
