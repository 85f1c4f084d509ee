"""The Redis cache backend reuses its client and behaves as Django's."""

from __future__ import annotations

import os

import pytest

from qingfu.core.cache import ReusingRedisCache


def test_one_client_per_pool() -> None:
    cache = ReusingRedisCache("redis://127.0.0.1:6379/15", {})  # no connection made here
    assert cache._cache.get_client() is cache._cache.get_client()
    assert cache._cache.get_client(write=True) is cache._cache.get_client()


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
