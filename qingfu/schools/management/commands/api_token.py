"""``qingfu api_token USERNAME NAME``: create an API token and print it once."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser

from qingfu.core.services import api_token_create


class Command(BaseCommand):
    help = "为用户生成 API 令牌（只显示一次）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("name")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = User.objects.get(username=options["username"])
        except User.DoesNotExist as exc:
            raise CommandError(f"没有用户 {options['username']}。") from exc
        _, key = api_token_create(user=user, name=options["name"])
        self.stdout.write(key)
