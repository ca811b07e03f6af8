"""`manage.py report --period 2010 --format json`: the report of SPEC section 4, printed."""

from __future__ import annotations

import json
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from reports.documents import FORMATS, render
from reports.figures import build_report
from reports.periods import parse_period
from reports.wording import LANGUAGES


class Command(BaseCommand):
    help = "Print the statistics report of a period (the JSON of the API, or a file)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--period", required=True, help="2010-Q3, 2010 or 2010-01-01..2010-06-30"
        )
        parser.add_argument("--format", default="json", choices=["json", *FORMATS])
        parser.add_argument("--language", default="en", choices=LANGUAGES)
        parser.add_argument("--output", help="file to write (default: standard output)")

    def handle(self, *args, period: str, format: str, language: str, output: str | None, **options):
        try:
            report = build_report(parse_period(period))
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        if format == "json":
            content = (json.dumps(report, indent=2, ensure_ascii=False) + "\n").encode()
        else:
            content = render(report, format, language)
        if output:
            with open(output, "wb") as handle:
                handle.write(content)
        elif format == "json" or format == "csv":
            self.stdout.write(content.decode("utf-8-sig"), ending="")
        else:
            sys.stdout.buffer.write(content)
