"""Celery tasks of referrals: webhook deliveries to partners."""

from __future__ import annotations


def queue_referral_event(*, referral_id, event: str) -> None:
    """Hook for webhook deliveries; the REST API issue fills it (referral events to partners)."""
    return None
