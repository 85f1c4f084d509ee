from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchoolsConfig(AppConfig):
    name = "qingfu.schools"
    label = "schools"
    verbose_name = _("学校")

    def ready(self) -> None:
        from qingfu.schools.versions import versions_connect

        versions_connect()
