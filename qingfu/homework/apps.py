from django.apps import AppConfig


class HomeworkConfig(AppConfig):
    name = "qingfu.homework"
    label = "homework"
    verbose_name = "作业"

    def ready(self) -> None:
        from qingfu.homework.logs import class_day_cache_connect

        class_day_cache_connect()
