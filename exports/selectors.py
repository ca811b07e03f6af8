"""Who may export, and the reads the export pages need."""

from __future__ import annotations

from django.db.models import QuerySet

from cases.models import Case

from .models import ExportRun
from .policies import can_export_ctdc


def export_runs_visible_to(user) -> QuerySet[ExportRun]:
    if can_export_ctdc(user):
        return ExportRun.objects.all()
    return ExportRun.objects.none()


def ctdc_pair_count() -> int:
    """Victim-case pairs an export reads before suppression (the progress bar's 100 %)."""
    return (
        Case.victims.through.objects.filter(
            victim__trafficking_status__in=["actual", "possible"], victim__is_archived=False
        )
        .only("id")
        .count()
    )
