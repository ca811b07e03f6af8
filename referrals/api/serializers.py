"""Serializers of referrals, services delivered and webhooks.

What a referral shows of its victim depends on the reader (SPEC section 1): the receiving agency
sees only a non-identifying summary while the referral is pending, the referral view of the
victim once it has accepted and until the referral ends; the sending side always sees it.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agencies.selectors import agencies_visible_to
from cases.selectors import cases_visible_to
from ctms.choices import ServiceCode
from ctms.rest import ModelRulesMixin, RevealsEachRecord, ScopedRelatedField, code_list, reveal
from referrals.models import Referral, Service, WebhookDelivery, WebhookEndpoint
from referrals.selectors import referral_shows_identity, referrals_visible_to
from victims.api.serializers import full_access_victims, visible_victims
from victims.choices import AgeBand
from victims.selectors import REFERRAL_FIELDS


def victim_summary(referral: Referral) -> dict:
    """The non-identifying summary of a referral's victim: what a receiver sees before
    accepting, and all a webhook event ever carries."""
    victim = referral.victim
    return {
        "sex": victim.sex,
        "age_band": victim.age_band_on(referral.created_on),
        "province": victim.home_province,
    }


class VictimSummarySerializer(serializers.Serializer):
    sex = serializers.CharField()
    age_band = serializers.ChoiceField(choices=AgeBand.choices)
    province = serializers.CharField(allow_blank=True)


class ReferralVictimSerializer(serializers.Serializer):
    """The referral view of a victim (victims.selectors.REFERRAL_FIELDS)."""

    id = serializers.UUIDField()
    given_name = serializers.CharField(allow_blank=True)
    family_name = serializers.CharField(allow_blank=True)
    name_khmer = serializers.CharField(allow_blank=True)
    sex = serializers.CharField()
    age = serializers.IntegerField(allow_null=True, help_text="Age today, in years.")
    primary_language = serializers.CharField(allow_blank=True)
    literate_khmer = serializers.BooleanField(allow_null=True)
    contact = serializers.CharField(allow_blank=True)


class ReferralSerializer(serializers.ModelSerializer):
    # Left out until the receiver accepts (they may name the person): see to_representation.
    omitted_for_some_readers = ("reason", "case")

    victim = serializers.SerializerMethodField()
    victim_summary = serializers.SerializerMethodField()
    services_requested = code_list(ServiceCode, read_only=True)

    class Meta:
        model = Referral
        fields = [
            "id",
            "status",
            "from_agency",
            "to_agency",
            "created_on",
            "services_requested",
            "urgency",
            "victim_summary",
            "victim",
            "case",
            "reason",
            "decline_reason",
            "status_changed_at",
            "created_at",
        ]
        read_only_fields = fields
        extra_kwargs = {"case": {"required": False}, "reason": {"required": False}}

    @extend_schema_field(VictimSummarySerializer)
    def get_victim_summary(self, obj: Referral) -> dict:
        return victim_summary(obj)

    @extend_schema_field(ReferralVictimSerializer(allow_null=True))
    def get_victim(self, obj: Referral) -> dict | None:
        if not self._shows_identity(obj):
            return None
        reveal(self, obj.victim)
        return {name: getattr(obj.victim, name) for name in REFERRAL_FIELDS}

    def _shows_identity(self, obj: Referral) -> bool:
        return referral_shows_identity(self.context["request"].user, obj)

    def to_representation(self, obj: Referral) -> dict:
        data = super().to_representation(obj)
        if data["victim"] is None:
            # The sender's reason and case may name the person: not before the receiver accepts.
            data.pop("reason", None)
            data.pop("case", None)
        else:
            data["victim"] = ReferralVictimSerializer(data["victim"]).data
        return data


class ReferralCreateSerializer(serializers.Serializer):
    victim = ScopedRelatedField(selector=full_access_victims)
    to_agency = ScopedRelatedField(selector=agencies_visible_to)
    services_requested = code_list(ServiceCode, required=True, min_length=1)
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    urgency = serializers.ChoiceField(
        choices=Referral._meta.get_field("urgency").choices, default="routine"
    )
    case = ScopedRelatedField(selector=cases_visible_to, required=False, allow_null=True)
    created_on = serializers.DateField(required=False)


class DeclineSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class TransitionReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class TransitionConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    status = serializers.CharField()


class ServiceSerializer(RevealsEachRecord, ModelRulesMixin, serializers.ModelSerializer):
    referral = ScopedRelatedField(selector=referrals_visible_to, required=False, allow_null=True)
    victim = ScopedRelatedField(selector=visible_victims, required=False, allow_null=True)

    class Meta:
        model = Service
        fields = ["id", "referral", "victim", "agency", "date", "service", "notes", "created_at"]
        read_only_fields = ["id", "agency", "created_at"]

    def validate(self, attrs):
        if not attrs.get("referral") and not attrs.get("victim"):
            raise serializers.ValidationError(
                {"referral": ["Give the referral the service was delivered under, or the victim."]}
            )
        return super().validate(attrs)


class WebhookEndpointSerializer(serializers.ModelSerializer):
    secret = serializers.CharField(
        write_only=True,
        min_length=16,
        max_length=128,
        help_text="Shared secret for the X-CTMS-Signature HMAC; never shown again.",
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["id", "agency", "url", "secret", "is_active", "created_at"]
        read_only_fields = ["id", "agency", "created_at"]

    def validate_url(self, value: str) -> str:
        if not value.lower().startswith(("https://", "http://")):
            raise serializers.ValidationError("Give an http:// or https:// URL.")
        return value


DELIVERY_STATES = [
    ("pending", "pending"),
    ("retrying", "retrying"),
    ("delivered", "delivered"),
    ("given_up", "given up"),
]


class WebhookDeliverySerializer(serializers.ModelSerializer):
    state = serializers.ChoiceField(
        choices=DELIVERY_STATES,
        read_only=True,
        help_text=(
            "`pending`: not attempted yet; `retrying`: failed, another attempt is due; "
            "`delivered`; `given_up`: no more attempts (redeliver to try again)."
        ),
    )

    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "endpoint",
            "event",
            "payload",
            "created_at",
            "state",
            "attempts",
            "delivered_at",
            "given_up_at",
            "last_status_code",
            "last_error",
            "log",
        ]
        read_only_fields = fields
