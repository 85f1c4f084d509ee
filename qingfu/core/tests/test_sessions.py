"""Sessions read in one round trip with the version numbers that signing in reads next;
the session's own data still decides who is signed in."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import caches
from django.test import Client

from qingfu.conftest import World, committed
from qingfu.core import sessions

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


@pytest.fixture
def engine(settings: Any, shared_reads: None) -> Iterator[None]:
    settings.SESSION_ENGINE = "qingfu.core.sessions"
    sessions._session_users.clear()
    yield
    sessions._session_users.clear()


class _Trips:
    """The cache's reads during a request, as Redis would make them: the keys of each
    ``get`` and ``get_many`` (the in-memory cache's ``get_many`` calls ``get``)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls: list[list[str]] = []
        cache = caches["default"]
        get, get_many = cache.get, cache.get_many
        inside = []

        def one(key: str, *args: Any, **kwargs: Any) -> Any:
            if not inside:
                self.calls.append([key])
            return get(key, *args, **kwargs)

        def many(keys: list[str], *args: Any, **kwargs: Any) -> Any:
            self.calls.append(list(keys))
            inside.append(True)
            try:
                return get_many(keys, *args, **kwargs)
            finally:
                inside.pop()

        monkeypatch.setattr(cache, "get", one)
        monkeypatch.setattr(cache, "get_many", many)

    def with_key(self, fragment: str) -> list[list[str]]:
        return [call for call in self.calls if any(fragment in key for key in call)]


def _signed_in(user: Any) -> tuple[Client, str]:
    client = Client()
    with committed():
        client.force_login(user)
    return client, client.session.session_key  # type: ignore[return-value]


def test_a_known_session_is_read_with_the_users_versions(
    world: World, engine: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = world.users["guardian1"]
    client, key = _signed_in(user)
    assert client.get("/").status_code == 200  # the first read learns whose session it is
    assert sessions._session_users[key] == user.pk
    trips = _Trips(monkeypatch)
    response = client.get("/")
    assert response.status_code == 200 and response.wsgi_request.user.pk == user.pk
    [call] = trips.with_key(key)  # the session, read once ...
    assert f"reads:v:user:{user.pk}" in call  # ... together with the user's version
    assert not trips.with_key(f"reads:v:user:{user.pk}")[1:]  # which is not read again


def test_the_session_decides_who_is_signed_in_not_the_hint(world: World, engine: None) -> None:
    user, other = world.users["guardian1"], world.users["math3"]
    client, key = _signed_in(user)
    sessions._session_users[key] = other.pk  # a wrong hint only fetches the wrong versions
    response = client.get("/")
    assert response.status_code == 200 and response.wsgi_request.user.pk == user.pk
    assert sessions._session_users[key] == user.pk


def test_a_session_missing_from_the_cache_comes_from_the_database(
    world: World, engine: None
) -> None:
    user = world.users["guardian1"]
    client, _key = _signed_in(user)
    assert client.get("/").status_code == 200
    caches["default"].clear()  # evicted or flushed: nobody is signed out
    response = client.get("/")
    assert response.status_code == 200 and response.wsgi_request.user.pk == user.pk
    with committed():
        client.logout()
    assert client.get("/").status_code == 302  # signing out still signs out
