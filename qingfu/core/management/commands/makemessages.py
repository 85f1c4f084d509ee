"""``makemessages`` that also finds the aliases this project marks messages with.

Forms import ``gettext_lazy as _lazy`` beside ``gettext as _`` (both are needed in one
module: labels are lazy, messages built in a request are not). Django's command only knows
the standard names, so without this a form's labels never reach the catalogue and English
readers see them in Chinese.
"""

from __future__ import annotations

from django.core.management.commands import makemessages

# The aliases beyond xgettext's and Django's own keywords (tests/test_messages.py's GETTEXT).
# ``phrase``, ``counted`` and ``counted_as`` build evidence kept to render later
# (qingfu.core.wording); ``counted`` in qingfu.core.text renders at once.
KEYWORDS = [
    "--keyword=_lazy",
    "--keyword=phrase",
    "--keyword=counted:1,2",
    "--keyword=counted_as:1c,2,3",
]


class Command(makemessages.Command):
    xgettext_options = makemessages.Command.xgettext_options + KEYWORDS
