"""Serializers of victims, repatriations and follow-ups.

A victim is shown with only the fields the reader's access level allows
(victims.selectors.FIELDS_BY_ACCESS); the others are left out of the JSON, not blanked.
"""

from __future__ import annotations

from rest_framework import serializers

from agencies.selectors import agencies_visible_to
from ctms.rest import ModelRulesMixin, RevealsEachRecord, ScopedRelatedField, reveal
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
    confirm_new = serializers.BooleanField(
        write_only=True,
        required=False,
        help_text="On create: save a new person even though possible duplicates were found "
        "(without it, the answer is 409 with the `matches`).",
    )
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
            "confirm_new",
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


class FollowUpSerializer(RevealsEachRecord, ModelRulesMixin, serializers.ModelSerializer):
    victim = ScopedRelatedField(selector=visible_victims)

    class Meta:
        model = FollowUp
        fields = ["id", "victim", "agency", "date", "kind", "outcome", "created_at"]
        read_only_fields = ["id", "agency", "created_at"]


class MatchQuerySerializer(serializers.Serializer):
    """The query of `GET /api/v1/victims/matches/` (SPEC section 8). Without a name there is
    nothing to look for: the answer is an empty list."""

    given_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    family_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    name_khmer = serializers.CharField(max_length=200, required=False, allow_blank=True)
    sex = serializers.ChoiceField(choices=Victim._meta.get_field("sex").choices, required=False)
    date_of_birth = serializers.DateField(required=False)
    birth_year = serializers.IntegerField(min_value=1900, max_value=2100, required=False)
    home_province = serializers.CharField(max_length=2, required=False, allow_blank=True)
    home_district = serializers.CharField(max_length=4, required=False, allow_blank=True)
    home_commune = serializers.CharField(max_length=6, required=False, allow_blank=True)
    home_village = serializers.CharField(max_length=10, required=False, allow_blank=True)


class MatchSerializer(serializers.Serializer):
    """One possible duplicate: `victim`, names and `score` when the reader may see the record;
    otherwise only `score` (in bands of ten), `held_by` and the 24-hour `match` token."""

    victim = serializers.UUIDField(required=False)
    given_name = serializers.CharField(required=False)
    family_name = serializers.CharField(required=False)
    name_khmer = serializers.CharField(required=False)
    score = serializers.IntegerField(min_value=0, max_value=100)
    held_by = serializers.CharField(required=False)
    match = serializers.CharField(required=False)


class MatchListSerializer(serializers.Serializer):
    results = MatchSerializer(many=True)


class MergeSerializer(serializers.Serializer):
    """`POST /api/v1/victims/{id}/merge/`: the record to merge into this one."""

    duplicate = serializers.UUIDField()
