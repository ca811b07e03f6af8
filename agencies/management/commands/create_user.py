"""`manage.py create_user USERNAME --agency ACRONYM --role ROLE [--password P]`."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from agencies.services import user_create
from ctms.choices import Role


class Command(BaseCommand):
    help = "Create a user of an agency with a role; prints a generated password if none is given."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--agency", help="the agency's acronym (not needed for admin)")
        parser.add_argument("--role", required=True, help=", ".join(Role.values))
        parser.add_argument("--password", help="the password (generated when not given)")

    def handle(self, *args, username: str, agency: str | None, role: str, password: str | None,
               **options) -> None:  # fmt: skip
        try:
            user, password_used = user_create(
                username=username, role=role, agency_acronym=agency, password=password
            )
        except ValidationError as exc:
            raise CommandError(" ".join(_messages(exc))) from None
        where = f" at {user.agency.acronym}" if user.agency else ""
        self.stdout.write(f"Created {user.role} {user.username}{where}.")
        if password is None:
            self.stdout.write(f"Password: {password_used}")


def _messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [message for messages in exc.message_dict.values() for message in messages]
    return list(exc.messages)
