"""The ``qingfu`` console command: Django's management commands under the project's name.

``qingfu demo``, ``qingfu roster-import``, ``qingfu migrate`` … all run with the project's
settings without the caller having to know DJANGO_SETTINGS_MODULE. ``qingfu celery …`` is
Celery's own command line for the project's app: ``qingfu celery worker`` runs a worker and
``qingfu celery beat`` the scheduler (``docs/background.md``).
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qingfu.config.settings")
    # What a command (or a worker it starts) reads of a minor's data is audited as done by a
    # command; a request to `runserver` is still told apart by the audit middleware.
    os.environ.setdefault("QINGFU_AUDIT_CHANNEL", "command")
    if sys.argv[1:2] == ["celery"]:
        from celery.bin.celery import main as celery_main

        sys.argv = ["qingfu celery", "-A", "qingfu.config", *sys.argv[2:]]
        celery_main()
        return
    from django.core.management import execute_from_command_line

    execute_from_command_line(["qingfu", *sys.argv[1:]])


if __name__ == "__main__":
    main()
