"""Celery tasks of the statistics report. Each takes ids, calls one service, is safe to retry."""

from __future__ import annotations

import logging
from concurrent.futures import Future, ThreadPoolExecutor

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError, connections
from django.utils import timezone

from . import services

# A year's report on a million victims takes well under a minute; ten minutes means trouble.
SOFT_TIME_LIMIT = 600
TIME_LIMIT = 660


@shared_task(
    name="reports.tasks.run_report",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=SOFT_TIME_LIMIT,
    time_limit=TIME_LIMIT,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=5,
    max_retries=3,
)
def run_report(self, run_id: str) -> str:
    """Carry out one report run (idempotent: a retry or a redelivery completes it)."""
    run = services.report_run_execute(run_id=run_id)
    return run.status


@shared_task(
    name="reports.tasks.request_previous_quarter_report", soft_time_limit=60, time_limit=90
)
def request_previous_quarter_report() -> str:
    """Beat, on the first day of each quarter: ask for the quarter that has just ended."""
    run = services.report_request_scheduled(today=timezone.localdate())
    return str(run.pk)


logger = logging.getLogger(__name__)
_executor: ThreadPoolExecutor | None = None
_started: list[Future] = []


def start_report(run_id: str) -> None:
    """Hand a run to the broker or, in the embedded default (no broker), to a background thread
    of the web process: the page answers at once and shows the progress, as with a worker
    (Celery's eager mode would hold the request until the PDF is drawn)."""
    global _executor
    if not settings.REPORT_THREAD:
        run_report.delay(run_id)
        return
    if _executor is None:
        _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ctms-reports")
    _started.append(_executor.submit(_run_in_background, run_id))


def _run_in_background(run_id: str) -> None:
    try:
        run_report.apply(args=[run_id])
    except Exception:  # noqa: BLE001 - the run records its failure; nobody else to tell
        logger.exception("report run %s failed", run_id)
    finally:
        connections.close_all()


def wait_for_background_reports(timeout: float = 120) -> None:
    """Block until the runs started on background threads are done (tests, shutdown)."""
    while _started:
        _started.pop(0).result(timeout=timeout)


@shared_task(name="reports.tasks.refresh_dashboard", soft_time_limit=120, time_limit=150)
def refresh_dashboard(period_label: str, province: str) -> str:
    """Build the dashboard's figures of a choice that a visit found missing or stale."""
    from .dashboard import rebuild
    from .periods import parse_period

    rebuild(parse_period(period_label), province)
    return period_label


def start_dashboard_refresh(period_label: str, province: str) -> None:
    """Hand a missing or stale dashboard choice to the broker or, with no broker, to the
    background thread that report runs use: the visit that noticed answers at once (with the
    kept figures, or the placeholder that polls for them)."""
    global _executor
    if not settings.REPORT_THREAD:
        refresh_dashboard.delay(period_label, province)
        return
    if _executor is None:
        _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ctms-reports")
    _started.append(_executor.submit(_refresh_in_background, period_label, province))


def _refresh_in_background(period_label: str, province: str) -> None:
    try:
        refresh_dashboard.apply(args=[period_label, province])
    except Exception:  # noqa: BLE001 - the kept figures stay; the next stale visit tries again
        logger.exception("dashboard refresh %s %s failed", period_label, province or "all")
    finally:
        connections.close_all()


# The warm-up builds one choice after the other (a few dozen reports); it stops starting new
# ones after reports.dashboard.WARM_BUDGET_SECONDS, well within these limits.
WARM_SOFT_TIME_LIMIT = 20 * 60
WARM_TIME_LIMIT = 21 * 60


@shared_task(
    name="reports.tasks.warm_dashboard",
    soft_time_limit=WARM_SOFT_TIME_LIMIT,
    time_limit=WARM_TIME_LIMIT,
)
def warm_dashboard() -> dict[str, int]:
    """Beat, every 15 minutes: rebuild the dashboard's common choices (this quarter and the
    previous one, the country and each province with records), skipping fresh ones."""
    from .dashboard import warm

    return warm(timezone.localdate())
