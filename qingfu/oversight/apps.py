from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    name = "qingfu.oversight"
    label = "oversight"
    verbose_name = _("区域督导")

    def ready(self) -> None:
        from qingfu.core.changes import ClassDayListener, listen_to_class_days
        from qingfu.oversight.services import (
            rollups_mark_statement,
            rollups_marked,
            rollups_refresh_on_commit,
        )

        # The duties announce changed class-days; the rollups (and what follows from the
        # logs) are refreshed from them, on commit or by the background workers.
        listen_to_class_days(
            ClassDayListener(
                changed=rollups_refresh_on_commit,
                mark_statement=rollups_mark_statement,
                marked=rollups_marked,
            )
        )
