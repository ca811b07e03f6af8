"""`manage.py issue_token USERNAME [--name INTEGRATION] [--days N]`: print a new API token.

The token is printed alone on the last line so that scripts can take it with `tail -n 1`.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from accounts.tokens import token_issue
from agencies.models import User
from ctms.errors import ValidationError


class Command(BaseCommand):
    help = "Issue a bearer token for the REST API to a user; prints the token on its last line."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="default", help="the integration the token is for")
        parser.add_argument(
            "--days", type=int, help="lifetime in days (default: API_TOKEN_LIFETIME)"
        )

    def handle(self, *args, username: str, name: str, days: int | None, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        if days is not None and days < 1:
            raise CommandError("--days must be at least 1.")
        try:
            row, token = token_issue(
                user=user,
                name=name,
                lifetime=dt.timedelta(days=days) if days else None,
                channel="cli",
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stderr.write(
            f"Token {row.prefix}… for {user.username} ({row.name}), "
            f"expires {row.expires_at:%Y-%m-%d}. It is shown once: store it now."
        )
        self.stdout.write(token)
