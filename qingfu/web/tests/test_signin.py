"""Sign-in throttling (django-axes, ``qingfu.core.signin``): a guesser is stopped after ten
wrong passwords for one account from one address, told how long to wait, and let in again
after the wait or `qingfu unlock`; unknown API tokens are stopped the same way."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from qingfu.conftest import World, committed
from qingfu.core.services import api_token_create

pytestmark = pytest.mark.django_db

PASSWORD = "Correct-horse-2026"


@pytest.fixture(autouse=True)
def _fast_hashes(settings: object) -> None:
    # A real hash costs most of a second on CI's machine; the count is what is tested here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


def _with_password(world: World, name: str = "math3") -> str:
    user = world.users[name]
    with committed():
        user.set_password(PASSWORD)
        user.save()
    return user.username


def _sign_in(client: Client, username: str, password: str, address: str = "10.0.0.5") -> object:
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_twelve_wrong_passwords_then_the_right_one_is_refused(world: World) -> None:
    username = _with_password(world)
    client = Client()
    answers = [_sign_in(client, username, f"wrong-{n}") for n in range(12)]
    # Nine plain refusals, then the tenth failure locks: 429 with the wait, in Chinese.
    assert [a.status_code for a in answers[:9]] == [200] * 9
    assert all(a.status_code == 429 for a in answers[9:])
    right = _sign_in(client, username, PASSWORD)
    assert right.status_code == 429
    assert not _signed_in(client)
    assert 1 <= int(right["Retry-After"]) <= 15 * 60
    body = right.content.decode()
    assert "登录失败次数过多" in body and "15 分钟后再试" in body
    # The lock is the account's from this address: the same account from another address,
    # and another account from this one, still sign in.
    assert _sign_in(Client(), username, PASSWORD, address="10.0.0.6").status_code == 302
    other = _with_password(world, "head31")
    assert _sign_in(Client(), other, PASSWORD).status_code == 302


def test_the_lock_ends_after_the_wait(world: World, time_machine: object) -> None:
    username = _with_password(world)
    time_machine.move_to(dt.datetime(2026, 11, 23, 2, 30, tzinfo=dt.UTC), tick=False)  # type: ignore[attr-defined]
    for n in range(10):
        _sign_in(Client(), username, f"wrong-{n}")
    time_machine.move_to(dt.datetime(2026, 11, 23, 2, 40, tzinfo=dt.UTC), tick=False)  # type: ignore[attr-defined]
    locked = _sign_in(Client(), username, PASSWORD)
    assert locked.status_code == 429
    assert int(locked["Retry-After"]) == 5 * 60  # counted from the last failure, not this try
    assert "5 分钟后再试" in locked.content.decode()
    time_machine.move_to(dt.datetime(2026, 11, 23, 2, 46, tzinfo=dt.UTC), tick=False)  # type: ignore[attr-defined]
    client = Client()
    assert _sign_in(client, username, PASSWORD).status_code == 302
    assert _signed_in(client)


def test_a_right_password_clears_the_count(world: World) -> None:
    username = _with_password(world)
    for n in range(9):
        _sign_in(Client(), username, f"wrong-{n}")
    assert _sign_in(Client(), username, PASSWORD).status_code == 302
    for n in range(9):
        assert _sign_in(Client(), username, f"again-{n}").status_code == 200


def test_unlock_lets_the_account_in_again(world: World) -> None:
    username = _with_password(world)
    for n in range(10):
        _sign_in(Client(), username, f"wrong-{n}")
    assert _sign_in(Client(), username, PASSWORD).status_code == 429
    out = StringIO()
    call_command("unlock", username, stdout=out)
    assert "1 " in out.getvalue()  # the account's one record, from this address
    client = Client()
    assert _sign_in(client, username, PASSWORD).status_code == 302
    assert _signed_in(client)


def test_unknown_api_tokens_are_throttled_by_address(world: World) -> None:
    _, key = api_token_create(user=world.users["head31"], name="对接")
    guesser = {"REMOTE_ADDR": "10.0.0.9"}
    answers = [
        Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer qf_guess{n}", **guesser)
        for n in range(10)
    ]
    assert [a.status_code for a in answers[:9]] == [401] * 9
    assert answers[9].status_code == 429
    # Locked: even a good token from that address waits, and is told how long.
    locked = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}", **guesser)
    assert locked.status_code == 429
    assert locked.json()["code"] == "locked_out"
    assert "分钟后再试" in locked.json()["message"]
    assert 1 <= int(locked["Retry-After"]) <= 15 * 60
    # Another address is not affected; unlocking the address lets the token in again.
    ok = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}", REMOTE_ADDR="10.0.0.8")
    assert ok.status_code == 200
    call_command("unlock", "--api", "10.0.0.9", stdout=StringIO())
    again = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}", **guesser)
    assert again.status_code == 200


def test_sessions_expire_and_passwords_are_checked(settings: object) -> None:
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    assert settings.SESSION_COOKIE_AGE == 12 * 3600  # type: ignore[attr-defined]
    for weak in ("12345678", "password", "qf"):
        with pytest.raises(ValidationError):
            validate_password(weak)
    validate_password("Correct-horse-2026")
