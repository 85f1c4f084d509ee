from django.apps import AppConfig


class HomeworkConfig(AppConfig):
    name = "qingfu.homework"
    label = "homework"
    verbose_name = "作业"
