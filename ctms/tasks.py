"""Housekeeping tasks of the core (scheduled by accounts/migrations/0002_housekeeping_schedule)."""

from __future__ import annotations

from celery import shared_task

from .services import idempotency_keys_delete_expired


@shared_task(name="ctms.tasks.delete_expired_idempotency_keys", soft_time_limit=120, time_limit=180)
def delete_expired_idempotency_keys() -> int:
    """Stored API answers hold personal data: none is kept past its 24 hours."""
    return idempotency_keys_delete_expired()
