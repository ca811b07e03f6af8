"""`manage.py load_reference_data`: working groups and agencies of agencies/data/reference.json."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from agencies.reference import reference_data_load


class Command(BaseCommand):
    help = "Create or update the working groups and reference agencies (idempotent)."

    def handle(self, *args, **options) -> None:
        counts = reference_data_load()
        self.stdout.write(
            "Reference data: {created} created, {updated} updated, {unchanged} unchanged.".format(
                **counts
            )
        )
