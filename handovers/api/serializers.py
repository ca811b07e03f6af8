"""Serializers of hand-overs.

What a hand-over shows of its person is what the victim's selector gives the reader
(victims.selectors): the answering agency of a pending transfer sees the non-identifying
summary only; of a pending rescue placement, the referral view; the creating side what it
already saw.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agencies.selectors import agencies_visible_to
from ctms.rest import ScopedRelatedField, reveal
from handovers.choices import HandoverKind
from handovers.models import Handover, HandoverTransition
from handovers.selectors import handover_summary
from victims.api.serializers import visible_victims
from victims.choices import AgeBand
from victims.selectors import FIELDS_BY_ACCESS, REFERRAL_FIELDS, VictimAccess, victims_with_access


class HandoverVictimSummarySerializer(serializers.Serializer):
    sex = serializers.CharField()
    age_band = serializers.ChoiceField(choices=AgeBand.choices)
    province = serializers.CharField(allow_blank=True)


class HandoverVictimSerializer(serializers.Serializer):
    """The person as the reader may see them, within the referral view's fields."""

    id = serializers.UUIDField()
    given_name = serializers.CharField(allow_blank=True)
    family_name = serializers.CharField(allow_blank=True)
    name_khmer = serializers.CharField(allow_blank=True)
    sex = serializers.CharField(required=False)
    date_of_birth = serializers.DateField(allow_null=True, required=False)
    birth_year = serializers.IntegerField(allow_null=True, required=False)
    primary_language = serializers.CharField(allow_blank=True, required=False)
    literate_khmer = serializers.BooleanField(allow_null=True, required=False)
    contact = serializers.CharField(allow_blank=True, required=False)


class HandoverTransitionSerializer(serializers.ModelSerializer):
    class Meta:
        model = HandoverTransition
        fields = ["transition", "from_status", "to_status", "at", "by_agency", "reason"]
        read_only_fields = fields


class HandoverSerializer(serializers.ModelSerializer):
    victim = serializers.SerializerMethodField()
    victim_summary = serializers.SerializerMethodField()
    transitions = HandoverTransitionSerializer(many=True, read_only=True)

    class Meta:
        model = Handover
        fields = [
            "id",
            "kind",
            "status",
            "from_agency",
            "to_agency",
            "created_on",
            "victim_summary",
            "victim",
            "case",
            "reason",
            "decline_reason",
            "status_changed_at",
            "transitions",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(HandoverVictimSummarySerializer)
    def get_victim_summary(self, obj: Handover) -> dict:
        return handover_summary(obj)

    @extend_schema_field(HandoverVictimSerializer(allow_null=True))
    def get_victim(self, obj: Handover) -> dict | None:
        access = self._access(obj)
        if access == VictimAccess.NONE:
            return None
        reveal(self, obj.victim)
        shown = [name for name in REFERRAL_FIELDS if name in FIELDS_BY_ACCESS[access]]
        return HandoverVictimSerializer({name: getattr(obj.victim, name) for name in shown}).data

    def _access(self, obj: Handover) -> VictimAccess:
        """The reader's access to the person, computed for the whole page in one query."""
        cache = self.context.setdefault("victim_access", {})
        if obj.victim_id not in cache:
            page = getattr(self.parent, "instance", None) or [obj]
            ids = {handover.victim_id for handover in page} | {obj.victim_id}
            user = self.context["request"].user
            cache.update({pk: VictimAccess.NONE for pk in ids})
            cache.update(victims_with_access(user).filter(pk__in=ids).values_list("pk", "access"))
        return VictimAccess(cache[obj.victim_id])

    def to_representation(self, obj: Handover) -> dict:
        data = super().to_representation(obj)
        if data["victim"] is None:
            # The sender's reason and case may name the person: not before the answer.
            data.pop("reason", None)
            data.pop("case", None)
        return data


class HandoverCreateSerializer(serializers.Serializer):
    """A transfer (`to_agency`, optional `case`) or an access request (`reason` required).
    Rescue placements are created by logging the rescue."""

    kind = serializers.ChoiceField(
        choices=[HandoverKind.TRANSFER.value, HandoverKind.ACCESS_REQUEST.value]
    )
    victim = ScopedRelatedField(selector=visible_victims)
    to_agency = ScopedRelatedField(selector=agencies_visible_to, required=False)
    case = serializers.UUIDField(required=False, allow_null=True)
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    created_on = serializers.DateField(required=False)

    def validate(self, attrs: dict) -> dict:
        if attrs["kind"] == HandoverKind.TRANSFER:
            if attrs.get("to_agency") is None:
                raise serializers.ValidationError(
                    {"to_agency": [_("Name the agency that takes the person over.")]}
                )
            case_id = attrs.pop("case", None)
            if case_id is not None:
                attrs["case"] = attrs["victim"].cases.filter(pk=case_id).first()
                if attrs["case"] is None:
                    raise serializers.ValidationError(
                        {"case": [_("This person has no case with this id.")]}
                    )
        else:
            for name in ("to_agency", "case", "created_on"):
                if attrs.get(name) is not None:
                    raise serializers.ValidationError(
                        {name: [_("An access request goes to the agency holding the record.")]}
                    )
                attrs.pop(name, None)
        return attrs


class HandoverDeclineSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class HandoverConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    status = serializers.CharField()


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
