from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "qingfu.assessment"
    label = "assessment"
    verbose_name = _("考试与评价")
