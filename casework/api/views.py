"""API views of case work (SPEC section 9). Lists are scoped by casework.selectors; writes go
through casework.services."""

from __future__ import annotations

from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from ctms.rest import CreateViewSet

from .. import services
from ..models import CarePlan, CaseNote, Consent, Document, RiskAssessment
from ..selectors import (
    care_plans_visible_to,
    case_notes_visible_to,
    consents_visible_to,
    documents_visible_to,
    risk_assessments_visible_to,
)
from . import serializers as s


class CaseNoteFilter(filters.FilterSet):
    class Meta:
        model = CaseNote
        fields = ["victim", "case", "kind", "confidential"]


class CaseNoteViewSet(CreateViewSet):
    serializer_class = s.CaseNoteSerializer
    filterset_class = CaseNoteFilter
    ordering_fields = ["created_at", "date"]

    def get_queryset(self):
        return case_notes_visible_to(self.request.user).select_related("agency")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.case_note_create(
            user=self.request.user, victim=data.pop("victim"), data=data, channel="api"
        )


class CarePlanFilter(filters.FilterSet):
    class Meta:
        model = CarePlan
        fields = ["victim"]


class CarePlanViewSet(CreateViewSet):
    """Care plans with their goals and tasks. `POST …/{id}/goals/` adds a goal;
    `POST …/{id}/complete-task/` marks a task done."""

    filterset_class = CarePlanFilter
    ordering_fields = ["created_at", "created_on"]

    def get_serializer_class(self):
        return s.CarePlanCreateSerializer if self.action == "create" else s.CarePlanSerializer

    def get_queryset(self):
        return care_plans_visible_to(self.request.user).prefetch_related(
            "goals__tasks__assigned_to"
        )

    def create(self, request, *args, **kwargs):
        serializer = s.CarePlanCreateSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        plan = services.care_plan_create(
            user=request.user, victim=data.pop("victim"), data=data, channel="api"
        )
        return Response(self._shown(plan), status=status.HTTP_201_CREATED)

    def _shown(self, plan: CarePlan) -> dict:
        plan = self.get_queryset().get(pk=plan.pk)
        return s.CarePlanSerializer(plan, context=self.get_serializer_context()).data

    @extend_schema(request=s.CarePlanGoalInputSerializer, responses={201: s.CarePlanSerializer})
    @action(detail=True, methods=["post"])
    def goals(self, request, pk=None):
        self.get_object()  # a plan the user may not see is a 404 before anything else
        serializer = s.CarePlanGoalInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        plan = services.care_plan_goal_add(
            user=request.user, plan_id=pk, data=serializer.validated_data, channel="api"
        )
        return Response(self._shown(plan), status=status.HTTP_201_CREATED)

    @extend_schema(request=s.TaskDoneSerializer, responses={200: s.CarePlanSerializer})
    @action(detail=True, methods=["post"], url_path="complete-task")
    def complete_task(self, request, pk=None):
        plan = self.get_object()
        serializer = s.TaskDoneSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.care_plan_task_complete(
            user=request.user,
            task_id=serializer.validated_data["task"],
            done_on=serializer.validated_data.get("done_on"),
            plan_id=plan.pk,
            channel="api",
        )
        return Response(self._shown(plan))


class RiskAssessmentFilter(filters.FilterSet):
    class Meta:
        model = RiskAssessment
        fields = ["victim", "level"]


class RiskAssessmentViewSet(CreateViewSet):
    serializer_class = s.RiskAssessmentSerializer
    filterset_class = RiskAssessmentFilter
    ordering_fields = ["created_at", "date"]

    def get_queryset(self):
        return risk_assessments_visible_to(self.request.user).select_related("agency")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.risk_assessment_create(
            user=self.request.user, victim=data.pop("victim"), data=data, channel="api"
        )


class DocumentFilter(filters.FilterSet):
    class Meta:
        model = Document
        fields = ["victim", "case", "prosecution", "kind"]


class DocumentViewSet(CreateViewSet):
    """Documents; upload with multipart/form-data only. The file itself is downloaded from
    `download` by users with full access to what the document is attached to."""

    serializer_class = s.DocumentSerializer
    filterset_class = DocumentFilter
    parser_classes = [MultiPartParser]
    ordering_fields = ["created_at"]

    def get_queryset(self):
        return documents_visible_to(self.request.user).select_related("agency")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.document_upload(
            user=self.request.user,
            upload=data.pop("file"),
            kind=data["kind"],
            title=data["title"],
            victim=data.get("victim"),
            case=data.get("case"),
            prosecution=data.get("prosecution"),
            channel="api",
        )


class ConsentFilter(filters.FilterSet):
    class Meta:
        model = Consent
        fields = ["victim", "kind", "given"]


class ConsentViewSet(CreateViewSet):
    """Consent entries; each one sets the victim's `consent_<kind>` to the latest entry."""

    serializer_class = s.ConsentSerializer
    filterset_class = ConsentFilter
    ordering_fields = ["created_at", "date"]

    def get_queryset(self):
        return consents_visible_to(self.request.user).select_related("recorded_by")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.consent_record(user=self.request.user, channel="api", **data)
