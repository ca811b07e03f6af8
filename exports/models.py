"""A background run of an export: what was asked, how far it got, and the file it wrote."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ctms.models import Record


class ExportRun(Record):
    """One CTDC export prepared by a Celery task (large exports take a while).

    The file lives under MEDIA_ROOT/exports/ and is only ever served by the download view,
    which checks access and audits the download.
    """

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    format = models.CharField(max_length=4, choices=Format.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    k = models.PositiveSmallIntegerField(help_text=_("k-anonymity threshold applied"))
    rows_expected = models.PositiveIntegerField(null=True, blank=True)
    rows_written = models.PositiveIntegerField(default=0)
    rows_suppressed = models.PositiveIntegerField(default=0)
    file = models.CharField(max_length=255, blank=True, help_text=_("Path under MEDIA_ROOT"))
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(format__in=["csv", "xlsx"]), name="export_run_format_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running", "done", "failed"]),
                name="export_run_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"CTDC {self.format} ({self.status})"

    @property
    def progress_percent(self) -> int:
        """How far the run is, for the progress bar (the total is known once it starts)."""
        if self.status == self.Status.DONE:
            return 100
        if not self.rows_expected:
            return 0
        return min(99, (self.rows_written + self.rows_suppressed) * 100 // self.rows_expected)

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def filename(self) -> str:
        return f"ctdc-{self.created_at:%Y%m%d-%H%M%S}.{self.format}"
