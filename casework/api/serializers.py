"""Serializers of case work. References to other records are looked up among those the user
may see; every record shown is audited as read (ctms.rest.reveal)."""

from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

from cases.selectors import cases_visible_to
from ctms.choices import ServiceCode
from ctms.rest import ScopedRelatedField, code_list, reveal
from victims.selectors import VictimAccess, victims_visible_to

from ..choices import RiskFactor
from ..models import (
    CarePlan,
    CarePlanGoal,
    CarePlanTask,
    CaseNote,
    Consent,
    Document,
    RiskAssessment,
)
from ..selectors import (
    cases_held_in_full,
    documents_servable_to,
    documents_visible_to,
    prosecutions_held_in_full,
)


def victims_in_view(user):
    """Victims whose case work the user may write: held in full or through the referral view."""
    return victims_visible_to(user, at_least=VictimAccess.REFERRAL)


class RevealingSerializer(serializers.ModelSerializer):
    def to_representation(self, instance):
        reveal(self, instance)
        return super().to_representation(instance)


class CaseNoteSerializer(RevealingSerializer):
    victim = ScopedRelatedField(selector=victims_in_view)
    case = ScopedRelatedField(selector=cases_visible_to, required=False, allow_null=True)
    agency = serializers.SlugRelatedField(slug_field="acronym", read_only=True)

    class Meta:
        model = CaseNote
        fields = ["id", "victim", "case", "agency", "date", "kind", "text", "confidential"]
        read_only_fields = ["id", "agency"]


class CarePlanTaskSerializer(serializers.ModelSerializer):
    assigned_to = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = CarePlanTask
        fields = ["id", "task", "due_on", "done_on", "assigned_to"]
        read_only_fields = ["id"]


class CarePlanTaskInputSerializer(serializers.Serializer):
    task = serializers.CharField()
    due_on = serializers.DateField(required=False, allow_null=True)
    done_on = serializers.DateField(required=False, allow_null=True)
    assigned_to = serializers.CharField(required=False, allow_blank=True, allow_null=True)


class CarePlanGoalSerializer(serializers.ModelSerializer):
    domain = serializers.ChoiceField(choices=ServiceCode.choices)
    tasks = CarePlanTaskSerializer(many=True, read_only=True)

    class Meta:
        model = CarePlanGoal
        fields = ["id", "domain", "goal", "tasks"]
        read_only_fields = ["id"]


class CarePlanGoalInputSerializer(serializers.Serializer):
    domain = serializers.ChoiceField(choices=ServiceCode.choices)
    goal = serializers.CharField()
    tasks = CarePlanTaskInputSerializer(many=True, required=False)


class CarePlanSerializer(RevealingSerializer):
    victim = ScopedRelatedField(selector=victims_in_view)
    agency = serializers.SlugRelatedField(slug_field="acronym", read_only=True)
    goals = CarePlanGoalSerializer(many=True, read_only=True)

    class Meta:
        model = CarePlan
        fields = ["id", "victim", "agency", "created_on", "review_on", "goals"]
        read_only_fields = ["id", "agency"]


class CarePlanCreateSerializer(CarePlanSerializer):
    goals = CarePlanGoalInputSerializer(many=True)
    created_on = serializers.DateField(required=False)

    class Meta(CarePlanSerializer.Meta):
        pass


class TaskDoneSerializer(serializers.Serializer):
    task = serializers.UUIDField()
    done_on = serializers.DateField(required=False, allow_null=True)


class RiskAssessmentSerializer(RevealingSerializer):
    victim = ScopedRelatedField(selector=victims_in_view)
    agency = serializers.SlugRelatedField(slug_field="acronym", read_only=True)
    factors = code_list(RiskFactor)

    class Meta:
        model = RiskAssessment
        fields = ["id", "victim", "agency", "date", "level", "factors", "notes"]
        read_only_fields = ["id", "agency"]


class DocumentSerializer(RevealingSerializer):
    """Upload with multipart/form-data: exactly one of `victim`, `case`, `prosecution`."""

    victim = ScopedRelatedField(selector=victims_in_view, required=False, allow_null=True)
    case = ScopedRelatedField(selector=cases_held_in_full, required=False, allow_null=True)
    prosecution = ScopedRelatedField(
        selector=prosecutions_held_in_full, required=False, allow_null=True
    )
    agency = serializers.SlugRelatedField(slug_field="acronym", read_only=True)
    file = serializers.FileField(write_only=True)
    download = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = [
            "id",
            "victim",
            "case",
            "prosecution",
            "agency",
            "kind",
            "title",
            "file",
            "content_type",
            "size",
            "download",
            "created_at",
        ]
        read_only_fields = ["id", "agency", "content_type", "size", "created_at"]

    def get_download(self, obj: Document) -> str | None:
        """The file's address, for those who may download it (full access only)."""
        user = self.context["request"].user
        if not documents_servable_to(user).filter(pk=obj.pk).exists():
            return None
        return reverse("casework:document_file", args=[obj.pk])


class ConsentSerializer(RevealingSerializer):
    victim = ScopedRelatedField(selector=victims_in_view)
    document = ScopedRelatedField(selector=documents_visible_to, required=False, allow_null=True)
    recorded_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Consent
        fields = ["id", "victim", "kind", "given", "date", "method", "recorded_by", "document"]
        read_only_fields = ["id", "recorded_by"]
