from django.apps import AppConfig


class HomeworkConfig(AppConfig):
    name = "qingfu.homework"
    label = "homework"
    verbose_name = "作业"

    def ready(self) -> None:
        from qingfu.homework.cache import cache_connect

        cache_connect()
