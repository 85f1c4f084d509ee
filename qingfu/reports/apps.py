from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "qingfu.reports"
    label = "reports"
    verbose_name = _("报告与台账")

    def ready(self) -> None:
        # The 一表通 asks the reports layer for the school facts it counts (homework,
        # after-school, surveys) through core's registry: burden does not import reports.
        from qingfu.core.facts import register_school_facts
        from qingfu.reports.yibiaotong import school_facts

        register_school_facts(school_facts)
