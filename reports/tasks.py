"""Celery tasks of the statistics report. Each takes ids, calls one service, is safe to retry."""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError
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
