"""The Redis cache backend reuses its client and behaves as Django's."""

from __future__ import annotations

import os
import subprocess
import sys
import warnings

import pytest

from qingfu.core.cache import ReusingRedisCache


def test_one_client_per_pool() -> None:
    cache = ReusingRedisCache("redis://127.0.0.1:6379/15", {})  # no connection made here
    assert cache._cache.get_client() is cache._cache.get_client()
    assert cache._cache.get_client(write=True) is cache._cache.get_client()


def test_any_key_goes_without_memcached_warnings() -> None:
    cache = ReusingRedisCache("redis://127.0.0.1:6379/15", {})
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # Django's check would warn: a space, 300 characters
        assert cache.make_and_validate_key("a key " + "x" * 300).endswith("x" * 300)


@pytest.mark.skipif(
    not os.environ.get("QINGFU_TEST_REDIS"),
    reason="set QINGFU_TEST_REDIS (CI sets it) to run against a Redis server",
)
def test_round_trips_against_redis() -> None:
    cache = ReusingRedisCache(os.environ["QINGFU_TEST_REDIS"], {"KEY_PREFIX": "qingfu-test"})
    try:
        cache.set("k", {"a": 1})
        assert cache.get("k") == {"a": 1}
        assert cache.add("n", 1) and not cache.add("n", 5) and cache.incr("n") == 2
        assert cache.get_many(["k", "n", "missing"]) == {"k": {"a": 1}, "n": 2}
    finally:
        cache.delete_many(["k", "n"])


def _key_prefix(database_url: str) -> str:
    code = "from django.conf import settings; print(settings.CACHES['default']['KEY_PREFIX'])"
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "qingfu.config.settings",
        "REDIS_URL": "redis://127.0.0.1:6379/15",
        "DATABASE_URL": database_url,
    }
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def test_two_databases_sharing_a_redis_keep_apart() -> None:
    """Cached users and roles are keyed by ids, which another database reuses."""
    one = _key_prefix("postgres://postgres@127.0.0.1:5432/school_one")
    assert one and one == _key_prefix("postgres://postgres@127.0.0.1:5432/school_one")
    assert one != _key_prefix("postgres://postgres@127.0.0.1:5432/school_two")
    assert one != _key_prefix("postgres://postgres@10.0.0.9:5432/school_one")
