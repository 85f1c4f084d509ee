"""WSGI entry point."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qingfu.config.settings")
application = get_wsgi_application()

# Load every page's code (the report libraries among them) while the process starts,
# not during the first request someone makes to it.
from django.urls import get_resolver  # noqa: E402

get_resolver().url_patterns  # noqa: B018
