"""Messages for pure modules: marked and translated without importing Django.

Pure modules (report writing, evidence, checklists, the duty roster's model …) must not
import Django, yet what they write reaches people who read English. They call ``_`` from
here; the core app's ``ready`` plugs in Django's ``gettext``, which follows the language
active for the request. Until then (a pure test, a benchmark) ``_`` returns the message
as written, in Chinese.

A message held at module level is translated at import time, before anything is plugged
in: mark it with ``gettext_noop`` and pass it through ``_`` where it is used.
``makemessages`` finds both (``_`` and ``gettext_noop`` are its keywords).
"""

from __future__ import annotations

from collections.abc import Callable

_translate: Callable[[str], str] = str


def use(translate: Callable[[str], str]) -> None:
    """Plug in the translation function (Django's ``gettext``, from ``CoreConfig.ready``)."""
    global _translate
    _translate = translate


def _(message: str) -> str:
    """The message in the active language; format it after: ``_("共 {n} 人").format(n=n)``."""
    return _translate(message)


def gettext_noop(message: str) -> str:
    """Marks a message for the catalogue without translating it now."""
    return message
