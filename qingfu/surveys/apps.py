from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "qingfu.surveys"
    label = "surveys"
    verbose_name = _("课业负担调查")

    def ready(self) -> None:
        from qingfu.core import retention
        from qingfu.surveys.services import responses_anonymise

        retention.register("survey_answers", responses_anonymise)
