"""`manage.py export_ctdc [--format csv|xlsx] [--output FILE]`: the anonymised CTDC data set."""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from exports.ctdc import QUASI_IDENTIFIERS
from exports.services import ctdc_write, export_audit


class Command(BaseCommand):
    help = (
        "Write the anonymised case-level data set in the CTDC layout (CSV to standard output by "
        "default). Rows whose quasi-identifiers are shared by fewer than k victims are "
        "suppressed; the summary goes to standard error."
    )

    requires_system_checks: list[str] = []  # a read-only export: start at once

    def add_arguments(self, parser) -> None:
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        parser.add_argument("--output", help="file to write (default: standard output)")

    def handle(self, *args, format: str, output: str | None, **options) -> None:
        # The raw stream under Django's OutputWrapper: csv writes whole lines, fast.
        stdout = getattr(self.stdout, "_out", sys.stdout)
        if format == "xlsx" and output is None and stdout.isatty():
            raise CommandError("XLSX is binary: give --output FILE or redirect standard output.")
        if format == "xlsx":
            summary = self._xlsx(output, stdout)
        elif output:
            with open(output, "w", encoding="utf-8", newline="") as stream:
                summary = ctdc_write(stream, fmt="csv")
        else:
            summary = ctdc_write(stdout, fmt="csv")
            stdout.flush()
        export_audit(
            user=None,
            fmt=format,
            channel="cli",
            rows=summary.rows_exported,
            suppressed=summary.rows_suppressed,
            k=summary.k,
        )
        self.stderr.write(
            f"CTDC export ({format}): {summary.rows_exported} rows written, "
            f"{summary.rows_suppressed} rows suppressed (k={summary.k} over "
            f"{', '.join(QUASI_IDENTIFIERS)}); {summary.rows_total} victim-case rows read."
        )

    def _xlsx(self, output: str | None, stdout):
        if output:
            return ctdc_write(Path(output), fmt="xlsx")
        with tempfile.NamedTemporaryFile(suffix=".xlsx") as temporary:
            summary = ctdc_write(Path(temporary.name), fmt="xlsx")
            with open(temporary.name, "rb") as workbook:
                shutil.copyfileobj(workbook, stdout.buffer)
            stdout.buffer.flush()
        return summary
