"""API views of referrals (with the workflow's transitions as actions), services and webhooks.
Writes go through referrals.services."""

from __future__ import annotations

from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from agencies.models import Agency
from ctms.choices import ReferralStatus
from ctms.rest import ApiViewSetMixin, CreateViewSet, ReadOnlyViewSet
from referrals import services
from referrals.choices import Transition
from referrals.models import Referral, Service, WebhookDelivery
from referrals.selectors import (
    referrals_visible_to,
    services_visible_to,
    webhook_deliveries_visible_to,
    webhook_endpoints_visible_to,
)
from referrals.workflow import RECEIVER, SIDE, WORKFLOW
from victims.models import Victim
from victims.selectors import REFERRAL_FIELDS

from .serializers import (
    DeclineSerializer,
    ReferralCreateSerializer,
    ReferralSerializer,
    ServiceSerializer,
    TransitionConflictSerializer,
    TransitionReasonSerializer,
    WebhookDeliverySerializer,
    WebhookEndpointSerializer,
)


class ReferralFilter(filters.FilterSet):
    # distinct=False: a status is one column of the row, no join can repeat it (and DISTINCT
    # over a million referrals would cost a second per page).
    status = filters.MultipleChoiceFilter(choices=ReferralStatus.choices, distinct=False)
    created_after = filters.DateFilter(field_name="created_on", lookup_expr="gte")
    created_before = filters.DateFilter(field_name="created_on", lookup_expr="lte")
    direction = filters.ChoiceFilter(
        choices=[("received", "received"), ("sent", "sent")], method="filter_direction"
    )

    class Meta:
        model = Referral
        fields = ["status", "urgency", "from_agency", "to_agency"]

    def filter_direction(self, queryset, name, value):
        agency_id = self.request.user.agency_id
        if value == "received":
            return queryset.filter(to_agency_id=agency_id)
        return queryset.exclude(to_agency_id=agency_id)


# Victim and agency columns a referral's serializer never reads: the referral view of the
# victim and its summary's province; of the sending agency, what tells the sender's side.
VICTIM_COLUMNS_UNUSED = tuple(
    field.name
    for field in Victim._meta.concrete_fields
    if field.name
    not in {
        *REFERRAL_FIELDS,
        "home_province",
        "date_of_birth",
        "birth_year",
        "consent_data_sharing",
    }
)
AGENCY_COLUMNS_UNUSED = tuple(
    field.name for field in Agency._meta.concrete_fields if field.name not in {"id", "parent"}
)

WHAT_IT_DOES = {
    Transition.ACCEPT: "The receiving agency takes the referral on (it then sees the victim).",
    Transition.DECLINE: "The receiving agency turns the referral down, with a reason.",
    Transition.START: "The receiving agency starts delivering services.",
    Transition.COMPLETE: "The receiving agency has delivered the services.",
    Transition.CLOSE: "The receiving agency ends the referral early, with a reason.",
    Transition.WITHDRAW: "The sending side takes the referral back, with a reason.",
}


def transition_description(transition: str) -> str:
    """The operation's description, read from the workflow table (referrals.workflow)."""
    starts = [status for status, steps in WORKFLOW.items() if transition in steps]
    to_status = WORKFLOW[starts[0]][transition].to_status
    side = "receiving agency" if SIDE[transition] == RECEIVER else "sending side"
    return (
        f"{WHAT_IT_DOES[transition]} Allowed from: "
        + ", ".join(f"`{status}`" for status in starts)
        + f"; leads to `{to_status}`; taken by the {side}. From any other status the answer "
        "is 409 with the current `status` (a referral the caller may not see is a 404)."
    )


TRANSITION_RESPONSES = {
    200: ReferralSerializer,
    409: OpenApiResponse(TransitionConflictSerializer, description="Not allowed from the status"),
}


def transition_schema(transition: str, request=None):
    return extend_schema(
        request=request,
        responses=TRANSITION_RESPONSES,
        description=transition_description(transition),
    )


class ReferralViewSet(CreateViewSet):
    """Referrals sent or received by the user's agency. The receiving agency's inbox is
    `?status=pending&direction=received`, newest first."""

    serializer_class = ReferralSerializer
    filterset_class = ReferralFilter
    ordering_fields = ["created_on", "created_at"]
    ordering = ("-created_on", "-created_at")

    def get_queryset(self):
        # Only the columns the serializer reads: a page of wide victim rows costs more to build
        # than to fetch (see bench/api_inbox.py).
        return (
            referrals_visible_to(self.request.user)
            .select_related("victim", "from_agency")
            .defer(*(f"victim__{name}" for name in VICTIM_COLUMNS_UNUSED))
            .defer(*(f"from_agency__{name}" for name in AGENCY_COLUMNS_UNUSED))
        )

    @extend_schema(request=ReferralCreateSerializer, responses={201: ReferralSerializer})
    def create(self, request, *args, **kwargs):
        form = ReferralCreateSerializer(data=request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        referral = services.referral_create(user=request.user, channel="api", **form.validated_data)
        return Response(self._show(referral.pk), status=status.HTTP_201_CREATED)

    def _show(self, referral_id) -> dict:
        return self.get_serializer(self.get_queryset().get(pk=referral_id)).data

    def _transition(self, request, pk, transition: str, reason: str = "") -> Response:
        services.referral_transition(
            referral_id=pk, user=request.user, transition=transition, reason=reason, channel="api"
        )
        return Response(self._show(pk))

    @transition_schema(Transition.ACCEPT)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._transition(request, pk, Transition.ACCEPT)

    @transition_schema(Transition.DECLINE, request=DeclineSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        self.get_object()  # a referral the user may not see is a 404, whatever the body says
        form = DeclineSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        return self._transition(request, pk, Transition.DECLINE, form.validated_data["reason"])

    @transition_schema(Transition.START)
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        return self._transition(request, pk, Transition.START)

    @transition_schema(Transition.COMPLETE)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        return self._transition(request, pk, Transition.COMPLETE)

    @transition_schema(Transition.CLOSE, request=TransitionReasonSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        self.get_object()
        form = TransitionReasonSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        return self._transition(request, pk, Transition.CLOSE, form.validated_data["reason"])

    @transition_schema(Transition.WITHDRAW, request=TransitionReasonSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        self.get_object()
        form = TransitionReasonSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        return self._transition(request, pk, Transition.WITHDRAW, form.validated_data["reason"])


class ServiceFilter(filters.FilterSet):
    date_after = filters.DateFilter(field_name="date", lookup_expr="gte")
    date_before = filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = Service
        fields = ["service", "agency", "referral", "victim"]


class ServiceViewSet(CreateViewSet):
    """Services delivered. A partner records them under a referral it accepted."""

    serializer_class = ServiceSerializer
    filterset_class = ServiceFilter
    ordering_fields = ["created_at", "date"]

    def get_queryset(self):
        return services_visible_to(self.request.user)

    def perform_create(self, serializer):
        data = serializer.validated_data
        referral = data.get("referral")
        serializer.instance = services.service_record(
            user=self.request.user,
            victim=data.get("victim") or referral.victim,
            service=data["service"],
            date=data["date"],
            referral=referral,
            notes=data.get("notes", ""),
            channel="api",
        )


class WebhookEndpointViewSet(
    ApiViewSetMixin,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The user's agency's webhook endpoints (see docs/api.md for the signature)."""

    serializer_class = WebhookEndpointSerializer
    filterset_fields = ["is_active"]
    ordering_fields = ["created_at"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return webhook_endpoints_visible_to(self.request.user)

    def perform_create(self, serializer):
        serializer.instance = services.webhook_endpoint_create(
            user=self.request.user, data=serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = services.webhook_endpoint_update(
            user=self.request.user,
            endpoint_id=serializer.instance.pk,
            data=serializer.validated_data,
        )

    def perform_destroy(self, instance):
        services.webhook_endpoint_delete(user=self.request.user, endpoint_id=instance.pk)


class WebhookDeliveryFilter(filters.FilterSet):
    delivered = filters.BooleanFilter(field_name="delivered_at", lookup_expr="isnull", exclude=True)
    given_up = filters.BooleanFilter(field_name="given_up_at", lookup_expr="isnull", exclude=True)

    class Meta:
        model = WebhookDelivery
        fields = ["endpoint", "event"]


class WebhookDeliveryViewSet(ReadOnlyViewSet):
    """Each event posted (or being retried) to the user's agency's endpoints."""

    serializer_class = WebhookDeliverySerializer
    filterset_class = WebhookDeliveryFilter
    ordering_fields = ["created_at"]
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return webhook_deliveries_visible_to(self.request.user)

    @extend_schema(
        request=None,
        description=(
            "Try a delivery whose `state` is `given_up` once more, with a fresh set of retries "
            "(after the partner's server was fixed). A delivery that is `pending`, `retrying` "
            "or `delivered` answers 409 with its `state` as `status`."
        ),
        responses={
            202: OpenApiResponse(WebhookDeliverySerializer, description="Queued again"),
            409: OpenApiResponse(TransitionConflictSerializer, description="Not given up"),
        },
    )
    @action(detail=True, methods=["post"])
    def redeliver(self, request, pk=None):
        delivery = services.webhook_delivery_redeliver(
            user=request.user, delivery_id=pk, channel="api"
        )
        delivery.refresh_from_db()
        return Response(self.get_serializer(delivery).data, status=status.HTTP_202_ACCEPTED)
