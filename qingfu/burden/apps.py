from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BurdenConfig(AppConfig):
    name = "qingfu.burden"
    label = "burden"
    verbose_name = _("基层减负")
