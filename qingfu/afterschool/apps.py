from django.apps import AppConfig


class AfterschoolConfig(AppConfig):
    name = "qingfu.afterschool"
    label = "afterschool"
    verbose_name = "课后服务"
