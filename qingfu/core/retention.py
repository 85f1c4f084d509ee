"""Retention of personal data: what is older than ``QINGFU_RETENTION_DAYS`` is anonymised by
a nightly task (``qingfu.core.retention``, sent by beat; ``qingfu retention`` by hand).

Each app that keeps personal data with a date registers, in its ``AppConfig.ready``, the
function that anonymises its rows older than a cut-off and returns how many it changed;
core runs them all (core cannot import the apps, and the apps know what in their rows is
personal). Anonymising keeps the rows and their counts: dashboards and reports, built from
counts per class and day, do not move.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.db import transaction

from qingfu.core.models import AuditEntry, AuditSubject

Anonymise = Callable[[dt.datetime], int]
_registered: dict[str, Anonymise] = {}


def register(name: str, anonymise: Anonymise) -> None:
    _registered[name] = anonymise


def cutoff(now: dt.datetime) -> dt.datetime:
    return now - dt.timedelta(days=settings.QINGFU_RETENTION_DAYS)


def audit_anonymise(before: dt.datetime) -> int:
    """Old entries lose who acted and which students they touched; what was done, when,
    in which role and school stays, for the counts. The trail of an erasure request is
    kept whole: it is the proof the request was carried out."""
    old = AuditEntry.objects.filter(at__lt=before).exclude(object_type="erasure")
    AuditSubject.objects.filter(entry__in=old).delete()
    return old.exclude(user=None, object_id="", detail="").update(
        user=None, object_id="", detail=""
    )


def retention_run(*, now: dt.datetime) -> dict[str, int]:
    """Anonymise everything registered that is older than the retention period."""
    before = cutoff(now)
    done: dict[str, int] = {}
    for name, anonymise in sorted(_registered.items()):
        with transaction.atomic():
            done[name] = anonymise(before)
    return done


register("audit", audit_anonymise)
