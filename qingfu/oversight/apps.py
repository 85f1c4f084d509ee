from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "qingfu.oversight"
    label = "oversight"
    verbose_name = "区域督导"
