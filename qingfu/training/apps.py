from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "qingfu.training"
    label = "training"
    verbose_name = _("校外培训监管")
