"""``qingfu api_token USERNAME NAME``: create an API token and print it once."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from qingfu.core.services import api_token_create


class Command(BaseCommand):
    help = _("为用户生成 API 令牌（只显示一次）。")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("name")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = User.objects.get(username=options["username"])
        except User.DoesNotExist as exc:
            raise CommandError(_("没有用户 %(name)s。") % {"name": options["username"]}) from exc
        _token, key = api_token_create(user=user, name=options["name"])
        self.stdout.write(key)
