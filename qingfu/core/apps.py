from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "qingfu.core"
    label = "core"
    verbose_name = "核心"
