from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    name = "qingfu.schools"
    label = "schools"
    verbose_name = "学校"

    def ready(self) -> None:
        from qingfu.schools.versions import versions_connect

        versions_connect()
