"""API views of victims, repatriations and follow-ups; writes go through victims.services."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from ctms.errors import PermissionDenied
from ctms.rest import CreateViewSet, ViewSet
from victims import services
from victims.models import FollowUp, Repatriation, Victim
from victims.policies import can_archive_victim, can_take_in_victim
from victims.selectors import (
    VictimAccess,
    follow_ups_visible_to,
    repatriations_visible_to,
    victims_with_access,
)

from .serializers import (
    ArchivedSerializer,
    ArchiveSerializer,
    FollowUpSerializer,
    RepatriationSerializer,
    VictimSerializer,
)


class VictimFilter(filters.FilterSet):
    """Filters on a field only match victims whose reader may see that field, so that a filter
    never tells a reader more than the record itself would."""

    created_after = filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="lte")
    sex = filters.ChoiceFilter(
        choices=Victim._meta.get_field("sex").choices, method="filter_referral_field"
    )
    home_province = filters.CharFilter(max_length=2, method="filter_police_field")
    trafficking_status = filters.ChoiceFilter(
        choices=Victim._meta.get_field("trafficking_status").choices,
        method="filter_police_field",
    )
    agency = filters.UUIDFilter(method="filter_police_field")

    class Meta:
        model = Victim
        fields: list[str] = []

    def filter_referral_field(self, queryset, name, value):
        return queryset.filter(access__gte=VictimAccess.REFERRAL, **{name: value})

    def filter_police_field(self, queryset, name, value):
        # The referral view shows neither province, status nor owner: only police and full.
        return queryset.filter(access__in=[VictimAccess.POLICE, VictimAccess.FULL], **{name: value})


class VictimViewSet(ViewSet):
    """Victims the user may see, each with the fields their access allows (SPEC section 1)."""

    serializer_class = VictimSerializer
    filterset_class = VictimFilter
    ordering_fields = ["created_at", "family_name"]

    def get_queryset(self):
        return victims_with_access(self.request.user)

    def create(self, request, *args, **kwargs):
        # A role that takes in no victim is told so before anything about its input.
        if not can_take_in_victim(request.user):
            raise PermissionDenied(_("Your role does not take in victims."))
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        # The answer shows what the creator may see of the record afterwards: a police unit
        # that records a person outside an operation does not hold it in full.
        serializer.instance = services.victim_create(
            user=self.request.user, data=serializer.validated_data, channel="api"
        )

    def partial_update(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        victim = services.victim_update(
            user=request.user,
            victim_id=kwargs["pk"],
            data=serializer.validated_data,
            channel="api",
        )
        victim.access = int(VictimAccess.FULL)
        return Response(self.get_serializer(victim).data, status=status.HTTP_200_OK)

    @extend_schema(request=ArchiveSerializer, responses={200: ArchivedSerializer})
    @action(detail=True, methods=["post"])
    def archive(self, request, pk=None):
        """Archive a person held in full, with a reason: afterwards only the owning agency's
        archive list and administrators show them (this API answers 404 for them)."""
        if not can_archive_victim(request.user):
            raise NotFound
        form = ArchiveSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        victim = services.victim_archive(
            user=request.user, victim_id=pk, reason=form.validated_data["reason"], channel="api"
        )
        return Response(ArchivedSerializer({"id": victim.pk, "is_archived": True}).data)


class RepatriationFilter(filters.FilterSet):
    received_after = filters.DateFilter(field_name="received_on", lookup_expr="gte")
    received_before = filters.DateFilter(field_name="received_on", lookup_expr="lte")

    class Meta:
        model = Repatriation
        fields = ["kind", "from_country", "receiving_agency", "border_province", "victim"]


class RepatriationViewSet(CreateViewSet):
    serializer_class = RepatriationSerializer
    filterset_class = RepatriationFilter
    ordering_fields = ["created_at", "received_on"]

    def get_queryset(self):
        return repatriations_visible_to(self.request.user).prefetch_related("assisted_by")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        assisted_by = data.pop("assisted_by", [])
        serializer.instance = services.repatriation_record(
            user=self.request.user, data=data, assisted_by=assisted_by, channel="api"
        )


class FollowUpFilter(filters.FilterSet):
    date_after = filters.DateFilter(field_name="date", lookup_expr="gte")
    date_before = filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = FollowUp
        fields = ["kind", "agency", "victim"]


class FollowUpViewSet(CreateViewSet):
    serializer_class = FollowUpSerializer
    filterset_class = FollowUpFilter
    ordering_fields = ["created_at", "date"]

    def get_queryset(self):
        return follow_ups_visible_to(self.request.user)

    def perform_create(self, serializer):
        serializer.instance = services.follow_up_record(
            user=self.request.user, data=serializer.validated_data, channel="api"
        )
