"""Sessions kept in Redis and the database (Django's ``cached_db``), read in the same
round trip as the version numbers that signing the session's user in reads next.

A signed-in request used to make two trips to Redis before the view ran: the session,
then the user's and roles' version numbers (``qingfu.core.reads``). Which user a session
belongs to never changes while the session key lives (signing in rotates the key), so
once this process has read a session it knows which versions to fetch with it. The hint
only chooses what to fetch: the user still comes from the session's own data.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends import cached_db

from qingfu.core.reads import Reads

_MAX = 20_000
_session_users: dict[str, int] = {}  # session key -> the user it signs in (this process's)


class SessionStore(cached_db.SessionStore):
    def load(self) -> dict[str, Any]:
        key = self.session_key
        user_id = _session_users.get(key) if key else None
        data = None
        if user_id is not None:
            reads = Reads()
            if reads.cache is self._cache:  # type: ignore[attr-defined]  # stubs: set in __init__
                data = reads.get_with_user_versions(self.cache_key, user_id)
        if data is None:  # unknown session, or not in Redis (evicted, flushed)
            data = super().load()
        found = data.get(SESSION_KEY)
        if key and isinstance(found, str | int) and str(found).isdigit():
            if len(_session_users) >= _MAX:
                _session_users.clear()
            _session_users[key] = int(found)
        return data
