"""Celery tasks of notifications: take an id, call one service, safe to retry."""

from __future__ import annotations

from celery import shared_task


@shared_task(
    name="notifications.tasks.send_notification_email",
    autoretry_for=(OSError,),
    retry_backoff=60,
    max_retries=5,
    time_limit=60,
    soft_time_limit=50,
)
def send_notification_email(notification_id: str) -> bool:
    from .services import notification_email_send  # the services module imports this one

    return notification_email_send(notification_id=notification_id)
