from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "qingfu.surveys"
    label = "surveys"
    verbose_name = _("课业负担调查")
