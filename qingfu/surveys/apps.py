from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "qingfu.surveys"
    label = "surveys"
    verbose_name = "课业负担调查"
