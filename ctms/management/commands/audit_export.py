"""`manage.py audit_export [--since D] [--until D] [--format jsonl|csv] [--output FILE]`:
the audit trail, oldest first, streamed (constant memory whatever its size)."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterator

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from ctms.cells import safe_cell
from ctms.models import AuditEvent

COLUMNS = (
    "id",
    "at",
    "actor_id",
    "actor_username",
    "action",
    "object_type",
    "object_id",
    "channel",
    "ip_address",
    "details",
)


def parse_moment(value: str, *, end_of_day: bool = False) -> dt.datetime:
    """An ISO date or date-time; a bare date means its start (or, for --until, its end)."""
    moment = parse_datetime(value)
    if moment is None:
        day = parse_date(value)
        if day is None:
            raise CommandError(f"Not an ISO date or date-time: {value!r}")
        moment = dt.datetime.combine(day, dt.time.max if end_of_day else dt.time.min)
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def audit_rows(since: dt.datetime | None, until: dt.datetime | None) -> Iterator[dict]:
    events = AuditEvent.objects.order_by("at", "id")
    if since:
        events = events.filter(at__gte=since)
    if until:
        events = events.filter(at__lte=until)
    for row in events.values(*COLUMNS).iterator(chunk_size=2000):
        yield {**row, "at": row["at"].isoformat()}


class Command(BaseCommand):
    help = "Export the audit trail as JSON Lines (default) or CSV."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--since", help="ISO date or date-time (inclusive)")
        parser.add_argument("--until", help="ISO date or date-time (inclusive)")
        parser.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")
        parser.add_argument("--output", help="file to write (standard output by default)")

    def handle(self, *args, **options) -> None:
        since = parse_moment(options["since"]) if options["since"] else None
        until = parse_moment(options["until"], end_of_day=True) if options["until"] else None
        rows = audit_rows(since, until)
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8", newline="") as out:
                count = self._write(rows, out, options["format"])
            self.stderr.write(f"{count} events written to {options['output']}")
        else:
            self._write(rows, self.stdout, options["format"])

    @staticmethod
    def _write(rows: Iterator[dict], out, output_format: str) -> int:
        count = 0
        if output_format == "csv":
            writer = csv.DictWriter(out, fieldnames=COLUMNS)
            writer.writeheader()
            for row in rows:
                # Usernames of failed sign-ins are whatever an attacker typed: text, never a
                # formula, in the spreadsheet that opens this file.
                cells = {**row, "details": json.dumps(row["details"], ensure_ascii=False)}
                writer.writerow({name: safe_cell(value) for name, value in cells.items()})
                count += 1
        else:
            for row in rows:
                out.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
                count += 1
        return count
