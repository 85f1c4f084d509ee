from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "qingfu.core"
    label = "core"
    verbose_name = _("核心")

    def ready(self) -> None:
        from django.utils.translation import (
            get_language,
            gettext,
            ngettext,
            npgettext,
            pgettext,
        )

        from qingfu.core import text
        from qingfu.core.auth import accounts_connect

        accounts_connect()
        text.use(gettext, get_language, pgettext, ngettext, npgettext)
