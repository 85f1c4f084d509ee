from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "qingfu.reports"
    label = "reports"
    verbose_name = "报告与台账"
