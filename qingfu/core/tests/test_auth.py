"""The session's user comes from the cache, and every change to the account is seen by
its next request: a new password or a deactivated account signs old sessions out."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from qingfu.conftest import World, committed
from qingfu.core.auth import CachedModelBackend
from qingfu.core.models import UserPreference

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def test_the_user_and_language_are_read_once(
    world: World, shared_reads: None, django_assert_num_queries: Callable[..., object]
) -> None:
    user = world.users["math3"]
    backend = CachedModelBackend()
    with committed():
        UserPreference.objects.create(user=user, language="en")
    other = world.users["head31"].pk  # has no preference
    assert backend.get_user(user.pk).preference.language == "en"
    assert backend.get_user(other) is not None
    with django_assert_num_queries(0):  # type: ignore[attr-defined]
        found = backend.get_user(str(user.pk))
        assert found.preference.language == "en"
        assert not hasattr(backend.get_user(other), "preference")  # known missing


def test_nobody_for_a_missing_or_foreign_id(world: World, shared_reads: None) -> None:
    backend = CachedModelBackend()
    assert backend.get_user(10**9) is None
    assert backend.get_user("not-a-number") is None


def _signed_in(user: object) -> Client:
    client = Client()
    with committed():
        client.force_login(user)  # type: ignore[arg-type]  # the login saves last_login
    assert client.get("/").status_code in (200, 302)
    return client


@pytest.mark.parametrize("change", ["new password", "deactivated"])
def test_a_changed_account_signs_its_sessions_out(
    world: World, shared_reads: None, change: str
) -> None:
    user = world.users["math3"]
    client = _signed_in(user)
    assert client.get("/homework/").status_code == 200
    with committed():
        fresh = get_user_model().objects.get(pk=user.pk)
        if change == "new password":
            fresh.set_password("a-new-password-2026")
        else:
            fresh.is_active = False
        fresh.save()
    response = client.get("/homework/")
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_a_language_change_shows_on_the_next_page(world: World, shared_reads: None) -> None:
    client = _signed_in(world.users["math3"])
    assert client.get("/homework/")["Content-Language"] == "zh-hans"
    with committed():
        client.post("/language/", {"language": "en", "next": "/homework/"})
    assert client.get("/homework/")["Content-Language"] == "en"
