"""Celery tasks of case work."""

from __future__ import annotations

from celery import shared_task

from .services import overdue_tasks_notify


@shared_task(name="casework.tasks.notify_overdue_tasks", time_limit=600, soft_time_limit=570)
def notify_overdue_tasks() -> int:
    """Daily: each assignee hears once of each open care-plan task past due."""
    return overdue_tasks_notify()
