"""`manage.py export_records [--output FILE]`: every record as JSON Lines."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from ctms.audit import audit
from transfer.exporter import export_records


class Command(BaseCommand):
    help = "Write every record as JSON Lines (SPEC section 6), to standard output by default."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--output", "-o", help="file to write instead of standard output")

    def handle(self, *args, output: str | None, **options) -> None:
        if output:
            try:
                with open(output, "w", encoding="utf-8") as out:
                    counts = export_records(out)
            except OSError as exc:
                raise CommandError(f"cannot write {output}: {exc.strerror}") from None
        else:
            # The raw stream: OutputWrapper would add styling and line-ending handling.
            counts = export_records(self.stdout._out)
        audit(
            actor=None,
            action="export",
            object_type="records",
            channel="cli",
            details={"counts": counts, "output": output or "stdout"},
        )
        if output:
            total = sum(counts.values())
            self.stderr.write(f"Exported {total} records to {output}.")
