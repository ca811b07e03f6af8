"""Celery task of the background exports."""

from __future__ import annotations

from celery import shared_task

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
