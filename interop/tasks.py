"""Celery tasks of the exchange: a beat task syncs every system with a url, each in its own task
retried with exponential back-off, so a failing partner never blocks anything else."""

from __future__ import annotations

from celery import shared_task

from .client import SyncError, sync_external
from .models import ExternalSystem

MAX_RETRIES = 6


def backoff_seconds(retries: int) -> int:
    """60 s doubled for each retry, at most an hour."""
    return min(60 * (2**retries), 3600)


@shared_task(name="interop.tasks.sync_all")
def sync_all() -> int:
    ids = list(
        ExternalSystem.objects.filter(is_active=True).exclude(url="").values_list("pk", flat=True)
    )
    for pk in ids:
        sync_system.delay(str(pk))
    return len(ids)


@shared_task(name="interop.tasks.sync_system", bind=True, max_retries=MAX_RETRIES)
def sync_system(self, system_id: str) -> dict:
    system = ExternalSystem.objects.filter(pk=system_id, is_active=True).first()
    if system is None or not system.url:
        return {}
    try:
        result = sync_external(system=system)
    except SyncError as error:
        raise self.retry(exc=error, countdown=backoff_seconds(self.request.retries)) from error
    return {"pulled": result.pulled, "sent": result.sent, "problems": len(result.problems)}
