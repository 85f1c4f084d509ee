"""The cache of what homework reads again and again (class-days, students, policy
profiles, calendar days), all kept under one generation number that every change to what
they are built from moves on."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable, Collection
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
# typing re-checks the same day. Each cached entry is keyed by the version numbers of the
# records it is built from, and every write to those records moves the version on, now
# and on commit (``cache_clear``: model saves and deletes through signals connected in
# ``HomeworkConfig.ready``; bulk writers call it), so an entry read after a change is
# never one computed before it was committed. Versions:
#   policy (everywhere): policy overrides, schools, districts
#   roster (everywhere): students, classes, grades, roster imports
#   calendar (per school): semesters and calendar exceptions
#   homework (per school): publishing, items, logging modes, subjects
#   calibration (per school): the calibration totals, moved by the class-day refresh
# so a publish in one school leaves the others' entries, and its own policy and calendar
# entries, alone. An evicted number comes back as a fresh random one, never an old one.
GLOBAL_SCOPES = ("policy", "roster")
SCHOOL_SCOPES = ("calendar", "homework", "calibration")
CLASS_DAY_TTL = 6 * 3600


def _version_key(scope: str, school_id: int | None) -> str:
    return f"homework:v:{scope}" if scope in GLOBAL_SCOPES else f"homework:v:{scope}:{school_id}"


def shared_cache() -> Any:
    """The cache, when every process sees the same one: a shared cache (Redis), or the
    embedded one-process setup (SQLite). Several processes with their own in-memory cache
    would each miss the others' invalidations, so they read the database every time."""
    cache = caches["default"]
    if connection.vendor == "sqlite" or not isinstance(cache, LocMemCache):
        return cache
    return None


# What this process has read under a version, so that a request asks the shared cache
# only for the version numbers (one round trip) while nothing has changed.
_local: dict[tuple[tuple[int, ...], str], Any] = {}
_LOCAL_MAX = 20_000


class Reads:
    """One request's cached reads, each under version numbers read once per request (all
    of a school's in one round trip).

    ``get`` answers from this process's memory, then the shared cache, then ``build``
    (the database). Without a trustworthy cache every read goes to the database."""

    def __init__(self, schools: Collection[int] = ()) -> None:
        """``schools``: the schools this request will likely read, fetched with the first
        read (a guardian's school is their children's)."""
        self.cache = shared_cache()
        self._versions: dict[str, int] = {}
        self._hint = tuple(schools)

    def _read(self, school_id: int | None) -> None:
        keys = [_version_key(s, school_id) for s in GLOBAL_SCOPES]
        for school in {*self._hint, school_id} - {None}:
            keys += [_version_key(s, school) for s in SCHOOL_SCOPES]
        missing = [k for k in keys if k not in self._versions]
        if not missing:
            return
        found = self.cache.get_many(missing)
        for key in missing:
            if key not in found:
                self.cache.add(key, secrets.randbits(48), timeout=None)
                found[key] = self.cache.get(key)
            value = found[key]
            self._versions[key] = int(value) if value is not None else secrets.randbits(48)

    def get(
        self,
        key: str,
        build: Callable[[], T],
        *,
        scopes: tuple[str, ...],
        school_id: int | None = None,
        shared: bool = True,
    ) -> T:
        """``key``, kept while the versions of ``scopes`` (of ``school_id`` where they
        are a school's) stay where they are."""
        if self.cache is None:
            return build()
        self._read(school_id)
        version = tuple(self._versions[_version_key(s, school_id)] for s in scopes)
        local_key = (version, key)
        if local_key in _local:
            return _local[local_key]  # type: ignore[no-any-return]
        shared_key = f"homework:{key}:{'.'.join(map(str, version))}"
        found = self.cache.get(shared_key) if shared else None
        if found is None:
            found = build()
            if shared:
                self.cache.set(shared_key, found, timeout=CLASS_DAY_TTL)
        if len(_local) >= _LOCAL_MAX:
            _local.clear()
        _local[local_key] = found
        return found


def cache_clear(scope: str, school_id: int | None = None) -> None:
    """Move a version on (a school's scope, or an everywhere one), now and again once the
    current transaction commits: a reader between the two may have cached what was there
    before the commit."""
    key = _version_key(scope, school_id)

    def bump() -> None:
        cache = shared_cache()
        if cache is None:
            return
        try:
            cache.incr(key)
        except ValueError:  # evicted: start again from a number never used before
            cache.set(key, secrets.randbits(48), timeout=None)

    bump()
    transaction.on_commit(bump)


def cache_connect() -> None:
    """Move the versions on whenever a record they cover is saved or deleted. Bulk writes
    send no signal: the roster import (bulk students) is caught by the audit entry it
    always writes in the same transaction; other bulk writers (the demo builders) run
    before anything is cached or must call ``cache_clear``."""
    from django.db.models.signals import post_delete, post_save

    from qingfu.core.models import AuditEntry
    from qingfu.homework.models import AssignmentClass
    from qingfu.schools.models import CalendarException, District, Grade, PolicyOverride, Subject

    def handler(scope: str) -> Callable[..., None]:
        def on_change(sender: type, instance: Any, **kwargs: Any) -> None:
            if scope in GLOBAL_SCOPES:
                cache_clear(scope)
            elif isinstance(instance, Item | AssignmentClass):
                assignment = Assignment.objects.filter(id=instance.assignment_id)
                cache_clear(scope, assignment.values_list("school_id", flat=True).first())
            else:
                cache_clear(scope, instance.school_id)

        return on_change

    def on_audit(sender: type, instance: AuditEntry, **kwargs: Any) -> None:
        if instance.action == AuditEntry.Action.IMPORT:
            cache_clear("roster")

    covered = {
        "policy": (PolicyOverride, School, District),
        "roster": (Student, SchoolClass, Grade),
        "calendar": (Semester, CalendarException),
        "homework": (Assignment, AssignmentClass, Item, ClassLogging, Subject),
    }
    for scope, models in covered.items():
        for model in models:
            uid = f"homework-cache-{model.__name__}"
            post_save.connect(handler(scope), sender=model, weak=False, dispatch_uid=uid)
            post_delete.connect(handler(scope), sender=model, weak=False, dispatch_uid=uid)
    post_save.connect(on_audit, sender=AuditEntry, weak=False, dispatch_uid="homework-cache-import")


def school_profile(school: School | int, reads: Reads | None = None) -> Profile:
    """``profile_for_school``, kept in this process under the generation (a profile holds
    read-only mappings that do not go into a shared cache)."""
    school_id = school if isinstance(school, int) else school.pk

    def build() -> Profile:
        found = school if isinstance(school, School) else None
        return profile_for_school(
            found or School.objects.select_related("district").get(id=school_id)
        )

    return (reads or Reads()).get(f"profile:{school_id}", build, scopes=("policy",), shared=False)


def day_kind(school_id: int, day: dt.date, reads: Reads | None = None) -> DayKind:
    """What kind of day ``day`` is at the school (``day_info``), cached."""
    return (reads or Reads()).get(
        f"day-kind:{school_id}:{day.isoformat()}",
        lambda: day_info(school_id, day).kind,
        scopes=("calendar",),
        school_id=school_id,
    )
