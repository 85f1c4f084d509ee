from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "qingfu.inspections"
    label = "inspections"
    verbose_name = "督导与整改"
