"""`manage.py purge_victim VICTIM_ID --reason R --by ADMIN_USERNAME`: delete a victim record
for good (e.g. entered in error, or an erasure request). Administrators only; audited."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from victims.models import Victim
from victims.services import victim_purge


class Command(BaseCommand):
    help = "Delete a victim record and every record about that person (administrators only)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("victim_id")
        parser.add_argument("--reason", required=True)
        parser.add_argument("--by", required=True, help="username of the administrator")

    def handle(self, *args, victim_id: str, reason: str, by: str, **options) -> None:
        user = get_user_model().objects.filter(username=by).first()
        try:
            victim = Victim.objects.get(pk=victim_id)
        except (Victim.DoesNotExist, ValidationError) as error:
            raise CommandError(f"No victim with id {victim_id}.") from error
        try:
            deleted = victim_purge(victim=victim, user=user, reason=reason, channel="cli")
        except PermissionDenied as error:
            raise CommandError(f"Refused: {error}") from error
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(f"Purged victim {victim_id}: {deleted}")
