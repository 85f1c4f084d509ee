"""Signing each request in without a database read while the user's account is unchanged."""

from __future__ import annotations

import copy
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError

from qingfu.core.reads import Reads, clear_on_change


class CachedModelBackend(ModelBackend):
    """``ModelBackend`` whose per-request lookup of the session's user (with the language
    preference the middleware reads) comes from the versioned cache, under the user's own
    "user" version. Any save of the user (password, active flag, last login) or of the
    preference moves it on as it commits, so a changed password or a deactivated account
    signs the old sessions out on their next request, as without the cache. The cached
    row holds the password's hash (the session check needs it): Redis stands inside the
    same trust boundary as the database."""

    def get_user(self, user_id: Any) -> Any:
        model = get_user_model()
        try:
            pk = model._meta.pk.to_python(user_id)
        except ValidationError:  # a session from another setup: nobody
            return None

        def build() -> Any:
            found = model._default_manager.select_related("preference").filter(pk=pk).first()
            return found if found is not None else False  # False: cached, and nobody

        user = Reads().get(f"user:{pk}", build, scopes=("user",), owner=pk)
        if not user or not self.user_can_authenticate(user):
            return None
        return copy.copy(user)  # the request's own: views may change it, others read it


def accounts_connect() -> None:
    from qingfu.core.models import UserPreference

    clear_on_change("user", (get_user_model(),), lambda user: (user.pk,))
    clear_on_change("user", (UserPreference,), lambda preference: (preference.user_id,))
