"""Writes owned by core: preferences and API tokens."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from qingfu.core.errors import ValidationFailed
from qingfu.core.models import ApiToken, UserPreference


def user_language_set(*, user: User, language: str) -> UserPreference:
    if language not in dict(settings.LANGUAGES):
        raise ValidationFailed.single("language", _("不支持的语言。"))
    pref, _created = UserPreference.objects.update_or_create(
        user=user, defaults={"language": language}
    )
    return pref


def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token; the plain key is returned once and never stored."""
    if not name.strip():
        raise ValidationFailed.single("name", _("请填写令牌名称。"))
    key = ApiToken.new_key()
    token = ApiToken.objects.create(user=user, name=name.strip(), key_hash=ApiToken.hash_key(key))
    return token, key
