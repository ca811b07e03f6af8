"""API views of cases, suspects, operations and prosecutions; writes go through cases.services."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from cases import services
from cases.models import Case, Operation, Prosecution, Rescue, Suspect
from cases.policies import can_record_prosecution, can_send_case_to_court
from cases.selectors import (
    case_for_filing,
    cases_visible_to,
    operations_visible_to,
    prosecutions_visible_to,
    suspects_visible_to,
)
from ctms.errors import PermissionDenied
from ctms.rest import CreateViewSet, ViewSet
from victims.selectors import victims_visible_to

from .serializers import (
    CaseSerializer,
    CourtSubmissionSerializer,
    OperationSerializer,
    ProsecutionSerializer,
    SendToCourtSerializer,
    SuspectSerializer,
)


class CaseFilter(filters.FilterSet):
    opened_after = filters.DateFilter(field_name="opened_on", lookup_expr="gte")
    opened_before = filters.DateFilter(field_name="opened_on", lookup_expr="lte")
    closed_after = filters.DateFilter(field_name="closed_on", lookup_expr="gte")
    closed_before = filters.DateFilter(field_name="closed_on", lookup_expr="lte")
    province = filters.CharFilter(field_name="agency__province", max_length=2)

    class Meta:
        model = Case
        fields = ["status", "agency", "cross_border"]


class CaseViewSet(ViewSet):
    serializer_class = CaseSerializer
    filterset_class = CaseFilter
    ordering_fields = ["created_at", "opened_on"]

    def get_queryset(self):
        # A case lists only the victims and suspects its reader may see (an archived person,
        # another agency's suspect: not even their ids).
        user = self.request.user
        return cases_visible_to(user).prefetch_related(
            Prefetch("victims", queryset=victims_visible_to(user).only("id")),
            Prefetch("suspects", queryset=suspects_visible_to(user).only("id")),
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        case = services.case_create(
            user=self.request.user,
            data=data,
            victims=data.pop("victims", []),
            suspects=data.pop("suspects", []),
            channel="api",
        )
        serializer.instance = self.get_queryset().get(pk=case.pk)

    def partial_update(self, request, *args, **kwargs):
        data = self.patch_data(request)
        case = services.case_update(
            user=request.user,
            case_id=kwargs["pk"],
            data=data,
            victims=data.pop("victims", None),
            suspects=data.pop("suspects", None),
            channel="api",
        )
        return self.updated(case)

    @extend_schema(request=SendToCourtSerializer, responses={200: CourtSubmissionSerializer})
    @action(detail=True, methods=["post"], url_path="send-to-court")
    def send_to_court(self, request, pk=None):
        """Send the case to a court (`{"court": "BMC-Court"}`), which may then read it and
        file prosecutions on it: the owning agency, or a police unit with an operation on it.
        Sending it again changes nothing; the send is audited."""
        case = cases_visible_to(request.user).filter(pk=pk).first()
        if case is None or not can_send_case_to_court(request.user, case):
            raise NotFound
        form = SendToCourtSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        submission = services.case_send_to_court(
            user=request.user, case_id=case.pk, court=form.validated_data["court"], channel="api"
        )
        return Response(CourtSubmissionSerializer(submission).data)


class SuspectFilter(filters.FilterSet):
    class Meta:
        model = Suspect
        fields = ["sex", "citizenship", "role", "agency"]


class SuspectViewSet(CreateViewSet):
    serializer_class = SuspectSerializer
    filterset_class = SuspectFilter
    ordering_fields = ["created_at", "family_name"]

    def get_queryset(self):
        return suspects_visible_to(self.request.user)

    def perform_create(self, serializer):
        serializer.instance = services.suspect_create(
            user=self.request.user, data=serializer.validated_data, channel="api"
        )


class OperationFilter(filters.FilterSet):
    date_after = filters.DateFilter(field_name="date", lookup_expr="gte")
    date_before = filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = Operation
        fields = ["kind", "province", "agency", "case"]


class OperationViewSet(ViewSet):
    serializer_class = OperationSerializer
    filterset_class = OperationFilter
    ordering_fields = ["created_at", "date"]

    def get_queryset(self):
        user = self.request.user
        return operations_visible_to(user).prefetch_related(
            Prefetch("suspects_detained", queryset=suspects_visible_to(user).only("id")),
            Prefetch(
                "rescues",
                queryset=Rescue.objects.only(
                    "id", "operation_id", "victim_id", "placement", "placed_with_id"
                ),
            ),
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.operation_record(
            user=self.request.user,
            data=data,
            suspects=data.pop("suspects_detained", []),
            rescues=_rescues(data.pop("rescues", [])),
            channel="api",
        )

    def partial_update(self, request, *args, **kwargs):
        """Correct an operation your unit logged: its fields; `suspects_detained` as it should
        be (suspects you see and leave out are taken off); `rescues` lists persons rescued in
        addition (a person rescued already stays: their placement moves by hand-over)."""
        data = self.patch_data(request)
        operation = services.operation_update(
            user=request.user,
            operation_id=kwargs["pk"],
            data=data,
            detained=data.pop("suspects_detained", None),
            rescues=_rescues(data.pop("rescues", [])),
            channel="api",
        )
        return self.updated(operation)


def _rescues(items: list[dict]) -> list[dict]:
    """The rescues of an operation's body as the services take them."""
    return [
        {
            "victim": item.get("victim") or item["person"],
            "placement": item["placement"],
            "placed_with": item.get("placed_with"),
        }
        for item in items
    ]


class ProsecutionFilter(filters.FilterSet):
    filed_after = filters.DateFilter(field_name="filed_on", lookup_expr="gte")
    filed_before = filters.DateFilter(field_name="filed_on", lookup_expr="lte")
    province = filters.CharFilter(field_name="court__province", max_length=2)

    class Meta:
        model = Prosecution
        fields = ["court", "case"]


class ProsecutionViewSet(ViewSet):
    serializer_class = ProsecutionSerializer
    filterset_class = ProsecutionFilter
    ordering_fields = ["created_at", "filed_on"]

    def create(self, request, *args, **kwargs):
        # A role that files no prosecution is told so before anything about its input.
        if not can_record_prosecution(request.user):
            raise PermissionDenied(_("Only court clerks record prosecutions."))
        # A case not sent to the clerk's court is a record they may not see: 404 before
        # anything about the rest of the input (its suspects are not theirs to name either).
        case_id = request.data.get("case") if isinstance(request.data, dict) else None
        if case_id and case_for_filing(request.user, case_id) is None:
            raise NotFound
        return super().create(request, *args, **kwargs)

    def get_queryset(self):
        return prosecutions_visible_to(self.request.user).prefetch_related(
            "defendants",
            Prefetch(
                "case__victims",
                queryset=victims_visible_to(self.request.user).only(
                    "id", "given_name", "family_name", "name_khmer"
                ),
            ),
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.prosecution_record(
            user=self.request.user,
            data=data,
            defendants=data.pop("defendants", []),
            channel="api",
        )

    def partial_update(self, request, *args, **kwargs):
        """Correct a prosecution filed at your court: its fields, its case (one sent to your
        court) and `defendants` as they should be (each item's `suspect`; a defendant with a
        verdict stays, and verdicts are not changed here)."""
        data = self.patch_data(request)  # names each defendant's suspect only (the serializer)
        defendants = data.pop("defendants", None)
        prosecution = services.prosecution_update(
            user=request.user,
            prosecution_id=kwargs["pk"],
            data=data,
            defendants=None if defendants is None else [item["suspect"] for item in defendants],
            channel="api",
        )
        return self.updated(prosecution)
