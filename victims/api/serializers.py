"""Serializers of victims, repatriations and follow-ups.

A victim is shown with only the fields the reader's access level allows
(victims.selectors.FIELDS_BY_ACCESS); the others are left out of the JSON, not blanked.
"""

from __future__ import annotations

from rest_framework import serializers

from agencies.selectors import agencies_visible_to
from ctms.rest import ModelRulesMixin, ScopedRelatedField, reveal
from victims.models import FollowUp, Repatriation, Victim
from victims.selectors import FIELDS_BY_ACCESS, VictimAccess, victim_access, victims_visible_to

ACCESS_NAMES = {
    VictimAccess.PARTY_NAME: "party_name",
    VictimAccess.POLICE: "police",
    VictimAccess.REFERRAL: "referral",
    VictimAccess.FULL: "full",
}
# Fields of the model the API never carries: photos are streamed by the browser UI only.
WRITABLE_FIELDS = [
    "given_name",
    "family_name",
    "name_khmer",
    "sex",
    "date_of_birth",
    "birth_year",
    "citizenship",
    "primary_language",
    "literate_khmer",
    "contact",
    "home_province",
    "home_district",
    "home_commune",
    "home_village",
    "trafficking_status",
    "consent_services",
    "consent_data_sharing",
    "consent_legal_proceedings",
    "social_notes",
    "medical_notes",
    "psychosocial_notes",
]


def visible_victims(user):
    return victims_visible_to(user)


def full_access_victims(user):
    return victims_visible_to(user, at_least=VictimAccess.FULL)


class VictimSerializer(ModelRulesMixin, serializers.ModelSerializer):
    """A victim as its reader may see it: `access` tells which view of the record this is."""

    access = serializers.SerializerMethodField()
    # Only the referral view carries it (instead of the date of birth): see FIELDS_BY_ACCESS.
    age = serializers.IntegerField(read_only=True, allow_null=True)
    # Which fields a reader gets depends on their access level (FIELDS_BY_ACCESS).
    omitted_for_some_readers = (
        "agency",
        "age",
        *WRITABLE_FIELDS,
        "is_archived",
        "archived_reason",
    )

    class Meta:
        model = Victim
        fields = [
            "id",
            "access",
            "agency",
            *WRITABLE_FIELDS,
            "age",
            "is_archived",
            "archived_reason",
        ]
        read_only_fields = ["id", "access", "agency", "age", "is_archived", "archived_reason"]
        extra_kwargs = {name: {"required": False} for name in WRITABLE_FIELDS}

    def get_access(self, obj: Victim) -> str:
        return ACCESS_NAMES.get(self._access(obj), "none")

    def _access(self, obj: Victim) -> VictimAccess:
        level = getattr(obj, "access", None)
        if level is None:
            level = victim_access(self.context["request"].user, obj)
            obj.access = int(level)
        return VictimAccess(level)

    def to_representation(self, obj: Victim) -> dict:
        allowed = set(FIELDS_BY_ACCESS[self._access(obj)]) | {"id", "access"}
        data = super().to_representation(obj)
        if len(allowed) > 2:
            reveal(self, obj)
        return {name: value for name, value in data.items() if name in allowed}


class ArchiveSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class ArchivedSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    is_archived = serializers.BooleanField()


class RepatriationSerializer(ModelRulesMixin, serializers.ModelSerializer):
    victim = ScopedRelatedField(selector=full_access_victims)
    receiving_agency = ScopedRelatedField(selector=agencies_visible_to)
    assisted_by = ScopedRelatedField(selector=agencies_visible_to, many=True, required=False)

    class Meta:
        model = Repatriation
        fields = [
            "id",
            "victim",
            "kind",
            "from_country",
            "received_on",
            "receiving_agency",
            "border_province",
            "assisted_by",
            "created_at",
        ]
        read_only_fields = ["id", "created_at"]


class FollowUpSerializer(ModelRulesMixin, serializers.ModelSerializer):
    victim = ScopedRelatedField(selector=visible_victims)

    class Meta:
        model = FollowUp
        fields = ["id", "victim", "agency", "date", "kind", "outcome", "created_at"]
        read_only_fields = ["id", "agency", "created_at"]
