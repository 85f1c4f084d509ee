"""The cache of what homework reads again and again (class-days, students, policy
profiles, calendar days), all kept under one generation number that every change to what
they are built from moves on."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection, transaction

from qingfu.homework.models import Assignment, ClassLogging, Item
from qingfu.policy.calendar import DayKind
from qingfu.policy.rules import Profile
from qingfu.schools.calendars import day_info, profile_for_school
from qingfu.schools.models import School, SchoolClass, Semester, Student

T = TypeVar("T")

# An evening's burst of logs reads the same class-day hundreds of times, and a teacher's
# typing re-checks the same day; these change only when someone publishes, changes the logging mode, the calendar,
# the roster or the policy. Every such write bumps one generation number on commit
# (``cache_clear``; model saves and deletes through signals connected in
# ``HomeworkConfig.ready``, bulk writers call it), and the entries are keyed by it, so an
# entry read after a change is never one computed before it was committed. A generation
# that was evicted comes back as a fresh random number, never as an earlier one.
_GENERATION_KEY = "homework:class-day:generation"
CLASS_DAY_TTL = 6 * 3600


def shared_cache() -> Any:
    """The cache, when every process sees the same one: a shared cache (Redis), or the
    embedded one-process setup (SQLite). Several processes with their own in-memory cache
    would each miss the others' invalidations, so they read the database every time."""
    cache = caches["default"]
    if connection.vendor == "sqlite" or not isinstance(cache, LocMemCache):
        return cache
    return None


def _generation(cache: Any) -> int:
    generation = cache.get(_GENERATION_KEY)
    if generation is None:
        cache.add(_GENERATION_KEY, secrets.randbits(48), timeout=None)
        generation = cache.get(_GENERATION_KEY)
    return int(generation) if generation is not None else secrets.randbits(48)


# What this process has read under a generation, so that a request asks the shared cache
# only for the generation number (one round trip) while nothing has changed.
_local: dict[tuple[int, str], Any] = {}
_LOCAL_MAX = 20_000


class Reads:
    """One request's cached reads, all under the generation read once at its start.

    ``get`` answers from this process's memory, then the shared cache, then ``build``
    (the database). Without a trustworthy cache every read goes to the database."""

    def __init__(self) -> None:
        self.cache = shared_cache()
        self.generation = None if self.cache is None else _generation(self.cache)

    def get(self, key: str, build: Callable[[], T], *, shared: bool = True) -> T:
        if self.cache is None or self.generation is None:
            return build()
        local_key = (self.generation, key)
        if local_key in _local:
            return _local[local_key]  # type: ignore[no-any-return]
        shared_key = f"homework:{key}:{self.generation}"
        found = self.cache.get(shared_key) if shared else None
        if found is None:
            found = build()
            if shared:
                self.cache.set(shared_key, found, timeout=CLASS_DAY_TTL)
        if len(_local) >= _LOCAL_MAX:
            _local.clear()
        _local[local_key] = found
        return found


def cache_clear() -> None:
    """Forget every cached class-day: now, and again once the current transaction commits
    (a reader between the two may have cached what was there before the commit)."""

    def bump() -> None:
        cache = shared_cache()
        if cache is None:
            return
        try:
            cache.incr(_GENERATION_KEY)
        except ValueError:  # evicted: start again from a number never used before
            cache.set(_GENERATION_KEY, secrets.randbits(48), timeout=None)

    bump()
    transaction.on_commit(bump)


def cache_connect() -> None:
    """Clear the cached class-days whenever a record they are built from is saved or
    deleted. Bulk writes send no signal: the roster import (bulk students) is caught by the
    audit entry it always writes in the same transaction; other bulk writers (the demo
    builders) run before anything is cached or must call ``cache_clear``."""
    from django.db.models.signals import post_delete, post_save

    from qingfu.core.models import AuditEntry
    from qingfu.homework.models import AssignmentClass
    from qingfu.schools.models import CalendarException, District, Grade, PolicyOverride, Subject

    def on_change(sender: type, **kwargs: Any) -> None:
        cache_clear()

    def on_audit(sender: type, instance: AuditEntry, **kwargs: Any) -> None:
        if instance.action == AuditEntry.Action.IMPORT:
            cache_clear()

    for model in (
        Assignment, AssignmentClass, Item, ClassLogging, Semester, CalendarException,
        Student, SchoolClass, Grade, Subject, School, District, PolicyOverride,
    ):  # fmt: skip
        uid = f"class-day-{model.__name__}"
        post_save.connect(on_change, sender=model, weak=False, dispatch_uid=uid)
        post_delete.connect(on_change, sender=model, weak=False, dispatch_uid=uid)
    post_save.connect(on_audit, sender=AuditEntry, weak=False, dispatch_uid="class-day-import")


def school_profile(school: School | int, reads: Reads | None = None) -> Profile:
    """``profile_for_school``, kept in this process under the generation (a profile holds
    read-only mappings that do not go into a shared cache)."""
    school_id = school if isinstance(school, int) else school.pk

    def build() -> Profile:
        found = school if isinstance(school, School) else None
        return profile_for_school(
            found or School.objects.select_related("district").get(id=school_id)
        )

    return (reads or Reads()).get(f"profile:{school_id}", build, shared=False)


def day_kind(school_id: int, day: dt.date, reads: Reads | None = None) -> DayKind:
    """What kind of day ``day`` is at the school (``day_info``), cached."""
    return (reads or Reads()).get(
        f"day-kind:{school_id}:{day.isoformat()}", lambda: day_info(school_id, day).kind
    )
