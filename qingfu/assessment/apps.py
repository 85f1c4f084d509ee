from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "qingfu.assessment"
    label = "assessment"
    verbose_name = "考试与评价"
