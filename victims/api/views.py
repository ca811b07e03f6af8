"""API views of victims, repatriations and follow-ups; writes go through victims.services."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from ctms.api_policies import TokenRateThrottle
from ctms.errors import PermissionDenied
from ctms.rest import CreateViewSet, ViewSet
from victims import services
from victims.matching import match_json, search_matches
from victims.models import FollowUp, Repatriation, Victim
from victims.policies import (
    can_archive_victim,
    can_merge_records,
    can_search_matches,
    can_take_in_victim,
)
from victims.selectors import (
    VictimAccess,
    follow_ups_visible_to,
    repatriations_visible_to,
    victims_with_access,
)

from .serializers import (
    WRITABLE_FIELDS,
    ArchivedSerializer,
    ArchiveSerializer,
    FollowUpSerializer,
    MatchListSerializer,
    MatchQuerySerializer,
    MergeSerializer,
    RepatriationSerializer,
    VictimSerializer,
)


class MatchesRateThrottle(TokenRateThrottle):
    """Matches queries per user, at `settings.VICTIM_MATCHES_RATE`: far more than intake needs,
    far fewer than probing an invisible record field by field would."""

    scope = "victim_matches"

    def get_rate(self) -> str | None:
        return settings.VICTIM_MATCHES_RATE


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
        """Look for matches first (SPEC section 8): when some are found the answer is 409 with
        them, and nothing is saved, unless the body says `"confirm_new": true`."""
        # A role that takes in no victim is told so before anything about its input.
        if not can_take_in_victim(request.user):
            raise PermissionDenied(_("Your role does not take in victims."))
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if not serializer.validated_data.get("confirm_new"):
            matches = search_matches(user=request.user, data=serializer.validated_data)
            if matches:
                return Response(
                    {
                        "detail": _(
                            "Possible duplicates found. Open one, ask for access, or send the "
                            'record again with "confirm_new": true to save a new person.'
                        ),
                        "matches": [match_json(match) for match in matches],
                    },
                    status=status.HTTP_409_CONFLICT,
                )
        self.perform_create(serializer)
        return Response(self.get_serializer(serializer.instance).data, status=201)

    def perform_create(self, serializer):
        # The answer shows what the creator may see of the record afterwards: a police unit
        # that records a person outside an operation does not hold it in full.
        data = {k: v for k, v in serializer.validated_data.items() if k in WRITABLE_FIELDS}
        serializer.instance = services.victim_create(
            user=self.request.user, data=data, channel="api"
        )

    @extend_schema(parameters=[MatchQuerySerializer], responses=MatchListSerializer)
    @action(
        detail=False,
        methods=["get"],
        url_path="matches",
        throttle_classes=[TokenRateThrottle, MatchesRateThrottle],
        pagination_class=None,
        filter_backends=[],
    )
    def matches(self, request):
        """Possible duplicates of a person, best first, at most 10 (SPEC section 8)."""
        if not can_search_matches(request.user):
            raise PermissionDenied(_("Your role does not look for duplicates."))
        query = MatchQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        matches = search_matches(user=request.user, data=query.validated_data, channel="api")
        return Response({"results": [match_json(match) for match in matches]})

    @extend_schema(
        request=MergeSerializer,
        responses={200: VictimSerializer, 409: OpenApiResponse(description="already merged")},
    )
    @action(detail=True, methods=["post"], url_path="merge")
    def merge(self, request, pk=None):
        """Merge the record `duplicate` into this one; every link moves (SPEC section 8)."""
        if not can_merge_records(request.user):
            raise PermissionDenied(_("Only case workers and administrators merge records."))
        body = MergeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        survivor = services.victim_merge(
            user=request.user,
            survivor_id=pk,
            duplicate_id=body.validated_data["duplicate"],
            channel="api",
        )
        survivor.access = int(VictimAccess.FULL)
        return Response(self.get_serializer(survivor).data, status=status.HTTP_200_OK)

    def partial_update(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        victim = services.victim_update(
            user=request.user,
            victim_id=kwargs["pk"],
            data={k: v for k, v in serializer.validated_data.items() if k in WRITABLE_FIELDS},
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
