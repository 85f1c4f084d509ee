"""Background work, generically: send a task by name once the current transaction commits,
and the delay before a failed item's next attempt.

The app that owns a piece of work writes its durable mark (the outbox) with the change and
calls :func:`send_on_commit`; a lost message costs only time, because the owner also
sweeps its marks. With no broker configured (``CELERY_BROKER_URL`` empty: one process,
SQLite, the demo) nothing is sent and the owner does its work inline instead.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from celery import shared_task
from django.conf import settings
from django.db import transaction

log = logging.getLogger(__name__)


def broker_configured() -> bool:
    """Whether tasks go to a queue (Celery on ``CELERY_BROKER_URL``)."""
    return bool(settings.CELERY_BROKER_URL)


def send_on_commit(name: str, *args: Any) -> None:
    """Send the task ``name`` with ``args`` after the current transaction commits (at once
    outside one). A broker that cannot be reached is logged, not raised: the change and
    its mark are committed, and the owner's sweeper sends the work again."""
    if broker_configured():
        transaction.on_commit(partial(_send, name, args), robust=True)


def _send(name: str, args: tuple[Any, ...]) -> None:
    from celery import current_app

    try:
        current_app.send_task(name, args=args)
    except Exception:
        log.exception("could not send %s%r; the sweeper will send it again", name, args)


def backoff_seconds(attempts: int, *, base: float, cap: float) -> float:
    """The wait after the ``attempts``-th failure: ``base`` doubled per failure, at most
    ``cap``."""
    return float(min(cap, base * 2 ** max(0, attempts - 1)))


@shared_task(name="qingfu.core.retention")
def retention() -> dict[str, int]:
    """Anonymise personal data older than ``QINGFU_RETENTION_DAYS``; beat sends it nightly
    (docs/privacy.md)."""
    from django.utils import timezone

    from qingfu.core.retention import retention_run

    return retention_run(now=timezone.now())
