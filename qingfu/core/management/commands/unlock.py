"""``qingfu unlock``: lift sign-in locks early (django-axes' records, ``qingfu.core.signin``).

A teacher locked out after mistyping calls the school; the school's administrator (or the
operator) runs ``qingfu unlock USERNAME``. ``--address`` limits it to one address;
``--api ADDRESS`` lifts the lock on bearer tokens from that address. Axes' own
``axes_reset``, ``axes_reset_ip`` and ``axes_list_attempts`` work too.
"""

from __future__ import annotations

from typing import Any

from axes.utils import reset
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from qingfu.core.signin import API_TOKEN_USERNAME


class Command(BaseCommand):
    help = "Lift sign-in locks: for an account (from every address, or one), or for API tokens from an address."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", nargs="*", help="account names to unlock")
        parser.add_argument("--address", help="only the lock from this address")
        parser.add_argument("--api", metavar="ADDRESS", help="the API token lock of this address")

    def handle(self, *args: Any, **options: Any) -> None:
        usernames: list[str] = options["username"]
        if not usernames and not options["api"]:
            raise CommandError(_("请给出要解除锁定的用户名，或用 --api 给出地址。"))
        removed = 0
        for username in usernames:
            removed += reset(ip=options["address"], username=username)
        if options["api"]:
            removed += reset(ip=options["api"], username=API_TOKEN_USERNAME)
        self.stdout.write(
            _("已解除锁定：清除了 %(count)d 条失败记录（每个账号与地址一条）。")
            % {"count": removed}
        )
