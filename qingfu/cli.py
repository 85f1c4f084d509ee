"""The ``qingfu`` console command: Django's management commands under the project's name.

``qingfu demo``, ``qingfu roster-import``, ``qingfu migrate`` … all run with the project's
settings without the caller having to know DJANGO_SETTINGS_MODULE.
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qingfu.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["qingfu", *sys.argv[1:]])


if __name__ == "__main__":
    main()
