"""Aggregate records (activities, deportee reports) and the statistics report runs."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ctms.choices import WorkingGroupCode
from ctms.fields import CountryField, ProvinceField
from ctms.models import Record


class ActivityKind(models.TextChoices):
    AWARENESS_RAISING = "awareness_raising", _("Awareness raising")
    TRAINING = "training", _("Training")
    MEDIA = "media", _("Media")
    CAMPAIGN = "campaign", _("Campaign")
    INSPECTION = "inspection", _("Inspection")
    MEETING = "meeting", _("Meeting")
    CHILD_LABOUR_WITHDRAWAL = "child_labour_withdrawal", _("Child labour withdrawal")
    OTHER = "other", _("Other")


class Activity(Record):
    """A prevention or child-affairs activity, recorded as aggregate participant counts."""

    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="activities"
    )
    date = models.DateField()
    kind = models.CharField(max_length=30, choices=ActivityKind.choices)
    working_group = models.CharField(max_length=30, choices=WorkingGroupCode.choices, blank=True)
    province = ProvinceField()
    participants_total = models.PositiveIntegerField(default=0)
    participants_female = models.PositiveIntegerField(default=0)
    participants_children = models.PositiveIntegerField(default=0)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["-date"]
        verbose_name_plural = "activities"
        indexes = [models.Index(fields=["date", "kind"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ActivityKind.values), name="activity_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(participants_female__lte=models.F("participants_total")),
                name="activity_female_within_total",
            ),
            models.CheckConstraint(
                condition=Q(participants_children__lte=models.F("participants_total")),
                name="activity_children_within_total",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} on {self.date}"


class DeporteeReport(Record):
    """A border province's monthly count of deportees received from a foreign authority."""

    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="deportee_reports"
    )
    month = models.CharField(max_length=7, help_text="YYYY-MM")
    from_country = CountryField()
    total = models.PositiveIntegerField(default=0)
    female = models.PositiveIntegerField(default=0)
    children = models.PositiveIntegerField(default=0)
    detained_over_month = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "month", "from_country"],
                name="deportee_report_once_per_month_country",
            ),
            models.CheckConstraint(
                condition=Q(female__lte=models.F("total")), name="deportee_female_within_total"
            ),
            models.CheckConstraint(
                condition=Q(children__lte=models.F("total")), name="deportee_children_within_total"
            ),
            models.CheckConstraint(
                condition=Q(month__regex=r"^[0-9]{4}-(0[1-9]|1[0-2])$"),
                name="deportee_month_format",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month} {self.from_country}: {self.total}"


class ReportRun(Record):
    """One request for the statistics report: its inputs, progress, figures and files."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    period = models.CharField(max_length=30)
    period_start = models.DateField()
    period_end = models.DateField()
    previous_start = models.DateField()
    previous_end = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    progress_message = models.CharField(max_length=200, blank=True)
    figures = models.JSONField(null=True, blank=True)
    files = models.JSONField(default=dict, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Report {self.period} ({self.status})"
