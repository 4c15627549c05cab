"""Create, list and revoke integration API keys from the command line."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from aftersales.accounts.models import ApiKey
from aftersales.accounts.roles import STAFF_ROLES
from aftersales.accounts.services import apikey_create, apikey_revoke


class Command(BaseCommand):
    help = "Manage API keys: each key acts as its own account holding exactly one role."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a key and print it once")
        create.add_argument("--name", required=True, help="what the key is for, e.g. 小程序")
        create.add_argument(
            "--role",
            required=True,
            choices=[str(r) for r in STAFF_ROLES],
        )
        sub.add_parser("list", help="list keys (never their secrets)")
        revoke = sub.add_parser("revoke", help="revoke a key by its prefix")
        revoke.add_argument("prefix")

    def handle(self, *args, **opts):
        action = opts["action"]
        if action == "create":
            key, plain = apikey_create(actor=None, name=opts["name"], role=opts["role"])
            self.stdout.write(f"{key.name} ({key.role}): {plain}")
            self.stdout.write("Send it as the X-API-Key header. It is shown only this once.")
        elif action == "list":
            for key in ApiKey.objects.order_by("id"):
                state = "revoked" if key.revoked_at else "active"
                used = key.last_used_at.isoformat() if key.last_used_at else "never"
                line = f"{key.prefix}  {key.role:<18} {state:<8} used {used}  {key.name}"
                self.stdout.write(line)
        elif action == "revoke":
            key = ApiKey.objects.filter(prefix=opts["prefix"], revoked_at__isnull=True).first()
            if key is None:
                raise CommandError(f"no active key with prefix {opts['prefix']}")
            apikey_revoke(actor=None, key=key)
            self.stdout.write(f"revoked {key.prefix} ({key.name})")
