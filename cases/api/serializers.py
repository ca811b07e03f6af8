"""Serializers of cases, suspects, operations (with rescues) and prosecutions (with defendants)."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agencies.choices import AgencyKind
from agencies.models import Agency
from agencies.selectors import agencies_visible_to
from cases import choices
from cases.models import Case, Defendant, Operation, Prosecution, Rescue, Suspect
from cases.policies import can_read_case_notes
from cases.selectors import cases_visible_to, suspects_visible_to
from ctms.rest import (
    ModelRulesMixin,
    RevealsEachRecord,
    ScopedRelatedField,
    code_list,
    country_list,
    reveal,
)
from victims.api.serializers import full_access_victims, visible_victims


class CaseSerializer(ModelRulesMixin, serializers.ModelSerializer):
    omitted_for_some_readers = ("notes",)  # the owner's notes: see to_representation
    exploitation_types = code_list(choices.ExploitationType)
    countries_of_exploitation = country_list()
    labour_sectors = code_list(choices.LabourSector)
    sexual_exploitation_types = code_list(choices.SexualExploitationType)
    means_of_control = code_list(choices.MeansOfControl)
    victims = ScopedRelatedField(selector=full_access_victims, many=True, required=False)
    suspects = ScopedRelatedField(selector=suspects_visible_to, many=True, required=False)

    class Meta:
        model = Case
        fields = [
            "id",
            "agency",
            "opened_on",
            "closed_on",
            "status",
            "closure_reason",
            "exploitation_types",
            "cross_border",
            "countries_of_exploitation",
            "labour_sectors",
            "sexual_exploitation_types",
            "means_of_control",
            "recruitment_method",
            "recruiter_relation",
            "victims",
            "suspects",
            "notes",
            "created_at",
        ]
        read_only_fields = ["id", "agency", "created_at"]

    def to_representation(self, obj: Case) -> dict:
        data = super().to_representation(obj)
        user = self.context["request"].user
        # Police and courts read a case for its facts; the owner's notes stay with the owner.
        if not can_read_case_notes(user, obj):
            data.pop("notes", None)
        elif obj.notes:
            reveal(self, obj)  # the owner's notes are personal data: their reading is audited
        return data


class SuspectSerializer(RevealsEachRecord, ModelRulesMixin, serializers.ModelSerializer):
    aliases = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False, max_length=50
    )

    class Meta:
        model = Suspect
        fields = [
            "id",
            "agency",
            "given_name",
            "family_name",
            "aliases",
            "sex",
            "birth_year",
            "citizenship",
            "role",
            "address_known",
            "identified_by_victim",
            "created_at",
        ]
        read_only_fields = ["id", "agency", "created_at"]


class RescuedPersonSerializer(serializers.Serializer):
    """A person rescued who has no victim record yet: a minimal one is created for the unit."""

    given_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    family_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    sex = serializers.ChoiceField(choices=["female", "male", "other", "unknown"], required=False)
    birth_year = serializers.IntegerField(min_value=1900, max_value=2100, required=False)
    citizenship = serializers.CharField(min_length=3, max_length=3, required=False)


class RescueSerializer(serializers.ModelSerializer):
    victim = ScopedRelatedField(selector=visible_victims, required=False)
    person = RescuedPersonSerializer(required=False, write_only=True)
    placed_with = ScopedRelatedField(
        selector=agencies_visible_to,
        required=False,
        allow_null=True,
        help_text="The agency that took the person in; required for `dosvy` and `ngo`.",
    )

    class Meta:
        model = Rescue
        fields = ["victim", "person", "placement", "placed_with"]

    def validate(self, attrs):
        if bool(attrs.get("victim")) == bool(attrs.get("person")):
            raise serializers.ValidationError(
                {"victim": ["Give either an existing victim's id or a new person, not both."]}
            )
        try:  # the model's rule, with its message (the form and the importer use it too)
            Rescue(placement=attrs["placement"], placed_with=attrs.get("placed_with")).clean()
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict) from error
        return attrs


class OperationSerializer(ModelRulesMixin, serializers.ModelSerializer):
    case = ScopedRelatedField(selector=cases_visible_to, required=False, allow_null=True)
    suspects_detained = ScopedRelatedField(selector=suspects_visible_to, many=True, required=False)
    rescues = RescueSerializer(many=True, required=False)

    class Meta:
        model = Operation
        fields = [
            "id",
            "agency",
            "case",
            "date",
            "kind",
            "province",
            "suspects_detained",
            "rescues",
            "notes",
            "created_at",
        ]
        read_only_fields = ["id", "agency", "created_at"]


class DefendantSerializer(ModelRulesMixin, serializers.ModelSerializer):
    # A court sees the suspects of the cases sent to it; each must be one of its case's.
    suspect = ScopedRelatedField(selector=suspects_visible_to)

    class Meta:
        model = Defendant
        fields = ["suspect", "verdict", "verdict_on", "sentence_months"]


class VictimPartySerializer(serializers.Serializer):
    """The name of a victim who is a party to a prosecution (what a court clerk may see)."""

    id = serializers.UUIDField()
    given_name = serializers.CharField()
    family_name = serializers.CharField()
    name_khmer = serializers.CharField()


class SendToCourtSerializer(serializers.Serializer):
    court = serializers.SlugRelatedField(
        slug_field="acronym",
        queryset=Agency.objects.filter(kind=AgencyKind.COURT),
        help_text="The court's acronym.",
    )


class CourtSubmissionSerializer(serializers.Serializer):
    case = serializers.UUIDField(source="case_id")
    court = serializers.CharField(source="court.acronym")
    sent_at = serializers.DateTimeField(source="created_at")


class ProsecutionSerializer(ModelRulesMixin, serializers.ModelSerializer):
    # A case sent to the clerk's court; any other id answers 404 (cases.services).
    case = serializers.UUIDField(source="case_id", required=False, allow_null=True)
    defendants = DefendantSerializer(many=True, required=False)
    victim_parties = serializers.SerializerMethodField()

    class Meta:
        model = Prosecution
        fields = [
            "id",
            "court",
            "case",
            "court_case_number",
            "filed_on",
            "charges",
            "defendants",
            "victim_parties",
            "created_at",
        ]
        read_only_fields = ["id", "court", "created_at"]

    def to_internal_value(self, data):
        # A correction (PATCH) names each defendant's suspect only, whatever else its items
        # say: a verdict has a history of its own (`cases.services.defendant_verdict_record`),
        # which a PATCH would not write.
        items = data.get("defendants") if self.partial and hasattr(data, "get") else None
        if isinstance(items, list) and any(
            isinstance(item, dict) and set(item) - {"suspect"} for item in items
        ):
            raise serializers.ValidationError(
                {"defendants": [_("A verdict is recorded with its history, not by PATCH.")]}
            )
        return super().to_internal_value(data)

    @extend_schema_field(VictimPartySerializer(many=True))
    def get_victim_parties(self, obj: Prosecution) -> list[dict]:
        if obj.case_id is None:
            return []
        # The parties the reader may see (an archived person is nobody's party any more): the
        # list view prefetches them so; a fresh record asks.
        prefetched = getattr(obj.case, "_prefetched_objects_cache", {}).get("victims")
        user = self.context["request"].user
        victims = list(
            prefetched
            if prefetched is not None
            else visible_victims(user).filter(cases=obj.case_id)
        )
        for victim in victims:
            reveal(self, victim)
        return VictimPartySerializer(victims, many=True).data
