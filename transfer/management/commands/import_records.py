"""`manage.py import_records FILE.jsonl [--dry-run]`: load records, all or nothing."""

from __future__ import annotations

import os
import sys

from django.core.management.base import BaseCommand, CommandError

from transfer.importer import import_records


def default_workers() -> int:
    """One worker a core, up to 4: past that the loader (look-ups and COPY) is the limit."""
    return max(1, min(4, len(os.sched_getaffinity(0))))


class Command(BaseCommand):
    help = "Load a JSON Lines file of records (SPEC section 6). All or nothing."
    # The system checks import every URL conf and view (about 2 s) for nothing the load uses;
    # `manage.py check` and the server still run them.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="the .jsonl file, or - for standard input")
        parser.add_argument(
            "--dry-run", action="store_true", help="validate everything, write nothing"
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=default_workers(),
            help="processes that build and validate the rows on PostgreSQL (default: the "
            "machine's cores, at most 4; 1 builds them in this process)",
        )

    def handle(self, *args, file: str, dry_run: bool, workers: int, **options) -> None:
        try:
            stream = sys.stdin.buffer if file == "-" else open(file, "rb")  # noqa: SIM115
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc.strerror}") from None
        with stream:
            progress = self.stderr.write if options.get("verbosity", 1) >= 2 else None
            result = import_records(
                stream, dry_run=dry_run, progress=progress, workers=max(workers, 1)
            )
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            more = " (stopped there: too many errors)" if result.truncated else ""
            raise CommandError(f"{len(result.errors)} error(s){more}; nothing was imported.")
        summary = ", ".join(f"{name} {count}" for name, count in result.counts.items())
        total = sum(result.counts.values())
        if dry_run:
            self.stdout.write(f"Dry run: {total} records are valid ({summary}); nothing written.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Imported {total} records ({summary})."))
