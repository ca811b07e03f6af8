"""Run one exchange with an external system now (what the beat task does every 15 minutes)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from interop.client import SyncError, sync_external
from interop.models import ExternalSystem


class Command(BaseCommand):
    help = "Pull from and push to one external system (OSCaR API) now."

    def add_arguments(self, parser):
        parser.add_argument("name")

    def handle(self, *args, name, **options):
        system = ExternalSystem.objects.filter(name__iexact=name).first()
        if system is None or not system.url:
            raise CommandError(f"No external system {name!r} with a url.")
        try:
            result = sync_external(system=system)
        except SyncError as error:
            raise CommandError(f"{system.name} failed: {error}") from error
        self.stdout.write(
            f"pulled {result.pulled}, referrals created {result.referrals_created}, "
            f"sent {result.sent}, statuses sent {result.statuses_sent}, "
            f"problems {len(result.problems)}"
        )
        for problem in result.problems:
            self.stdout.write(f"  {problem}")
