"""Celery tasks of the background exports and of the export page's kept summary."""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor

from celery import shared_task
from django.conf import settings
from django.db import connections

from .services import export_run_execute


@shared_task(
    name="reports.exports.tasks.run_ctdc_export",
    time_limit=3 * 3600,
    soft_time_limit=3 * 3600 - 60,
    acks_late=True,
)
def run_ctdc_export(run_id: str) -> str:
    """Write the file of one ExportRun (idempotent: a finished run is left as it is)."""
    return export_run_execute(run_id=run_id).status


@shared_task(name="reports.exports.tasks.count_ctdc_summary", soft_time_limit=540, time_limit=600)
def count_ctdc_summary(k: int) -> int:
    """Count the export page's figures and keep them (asked for by a visit that found none, or
    stale ones). Returns the rows that would be exported."""
    from .summary import count_and_keep

    return count_and_keep(k).rows_exported


logger = logging.getLogger(__name__)
_executor: ThreadPoolExecutor | None = None
_pending: set[int] = set()
_pending_lock = threading.Lock()
_started: list[Future] = []


def start_summary_count(k: int) -> None:
    """Hand the count to the broker or, with no broker (the embedded default), to a background
    thread of the web process: the visit that asked answers at once. Within a process a count
    already waiting or running for the same k is not asked for twice."""
    global _executor
    if not settings.REPORT_THREAD:
        count_ctdc_summary.delay(k)
        return
    with _pending_lock:
        if k in _pending:
            return
        _pending.add(k)
        if _executor is None:
            _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ctms-ctdc-summary")
        _started.append(_executor.submit(_count_in_background, k))


def _count_in_background(k: int) -> None:
    try:
        count_ctdc_summary.apply(args=[k], throw=True)
    except Exception:  # noqa: BLE001 - the page says the count failed; a later visit asks again
        logger.exception("CTDC summary count (k=%s) failed", k)
    finally:
        with _pending_lock:
            _pending.discard(k)
        connections.close_all()


def wait_for_background_counts(timeout: float = 120) -> None:
    """Block until the counts started on the background thread are done (tests, benchmarks)."""
    while _started:
        _started.pop(0).result(timeout=timeout)
