"""Writes of the statistics report: asking for a run, and carrying one out (the Celery task's
body). A run is idempotent: carried out twice it gives the same figures and the same files."""

from __future__ import annotations

import datetime as dt
import logging
import os
import time
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import F
from django.utils import timezone

from ctms.audit import audit
from ctms.errors import PermissionDenied, ValidationError
from ctms.models import AuditEvent

from .dashboard import keep_report_run
from .documents import FORMATS, file_name, render
from .figures import build_report
from .models import ReportRun
from .periods import Period, parse_period, previous_quarter
from .policies import can_use_reports
from .wording import LANGUAGES

FILES_DIR = "reports"
logger = logging.getLogger(__name__)


def report_request(*, user, period: str, channel: str = "web") -> ReportRun:
    """Queue the report for `period` (`2010-Q3`, `2010`, `2010-01-01..2010-06-30`).

    Raises PermissionDenied for anyone but the secretariat and administrators, ValidationError
    for a period that does not parse. The task starts once the run is committed.
    """
    if not can_use_reports(user):
        raise PermissionDenied("Only the secretariat and administrators ask for reports.")
    run = _queue(period=parse_period(period), user=user)
    audit(
        actor=user,
        action=AuditEvent.Action.CREATE,
        obj=run,
        channel=channel,
        details={"period": run.period},
    )
    return run


def report_retry(*, user, run: ReportRun, channel: str = "web") -> ReportRun:
    """Run a failed report again (the task completes what the failed attempt left)."""
    from .tasks import start_report

    if not can_use_reports(user):
        raise PermissionDenied("Only the secretariat and administrators ask for reports.")
    with transaction.atomic():
        run = ReportRun.objects.select_for_update().get(pk=run.pk)
        if run.status != ReportRun.Status.FAILED:
            raise ValidationError("Only a failed report can be run again.", code="not_failed")
        run.status, run.progress, run.progress_message = ReportRun.Status.QUEUED, 0, "Queued"
        run.save(update_fields=["status", "progress", "progress_message", "updated_at"])
        audit(
            actor=user,
            action=AuditEvent.Action.UPDATE,
            obj=run,
            channel=channel,
            details={"retry": True, "period": run.period},
        )
        transaction.on_commit(lambda: start_report(str(run.pk)))
    return run


def report_request_scheduled(*, today: dt.date) -> ReportRun:
    """The beat schedule's request: the previous quarter, once (a second beat reuses the run)."""
    period = previous_quarter(today)
    existing = (
        ReportRun.objects.filter(period=period.label, created_by=None)
        .exclude(status=ReportRun.Status.FAILED)
        .first()
    )
    if existing:
        return existing
    run = _queue(period=period, user=None)
    audit(
        actor=None,
        action=AuditEvent.Action.CREATE,
        obj=run,
        channel="task",
        details={"period": run.period, "scheduled": True},
    )
    return run


def run_fields(period: Period) -> dict[str, Any]:
    """The inputs a run stores: the period and the same period one year earlier."""
    previous = period.previous()
    return {
        "period": period.label,
        "period_start": period.start,
        "period_end": period.end,
        "previous_period": previous.label,
        "previous_start": previous.start,
        "previous_end": previous.end,
    }


def _queue(*, period: Period, user) -> ReportRun:
    from .tasks import start_report

    with transaction.atomic():
        run = ReportRun.objects.create(**run_fields(period), created_by=user)
        transaction.on_commit(lambda: start_report(str(run.pk)))
    return run


def _update(run_id, **fields: Any) -> None:
    """Write progress at once (outside any transaction) so the run page sees it while running."""
    ReportRun.objects.filter(pk=run_id).update(updated_at=timezone.now(), **fields)


def files_complete(run: ReportRun) -> bool:
    expected = {f"{fmt}_{lang}" for fmt in FORMATS for lang in LANGUAGES}
    return set(run.files) == expected and all(
        (Path(settings.MEDIA_ROOT) / path).is_file() for path in run.files.values()
    )


def write_atomically(relative: str, content: bytes) -> None:
    """Write to a temporary name beside the target, then rename: a reader (or a worker killed
    midway) never sees a half-written file under the real name."""
    target = Path(settings.MEDIA_ROOT) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
    try:
        with open(temporary, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def report_run_execute(*, run_id) -> ReportRun:
    """Compute the figures, write every file, then mark the run done (the task's body)."""
    run = ReportRun.objects.get(pk=run_id)
    if run.status == ReportRun.Status.DONE and files_complete(run):
        return run  # a retry of a finished run changes nothing
    _update(
        run.pk,
        status=ReportRun.Status.RUNNING,
        attempts=F("attempts") + 1,
        started_at=timezone.now(),
        finished_at=None,
        error="",
        progress=5,
        progress_message="Computing figures",
    )
    try:
        _execute(run)
    except (OperationalError, InterfaceError) as error:  # transient: the task retries
        _fail(run, error)
        raise
    except Exception as error:  # SoftTimeLimitExceeded included: a retry would not help
        logger.exception("Report run %s failed", run.pk)
        _fail(run, error)
    run.refresh_from_db()
    return run


def _fail(run: ReportRun, error: BaseException) -> None:
    _update(
        run.pk,
        status=ReportRun.Status.FAILED,
        finished_at=timezone.now(),
        error=f"{type(error).__name__}: {error}"[:2000],
    )


def _remove_leftovers(run: ReportRun) -> None:
    """Temporary files of an attempt whose worker was killed (no `finally` ran): never offered,
    removed so the run's directory holds only complete files."""
    directory = Path(settings.MEDIA_ROOT) / FILES_DIR / str(run.pk)
    for leftover in directory.glob(".*.tmp") if directory.is_dir() else []:
        leftover.unlink(missing_ok=True)


def _execute(run: ReportRun) -> None:
    _remove_leftovers(run)
    timings: dict[str, float] = {}
    clock = time.monotonic()
    period = Period(label=run.period, start=run.period_start, end=run.period_end)
    report = build_report(period)
    timings["figures"] = round(time.monotonic() - clock, 3)
    keep_report_run(period, report)  # a quarter's figures: the dashboard shows them at once
    _update(
        run.pk,
        figures=report["figures"],
        previous_figures=report["previous_figures"],
        changes=report["changes"],
        progress=30,
        progress_message="Figures computed",
    )
    steps = [(fmt, lang) for lang in LANGUAGES for fmt in FORMATS]
    files: dict[str, str] = {}
    for index, (fmt, lang) in enumerate(steps):
        _update(
            run.pk,
            progress=30 + 65 * index // len(steps),
            progress_message=f"Writing {fmt.upper()} ({lang})",
        )
        clock = time.monotonic()
        relative = f"{FILES_DIR}/{run.pk}/{file_name(report, fmt, lang)}"
        write_atomically(relative, render(report, fmt, lang))
        files[f"{fmt}_{lang}"] = relative
        timings[f"{fmt}_{lang}"] = round(time.monotonic() - clock, 3)
    run.files = files
    if not files_complete(run):
        raise RuntimeError("A report file is missing after writing it.")
    _update(
        run.pk,
        status=ReportRun.Status.DONE,
        progress=100,
        progress_message="Done",
        files=files,
        timings=timings,
        finished_at=timezone.now(),
    )


def report_file_path(run: ReportRun, key: str) -> Path | None:
    """The file offered for download under `key` (`pdf_km`, …), only once the run is done."""
    if run.status != ReportRun.Status.DONE or key not in run.files:
        return None
    path = Path(settings.MEDIA_ROOT) / run.files[key]
    return path if path.is_file() else None


def report_download(*, user, run: ReportRun, key: str, channel: str = "web") -> Path | None:
    """The file to stream, with the download written to the audit trail."""
    path = report_file_path(run, key)
    if path is not None:
        audit(
            actor=user,
            action=AuditEvent.Action.DOWNLOAD,
            obj=run,
            channel=channel,
            details={"file": key, "period": run.period},
        )
    return path
