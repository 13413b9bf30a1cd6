"""``kehu apitoken create USERNAME --name NAME`` prints a new token (once);
``kehu apitoken revoke USERNAME (--name NAME | --prefix PREFIX | --all)`` revokes;
``kehu apitoken list USERNAME`` shows a user's tokens without their secrets."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kehu.api.auth import issue_token, revoke_token
from kehu.core.models import ApiToken


class Command(BaseCommand):
    help = "Create, list and revoke per-user API tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Issue a token; it is printed once.")
        create.add_argument("username")
        create.add_argument("--name", required=True, help="What the token is for")
        revoke = sub.add_parser("revoke", help="Revoke a user's active tokens.")
        revoke.add_argument("username")
        which = revoke.add_mutually_exclusive_group(required=True)
        which.add_argument("--name", help="Tokens with this name")
        which.add_argument("--prefix", help="The token starting with these characters")
        which.add_argument("--all", action="store_true", help="Every active token")
        listing = sub.add_parser("list", help="Show a user's tokens (never the secrets).")
        listing.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        user = self._user(options["username"])
        action = options["action"]
        if action == "create":
            if not user.is_active:
                raise CommandError(f"User {user.username!r} is inactive.")
            token, raw = issue_token(user=user, name=options["name"])
            self.stderr.write(f"Token {token.name!r} for {user.username}; it is shown only once:")
            # The token alone on stdout, so `kehu apitoken create … > file` captures just it.
            self.stdout.write(raw)
        elif action == "revoke":
            active = ApiToken.objects.filter(user=user, revoked_at__isnull=True)
            if options["name"]:
                active = active.filter(name=options["name"])
            elif options["prefix"]:
                active = active.filter(prefix=options["prefix"][:8])
            tokens = list(active)
            if not tokens:
                raise CommandError("No matching active token.")
            for token in tokens:
                revoke_token(token=token)
            self.stdout.write(f"Revoked {len(tokens)} token(s) of {user.username}.")
        else:
            for token in ApiToken.objects.filter(user=user).order_by("created_at"):
                state = f"revoked {token.revoked_at:%Y-%m-%d}" if token.revoked_at else "active"
                used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never"
                self.stdout.write(f"{token.prefix}…  {token.name}  {state}  last used {used}")

    def _user(self, username: str) -> Any:
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user {username!r}.") from None
