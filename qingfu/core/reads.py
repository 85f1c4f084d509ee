"""Cached reads under version numbers: what requests read again and again (an actor's
roles, class-days, policy profiles, calendar days), kept until a record it is built from
changes.

Each entry is keyed by the version numbers of the records it is built from, and every
write to those records moves the version on when it commits (``cache_clear``: model saves
and deletes through signals each app connects in its ``ready``; bulk writers call it), so
an entry read after a change is never one computed before it was committed, and nothing
read inside a transaction that changed such records is kept.
Versions:
  policy (everywhere): policy overrides, schools, districts
  roster (per school): students, classes, grades, teachers and teaching assignments,
    roster imports
  calendar (per school): semesters and calendar exceptions
  homework (per school): publishing, items, logging modes, subjects
  calibration (per school): the calibration totals, moved by the class-day refresh
  user (per user): the user row and preferences, and what gives the user roles: role
    grants, the teacher, student or guardian record, guardian links, teaching assignments,
    grade groups, and the students and classes that make the user a student, a guardian
    or a head teacher
so a publish or a student edit in one school leaves the others' entries, and its own
policy and calendar entries, alone; at district scale one edit does not empty every
school's class-days and every signed-in person's roles at once. An evicted number comes back as a fresh random one, never an old one.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Collection
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction

T = TypeVar("T")

GLOBAL_SCOPES = ("policy",)
SCHOOL_SCOPES = (
    "roster",
    "calendar",
    "homework",
    "calibration",
)  # read ahead for the request's schools
# A user's own: "user", keyed by the user's id.
TTL = 6 * 3600


def _version_key(scope: str, owner: int | None) -> str:
    """The version's key: an everywhere scope's, or the one of the school or user ``owner``."""
    return f"reads:v:{scope}" if scope in GLOBAL_SCOPES else f"reads:v:{scope}:{owner}"


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

# The schools each user's requests read (their roles' schools), so that signing in fetches
# those schools' versions with the user's own: a hint for one round trip, never a permission.
_user_schools: dict[int, frozenset[int]] = {}


def remember_schools(user_id: int, schools: frozenset[int]) -> None:
    if _user_schools.get(user_id) != schools:
        if len(_user_schools) >= _LOCAL_MAX:
            _user_schools.clear()
        _user_schools[user_id] = schools


@dataclass
class _RequestReads:
    """What a request's ``Reads`` share: the version numbers read so far (so that signing
    in, the roles and the page ask the shared cache once), the cache and the connection
    (each looked up once, not on every read)."""

    versions: dict[str, int]
    cache: Any
    connection: Any


# Set by ``ReadsMiddleware`` for each request; a commit during the request drops the
# version numbers it moved.
_request: ContextVar[_RequestReads | None] = ContextVar("qingfu_reads", default=None)


def _uncommitted_change(conn: Any) -> bool:
    """Whether this connection's open transaction has changed what a version covers: what
    it reads now may be rolled back, and a rollback moves no version, so nothing read
    before the commit is kept."""
    if not conn.in_atomic_block:
        conn.qingfu_changed = False
        return False
    return bool(getattr(conn, "qingfu_changed", False))


class Reads:
    """One request's cached reads, each under version numbers read once per request (the
    first read fetches the everywhere ones and its schools' in one round trip).

    ``get`` answers from this process's memory, then the shared cache, then ``build``
    (the database). Without a trustworthy cache every read goes to the database."""

    def __init__(self, schools: Collection[int] = ()) -> None:
        """``schools``: the schools this request will likely read, fetched with the first
        read (a guardian's school is their children's)."""
        state = _request.get()
        if state is None:  # outside a request: a command, a worker, a test
            state = _RequestReads({}, shared_cache(), connections[DEFAULT_DB_ALIAS])
        self.cache = state.cache
        self._connection = state.connection
        self._versions = state.versions
        self._hint = set(schools)

    def _versions_of(self, scopes: tuple[str, ...], owner: int | None) -> tuple[int, ...]:
        keys = [_version_key(s, owner) for s in scopes]
        missing = [k for k in keys if k not in self._versions]
        if missing:  # fetch with them what the request will likely read next
            schools = {owner} if owner is not None and set(scopes) & set(SCHOOL_SCOPES) else set()
            user = owner if "user" in scopes else None
            self._fetch([*missing, *self._likely(schools, user, exclude=missing)])
        return tuple(self._versions[k] for k in keys)

    def _likely(
        self, schools: set[int], user: int | None, exclude: Collection[str] = ()
    ) -> list[str]:
        """The version keys not yet read that a request reads next: the everywhere ones,
        those of ``schools``, of the hinted schools and of the ``user``'s schools."""
        schools = schools | self._hint
        self._hint = set()
        if user is not None:
            schools |= _user_schools.get(user, frozenset())
        likely = [_version_key(s, None) for s in GLOBAL_SCOPES]
        likely += [_version_key(s, school) for school in schools for s in SCHOOL_SCOPES]
        return [k for k in likely if k not in exclude and k not in self._versions]

    def _fetch(self, keys: list[str], plain: str | None = None) -> Any:
        """Read the version numbers ``keys`` (starting those never set) into the request's,
        and, in the same round trip, the cache's plain entry ``plain``: its value or None."""
        found = self.cache.get_many(keys if plain is None else [*keys, plain])
        for key in keys:
            if key not in found:
                self.cache.add(key, secrets.randbits(48), timeout=None)
                found[key] = self.cache.get(key)
            value = found[key]
            self._versions[key] = int(value) if value is not None else secrets.randbits(48)
        return None if plain is None else found.get(plain)

    def get_with_user_versions(self, key: str, user_id: int) -> Any:
        """The shared cache's plain (unversioned) entry ``key``, read in the same round
        trip as the version numbers that reading user ``user_id`` and their roles takes
        next: the session's read, when this process has seen the session's user before.
        ``None`` when the entry is missing, or without a shared cache."""
        if self.cache is None or _uncommitted_change(self._connection):
            return None
        user_key = _version_key("user", user_id)
        wanted = [] if user_key in self._versions else [user_key]
        return self._fetch([*wanted, *self._likely(set(), user_id, exclude=wanted)], plain=key)

    def get(
        self,
        key: str,
        build: Callable[[], T],
        *,
        scopes: tuple[str, ...],
        owner: int | None = None,
        shared: bool = True,
    ) -> T:
        """``key``, kept while the versions of ``scopes`` (of the school or user ``owner``
        where they are one's own) stay where they are."""
        if self.cache is None or _uncommitted_change(self._connection):
            return build()
        version = self._versions_of(scopes, owner)
        local_key = (version, key)
        if local_key in _local:
            return _local[local_key]  # type: ignore[no-any-return]
        shared_key = f"reads:{key}:{'.'.join(map(str, version))}"
        found = self.cache.get(shared_key) if shared else None
        if found is None:
            found = build()
            if shared:
                self.cache.set(shared_key, found, timeout=TTL)
        if len(_local) >= _LOCAL_MAX:
            _local.clear()
        _local[local_key] = found
        return found


class ReadsMiddleware:
    """Gives each request its shared state (``_request``)."""

    def __init__(self, get_response: Callable[[Any], Any]) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        token = _request.set(_RequestReads({}, shared_cache(), connections[DEFAULT_DB_ALIAS]))
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)


def cache_clear(scope: str, owner: int | None = None) -> None:
    """Move a version on (an everywhere one, or that of the school or user ``owner``) once
    the current transaction commits, before the request answers. Until then the other
    connections read what was there before, and this one keeps nothing it reads
    (``_uncommitted_change``)."""
    key = _version_key(scope, owner)

    def bump() -> None:
        connection.qingfu_changed = False  # type: ignore[attr-defined]
        state = _request.get()
        if state is not None:
            state.versions.pop(key, None)
        cache = shared_cache()
        if cache is None:
            return
        try:
            cache.incr(key)
        except ValueError:  # evicted: start again from a number never used before
            cache.set(key, secrets.randbits(48), timeout=None)

    if connection.in_atomic_block:
        connection.qingfu_changed = True  # type: ignore[attr-defined]
    transaction.on_commit(bump)


def clear_on_change(
    scope: str,
    models: Collection[type],
    owners_of: Callable[[Any], Collection[int | None]] = lambda instance: (None,),
    *,
    as_stored_too: bool = False,
) -> None:
    """Move ``scope`` on whenever a record of ``models`` is saved or deleted: an everywhere
    scope, or that of each school or user ``owners_of(instance)`` names. ``as_stored_too``:
    an update also moves on those of the record as it was stored (a role moved from one
    user to another is taken from the first)."""
    from django.db.models.signals import post_delete, post_save, pre_save

    def clear(instance: Any) -> None:
        for owner in {None} if scope in GLOBAL_SCOPES else set(owners_of(instance)) - {None}:
            cache_clear(scope, owner)

    def on_change(sender: type, instance: Any, **kwargs: Any) -> None:
        clear(instance)

    def before_update(sender: type, instance: Any, **kwargs: Any) -> None:
        if instance.pk is not None and not instance._state.adding:
            stored = sender._default_manager.filter(pk=instance.pk).first()  # type: ignore[attr-defined]
            if stored is not None:
                clear(stored)

    for model in models:
        uid = f"reads-{scope}-{model.__name__}"
        post_save.connect(on_change, sender=model, weak=False, dispatch_uid=uid)
        post_delete.connect(on_change, sender=model, weak=False, dispatch_uid=uid)
        if as_stored_too:
            pre_save.connect(before_update, sender=model, weak=False, dispatch_uid=uid)
