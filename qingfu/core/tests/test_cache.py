"""The Redis cache backend reuses its client (needs Redis on 127.0.0.1, as CI has)."""

from __future__ import annotations

import pytest

from qingfu.core.cache import ReusingRedisCache


def test_redis_cache_reuses_one_client_and_behaves_as_djangos() -> None:
    import redis

    cache = ReusingRedisCache("redis://127.0.0.1:6379/15", {"KEY_PREFIX": "qingfu-test"})
    try:
        cache.set("k", {"a": 1})
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    try:
        assert cache.get("k") == {"a": 1}
        assert cache.add("n", 1) and not cache.add("n", 5) and cache.incr("n") == 2
        assert cache._cache.get_client() is cache._cache.get_client()
    finally:
        cache.delete_many(["k", "n"])
