"""Aggregate records (activities, deportee reports) and the statistics report runs."""

from __future__ import annotations

import re

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ctms.choices import WorkingGroupCode
from ctms.fields import CountryField, ProvinceField
from ctms.models import Record
from ctms.rules import MORE_THAN_TOTAL, Rules, today, unique_checked_here

# The task writes its progress in English (it runs outside any request); the page shows it in
# the reader's language through ReportRun.progress_label.
PROGRESS_LABELS = {
    "Queued": _("Queued"),
    "Computing figures": _("Computing figures"),
    "Figures computed": _("Figures computed"),
    "Done": _("Done"),
}
WRITING = re.compile(r"^Writing (?P<format>\w+) \((?P<language>en|km)\)$")
LANGUAGE_NAMES = {"en": _("English"), "km": _("Khmer")}
MONTH_AFTER_THIS = _("This month is after the current month.")
MONTH_ALREADY_REPORTED = _(
    "Your agency has already reported this month for this country: correct that report instead."
)


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
                violation_error_message=MORE_THAN_TOTAL,
            ),
            models.CheckConstraint(
                condition=Q(participants_children__lte=models.F("participants_total")),
                name="activity_children_within_total",
                violation_error_message=MORE_THAN_TOTAL,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} on {self.date}"

    def clean(self) -> None:
        rules = Rules(self)
        rules.not_after_today("date")
        rules.at_most("participants_total", "participants_female", "participants_children")
        rules.check()


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
        # The report sums the months of a period (month BETWEEN …).
        indexes = [models.Index(fields=["month"])]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "month", "from_country"],
                name="deportee_report_once_per_month_country",
            ),
            models.CheckConstraint(
                condition=Q(female__lte=models.F("total")),
                name="deportee_female_within_total",
                violation_error_message=MORE_THAN_TOTAL,
            ),
            models.CheckConstraint(
                condition=Q(children__lte=models.F("total")),
                name="deportee_children_within_total",
                violation_error_message=MORE_THAN_TOTAL,
            ),
            models.CheckConstraint(
                condition=Q(detained_over_month__lte=models.F("total")),
                name="deportee_detained_within_total",
                violation_error_message=MORE_THAN_TOTAL,
            ),
            models.CheckConstraint(
                condition=Q(month__regex=r"^[0-9]{4}-(0[1-9]|1[0-2])$"),
                name="deportee_month_format",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month} {self.from_country}: {self.total}"

    def _reported_again(self) -> bool:
        """Whether the agency already has another report of this month and country."""
        return (
            self.agency_id is not None
            and DeporteeReport.objects.filter(
                agency_id=self.agency_id, month=self.month, from_country=self.from_country
            )
            .exclude(pk=self.pk)
            .exists()
        )

    def validate_constraints(self, exclude=None) -> None:
        """As Django's, but the once-a-month-and-country constraint is said at the month (it
        is what an import meets when one file reports a month twice)."""
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict({})
            general = [e for e in errors.pop(NON_FIELD_ERRORS, []) if e.code != "unique_together"]
            if len(general) < len(error.error_dict.get(NON_FIELD_ERRORS, [])):
                errors.setdefault("month", []).append(MONTH_ALREADY_REPORTED)
            if general:
                errors[NON_FIELD_ERRORS] = general
            raise ValidationError(errors) from None

    def clean(self) -> None:
        rules = Rules(self)
        this_month = today().strftime("%Y-%m")
        # A malformed month is the format constraint's to report.
        comparable = bool(re.fullmatch(r"[0-9]{4}-(0[1-9]|1[0-2])", self.month or ""))
        rules.require(not comparable or self.month <= this_month, "month", MONTH_AFTER_THIS)
        # The unique constraint's rule, said next to the month rather than above the form.
        checked = comparable and unique_checked_here()
        rules.require(not (checked and self._reported_again()), "month", MONTH_ALREADY_REPORTED)
        rules.at_most("total", "female", "children", "detained_over_month")
        rules.check()


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
    # The comparison period is asked for with the period (the same period one year earlier).
    previous_period = models.CharField(max_length=30, blank=True)
    figures = models.JSONField(null=True, blank=True)
    previous_figures = models.JSONField(null=True, blank=True)
    changes = models.JSONField(null=True, blank=True)
    # {"xlsx_en": "reports/<id>/ctms-report-2010-Q3-en.xlsx", …}, relative to MEDIA_ROOT.
    files = models.JSONField(default=dict, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Seconds per step ({"figures": 0.8, "xlsx_en": 0.1, …}): where a slow report spends its time.
    timings = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running", "done", "failed"]),
                name="report_run_status_valid",
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="report_run_progress_pct"),
        ]

    def __str__(self) -> str:
        return f"Report {self.period} ({self.status})"

    @property
    def progress_label(self) -> str:
        """`progress_message` in the active language."""
        writing = WRITING.match(self.progress_message)
        if writing:
            return gettext("Writing %(format)s (%(language)s)") % {
                "format": writing["format"],
                "language": LANGUAGE_NAMES[writing["language"]],
            }
        return str(PROGRESS_LABELS.get(self.progress_message, self.progress_message))

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def duration_seconds(self) -> float | None:
        if not (self.started_at and self.finished_at):
            return None
        return round((self.finished_at - self.started_at).total_seconds(), 2)

    def as_report(self) -> dict:
        """The report JSON of SPEC section 4 (what `manage.py report` prints)."""
        return {
            "period": {
                "label": self.period,
                "start": self.period_start.isoformat(),
                "end": self.period_end.isoformat(),
            },
            "previous_period": {
                "label": self.previous_period,
                "start": self.previous_start.isoformat(),
                "end": self.previous_end.isoformat(),
            },
            "figures": self.figures,
            "previous_figures": self.previous_figures,
            "changes": self.changes,
        }
