"""Serializers of activities and deportee reports (the `reports` resource lives apart)."""

from __future__ import annotations

from rest_framework import serializers

from ctms.rest import ModelRulesMixin
from reports.models import Activity, DeporteeReport


class ActivitySerializer(ModelRulesMixin, serializers.ModelSerializer):
    class Meta:
        model = Activity
        fields = [
            "id",
            "agency",
            "date",
            "kind",
            "working_group",
            "province",
            "participants_total",
            "participants_female",
            "participants_children",
            "description",
            "created_at",
        ]
        read_only_fields = ["id", "agency", "created_at"]


class DeporteeReportSerializer(ModelRulesMixin, serializers.ModelSerializer):
    month = serializers.RegexField(r"^[0-9]{4}-(0[1-9]|1[0-2])$", help_text="YYYY-MM")

    class Meta:
        model = DeporteeReport
        fields = [
            "id",
            "agency",
            "month",
            "from_country",
            "total",
            "female",
            "children",
            "detained_over_month",
            "created_at",
        ]
        read_only_fields = ["id", "agency", "created_at"]
        # The (agency, month, country) uniqueness is the service's and the database's to check.
        validators: list = []
