"""Who may export, and the reads the export pages need."""

from __future__ import annotations

from django.db.models import QuerySet

from cases.models import Case
from ctms.choices import Role
from ctms.scope import has_role, is_admin

from .models import ExportRun


def can_export_ctdc(user) -> bool:
    """The anonymised CTDC data set is for the secretariat (and administrators) only."""
    return is_admin(user) or has_role(user, Role.SECRETARIAT)


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
