from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchoolsConfig(AppConfig):
    name = "qingfu.schools"
    label = "schools"
    verbose_name = _("学校")

    def ready(self) -> None:
        from qingfu.schools.admin_audit import audit_the_admin
        from qingfu.schools.versions import versions_connect

        versions_connect()
        # After the admin's autodiscovery (django.contrib.admin comes first in
        # INSTALLED_APPS): every admin page that shows a child is audited.
        audit_the_admin()
