"""Housekeeping tasks of accounts (scheduled by migrations/0002_housekeeping_schedule)."""

from __future__ import annotations

from celery import shared_task

from .services import two_factor_expired_enrolments_delete


@shared_task(name="accounts.tasks.delete_expired_enrolments", soft_time_limit=60, time_limit=90)
def delete_expired_enrolments() -> int:
    """Unconfirmed TOTP devices whose ten minutes are over: their secrets must not linger."""
    return two_factor_expired_enrolments_delete()
