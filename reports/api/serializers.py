"""API shapes of report runs (SPEC section 5): the request, the list row and the full run."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from rest_framework import serializers

from reports.models import ReportRun
from reports.periods import parse_period


class ReportRequestSerializer(serializers.Serializer):
    period = serializers.CharField(max_length=30)

    def validate_period(self, value: str) -> str:
        try:
            return parse_period(value).label
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from error


class ReportRunSerializer(serializers.ModelSerializer):
    """A run as listed: inputs, status and progress."""

    requested_by = serializers.CharField(source="created_by.username", default=None)
    url = serializers.SerializerMethodField()
    period = serializers.SerializerMethodField()
    previous_period = serializers.SerializerMethodField()

    class Meta:
        model = ReportRun
        fields = [
            "id",
            "url",
            "period",
            "previous_period",
            "status",
            "progress",
            "progress_message",
            "requested_by",
            "created_at",
            "started_at",
            "finished_at",
        ]

    def get_period(self, run: ReportRun) -> dict[str, str]:
        """`{"label": "2010-Q3", "start": "2010-07-01", "end": "2010-09-30"}`."""
        return run.as_report()["period"]

    def get_previous_period(self, run: ReportRun) -> dict[str, str]:
        return run.as_report()["previous_period"]

    def get_url(self, run: ReportRun) -> str:
        return self._absolute(reverse("api-report-detail", kwargs={"pk": run.pk}))

    def _absolute(self, path: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class ReportRunDetailSerializer(ReportRunSerializer):
    """A run with the report JSON of SPEC section 4 (`period`, `previous_period`, `figures`,
    `previous_figures`, `changes`: what `manage.py report` prints) and its download links."""

    downloads = serializers.SerializerMethodField()

    class Meta(ReportRunSerializer.Meta):
        fields = [
            *ReportRunSerializer.Meta.fields,
            "figures",
            "previous_figures",
            "changes",
            "timings",
            "error",
            "downloads",
        ]

    def get_downloads(self, run: ReportRun) -> dict[str, str]:
        if run.status != ReportRun.Status.DONE:
            return {}
        return {
            key: self._absolute(reverse("api-report-file", kwargs={"pk": run.pk, "key": key}))
            for key in sorted(run.files)
        }
