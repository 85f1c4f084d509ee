from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WellbeingConfig(AppConfig):
    name = "qingfu.wellbeing"
    label = "wellbeing"
    verbose_name = _("五项管理")
