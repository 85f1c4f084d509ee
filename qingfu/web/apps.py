from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "qingfu.web"
    label = "web"
    verbose_name = _("界面")

    def ready(self) -> None:
        from django.core.signals import got_request_exception

        from qingfu.web.errors import flag_database_down

        got_request_exception.connect(flag_database_down, dispatch_uid="qingfu-database-down")
