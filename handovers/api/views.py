"""API views of hand-overs, with the workflow's transitions as actions. Writes go through
handovers.services."""

from __future__ import annotations

from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from ctms.rest import CreateViewSet
from handovers import services
from handovers.choices import HandoverKind, HandoverStatus, HandoverTransitionName
from handovers.models import Handover
from handovers.selectors import handovers_visible_to

from .serializers import (
    HandoverConflictSerializer,
    HandoverCreateSerializer,
    HandoverDeclineSerializer,
    HandoverSerializer,
    WithdrawSerializer,
)


class HandoverFilter(filters.FilterSet):
    status = filters.MultipleChoiceFilter(choices=HandoverStatus.choices, distinct=False)
    kind = filters.MultipleChoiceFilter(choices=HandoverKind.choices, distinct=False)
    created_after = filters.DateFilter(field_name="created_on", lookup_expr="gte")
    created_before = filters.DateFilter(field_name="created_on", lookup_expr="lte")
    direction = filters.ChoiceFilter(
        choices=[("received", "received"), ("sent", "sent")], method="filter_direction"
    )

    class Meta:
        model = Handover
        fields = ["status", "kind", "from_agency", "to_agency", "victim"]

    def filter_direction(self, queryset, name, value):
        agency_id = self.request.user.agency_id
        if value == "received":
            return queryset.filter(to_agency_id=agency_id)
        return queryset.exclude(to_agency_id=agency_id)


TRANSITION_RESPONSES = {
    200: HandoverSerializer,
    409: OpenApiResponse(HandoverConflictSerializer, description="Not allowed from the status"),
}


class HandoverViewSet(CreateViewSet):
    """Hand-overs sent or received by the user's agency: rescue placements, transfers and
    access requests (SPEC section 7). The answering agency's waiting list is
    `?status=pending&direction=received`."""

    serializer_class = HandoverSerializer
    filterset_class = HandoverFilter
    ordering_fields = ["created_on", "created_at"]
    ordering = ("-created_on", "-created_at")

    def get_queryset(self):
        return (
            handovers_visible_to(self.request.user)
            .select_related("victim", "from_agency")
            .prefetch_related("transitions")
        )

    @extend_schema(request=HandoverCreateSerializer, responses={201: HandoverSerializer})
    def create(self, request, *args, **kwargs):
        form = HandoverCreateSerializer(data=request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        if data.pop("kind") == HandoverKind.TRANSFER:
            handover = services.handover_transfer(user=request.user, channel="api", **data)
        else:
            handover = services.handover_request_access(user=request.user, channel="api", **data)
        return Response(self._show(handover.pk), status=status.HTTP_201_CREATED)

    def _show(self, handover_id) -> dict:
        return self.get_serializer(self.get_queryset().get(pk=handover_id)).data

    def _transition(self, request, pk, transition: str, reason: str = "") -> Response:
        services.handover_transition(
            handover_id=pk, user=request.user, transition=transition, reason=reason, channel="api"
        )
        return Response(self._show(pk))

    @extend_schema(request=None, responses=TRANSITION_RESPONSES)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._transition(request, pk, HandoverTransitionName.ACCEPT)

    @extend_schema(request=HandoverDeclineSerializer, responses=TRANSITION_RESPONSES)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        self.get_object()  # a hand-over the user may not see is a 404, whatever the body says
        form = HandoverDeclineSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        return self._transition(
            request, pk, HandoverTransitionName.DECLINE, form.validated_data["reason"]
        )

    @extend_schema(request=WithdrawSerializer, responses=TRANSITION_RESPONSES)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        self.get_object()
        form = WithdrawSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        return self._transition(
            request, pk, HandoverTransitionName.WITHDRAW, form.validated_data["reason"]
        )
