from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "qingfu.core"
    label = "core"
    verbose_name = "核心"

    def ready(self) -> None:
        from django.utils.translation import gettext

        from qingfu.core import text
        from qingfu.core.auth import accounts_connect

        accounts_connect()
        text.use(gettext)
