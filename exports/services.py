"""Writing CTDC exports: to a stream or file (command, task) and as background runs (web)."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from ctms.audit import audit
from ctms.errors import PermissionDenied, ValidationError
from ctms.models import AuditEvent

from . import writers
from .ctdc import COLUMN_NAMES, ExportSummary, copy_csv_rows, ctdc_row_chunks, k_anonymity
from .models import ExportRun
from .policies import can_export_ctdc
from .selectors import ctdc_pair_count
from .summary import keep
from .writers import Progress

PROGRESS_EVERY = 20_000  # rows between two progress writes of a background run


def ctdc_write(
    target, *, fmt: str, summary: ExportSummary | None = None, progress: Progress | None = None
) -> ExportSummary:
    """Write the CTDC data set: CSV to a text stream, XLSX to a file path. Return what was
    written and what k-anonymity held back (`summary`, filled as the rows go by)."""
    summary = summary or ExportSummary(k=k_anonymity())
    started = time.time()
    if fmt == ExportRun.Format.CSV and connection.vendor == "postgresql":
        writers.write_csv(target, COLUMN_NAMES, [], None)  # the header
        copy_csv_rows(target, summary, progress)
    else:
        chunks = ctdc_row_chunks(summary)
        if fmt == ExportRun.Format.XLSX:
            writers.write_xlsx(target, COLUMN_NAMES, chunks, progress)
        else:
            writers.write_csv(target, COLUMN_NAMES, chunks, progress)
    keep(summary, started)  # every row went by: the export page can show these counts
    return summary


def kept_when_done(chunks: Iterator[list[tuple]], summary: ExportSummary) -> Iterator[list]:
    """The chunks of a streamed export; once the last has gone out, `summary` holds the whole
    count and is kept for the export page (a download broken off keeps nothing)."""
    started = time.time()
    yield from chunks
    keep(summary, started)


def export_audit(*, user, fmt: str, channel: str, ip_address: str | None = None, **details):
    """Every CTDC export or download leaves one audit event."""
    return audit(
        actor=user,
        action=AuditEvent.Action.DOWNLOAD if channel == "web" else AuditEvent.Action.EXPORT,
        object_type="ctdc_export",
        channel=channel,
        ip_address=ip_address,
        details={"format": fmt, **details},
    )


def exports_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "exports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def export_run_create(*, user, fmt: str, ip_address: str | None = None) -> ExportRun:
    """Queue a background CTDC export for a secretariat user or an administrator."""
    if not can_export_ctdc(user):
        raise PermissionDenied("Only the secretariat exports the CTDC data set.")
    if fmt not in ExportRun.Format.values:
        raise ValidationError({"format": f"Choose one of {', '.join(ExportRun.Format.values)}."})
    from .tasks import run_ctdc_export  # the task module imports this one

    with transaction.atomic():
        run = ExportRun.objects.create(format=fmt, k=k_anonymity(), created_by=user)
        export_audit(user=user, fmt=fmt, channel="web", ip_address=ip_address, run=str(run.id))
        transaction.on_commit(lambda: run_ctdc_export.delay(str(run.id)))
    return run


def export_run_execute(*, run_id: str) -> ExportRun:
    """Write the run's file, recording progress; safe to retry (a finished run is left alone)."""
    run = ExportRun.objects.get(pk=run_id)
    if run.status == ExportRun.Status.DONE:
        return run
    expected = ctdc_pair_count()
    ExportRun.objects.filter(pk=run.pk).update(
        status=ExportRun.Status.RUNNING, started_at=timezone.now(), rows_expected=expected, error=""
    )
    target = exports_dir() / f"{run.pk}.{run.format}"
    summary = ExportSummary(k=run.k)
    try:
        _write_atomically(run, target, summary)
    except Exception as error:
        ExportRun.objects.filter(pk=run.pk).update(
            status=ExportRun.Status.FAILED, error=str(error)[:2000], finished_at=timezone.now()
        )
        raise
    ExportRun.objects.filter(pk=run.pk).update(
        status=ExportRun.Status.DONE,
        rows_written=summary.rows_exported,
        rows_suppressed=summary.rows_suppressed,
        file=str(target.relative_to(settings.MEDIA_ROOT)),
        finished_at=timezone.now(),
    )
    run.refresh_from_db()
    return run


def _progress_recorder(run: ExportRun, summary: ExportSummary) -> Progress:
    """A callback that saves the counts every PROGRESS_EVERY rows (not at every chunk)."""
    last = {"rows": 0}

    def record(written: int) -> None:
        if written - last["rows"] >= PROGRESS_EVERY:
            last["rows"] = written
            ExportRun.objects.filter(pk=run.pk).update(
                rows_written=written, rows_suppressed=summary.rows_suppressed
            )

    return record


def _write_atomically(run: ExportRun, target: Path, summary: ExportSummary) -> None:
    """Write beside the target and rename at the end: a half-written file is never served."""
    progress = _progress_recorder(run, summary)
    with tempfile.NamedTemporaryFile(dir=target.parent, suffix=".part", delete=False) as part:
        part_path = Path(part.name)
    try:
        if run.format == ExportRun.Format.XLSX:
            ctdc_write(part_path, fmt=run.format, summary=summary, progress=progress)
        else:
            with part_path.open("w", encoding="utf-8", newline="") as stream:
                ctdc_write(stream, fmt=run.format, summary=summary, progress=progress)
        part_path.replace(target)
    finally:
        part_path.unlink(missing_ok=True)
