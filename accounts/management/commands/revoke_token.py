"""`manage.py revoke_token PREFIX` or `revoke_token --user USERNAME [--name NAME]`."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from accounts.tokens import token_revoke
from agencies.models import ApiToken


class Command(BaseCommand):
    help = "Revoke API tokens: one by its prefix, or a user's (optionally only one integration's)."

    def add_arguments(self, parser):
        parser.add_argument("prefix", nargs="?", help="the token's first 12 characters")
        parser.add_argument("--user", help="revoke every live token of this user")
        parser.add_argument("--name", help="with --user: only the tokens of this integration")

    def handle(self, *args, prefix: str | None, user: str | None, name: str | None, **options):
        if bool(prefix) == bool(user):
            raise CommandError("Give a token prefix or --user USERNAME.")
        tokens = ApiToken.objects.filter(revoked_at__isnull=True).select_related("user")
        tokens = tokens.filter(prefix=prefix) if prefix else tokens.filter(user__username=user)
        if name:
            tokens = tokens.filter(name=name)
        rows = list(tokens)
        if not rows:
            raise CommandError("No live token matches.")
        for row in rows:
            # The command acts as the token's owner would: the audit names the user.
            token_revoke(token_id=row.pk, actor=row.user, channel="cli")
            self.stdout.write(f"Revoked {row.prefix}… of {row.user.username} ({row.name})")
