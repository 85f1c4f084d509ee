from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    name = "qingfu.schools"
    label = "schools"
    verbose_name = "学校"
