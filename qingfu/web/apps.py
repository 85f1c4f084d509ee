from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "qingfu.web"
    label = "web"
    verbose_name = "界面"
