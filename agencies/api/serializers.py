"""Serializers of the agency directory."""

from __future__ import annotations

from rest_framework import serializers

from agencies.models import Agency


class AgencySerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = [
            "id",
            "name",
            "name_khmer",
            "acronym",
            "kind",
            "province",
            "parent",
            "accepts_referrals",
            "services",
            "working_groups",
        ]
        read_only_fields = fields
