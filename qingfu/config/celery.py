"""The Celery app: background work on a real queue (Redis, or RabbitMQ) when
``CELERY_BROKER_URL`` is set. Its settings are Django's ``CELERY_*`` settings; tasks live in
the app that owns the work (``<app>/tasks.py``, found by ``autodiscover_tasks``).

Workers and the scheduler (beat) run as ``qingfu celery worker`` and ``qingfu celery beat``
(``docs/background.md``). Without a broker nothing is sent: rollups are refreshed inline,
or by ``qingfu rollups_worker``, and the nightly jobs run as management commands.
"""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qingfu.config.settings")

app = Celery("qingfu")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Celery keeps the current app per thread; the default serves every other thread, such as
# the web server's request threads, which send tasks on commit (``qingfu.core.tasks``).
# Celery's Django fix-up sets it too when no default exists yet; here it holds regardless.
app.set_default()
