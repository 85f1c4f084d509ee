from django.apps import AppConfig


class WellbeingConfig(AppConfig):
    name = "qingfu.wellbeing"
    label = "wellbeing"
    verbose_name = "五项管理"
