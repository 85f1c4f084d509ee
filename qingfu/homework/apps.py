from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeworkConfig(AppConfig):
    name = "qingfu.homework"
    label = "homework"
    verbose_name = _("作业")

    def ready(self) -> None:
        from qingfu.core import retention
        from qingfu.homework.cache import cache_connect
        from qingfu.homework.logs import timelogs_anonymise

        cache_connect()
        retention.register("time_logs", timelogs_anonymise)
