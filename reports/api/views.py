"""`/api/v1/reports/`: ask for a report (202), follow it, read its figures, download its files.

Only the secretariat and administrators: others get 403 on the list and on asking, 404 on a
run (the run's existence is not revealed). Authentication is DRF's default from settings.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import FileResponse, Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from ctms.rest import ApiViewSetMixin
from reports.documents import CONTENT_TYPES
from reports.policies import can_use_reports
from reports.selectors import report_runs_visible_to
from reports.services import report_download, report_request

from .serializers import ReportRequestSerializer, ReportRunDetailSerializer, ReportRunSerializer


class CanUseReports(permissions.BasePermission):
    message = "Only the secretariat and administrators ask for or read statistics reports."

    def has_permission(self, request, view) -> bool:
        # Reading one run answers 404 for others (through the empty queryset), never 403.
        return view.action == "retrieve" or view.action == "file" or can_use_reports(request.user)


class ReportRunViewSet(
    ApiViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    permission_classes = [permissions.IsAuthenticated, CanUseReports]
    filterset_fields = ["status", "period"]
    ordering_fields = ["created_at"]

    def get_queryset(self):
        return report_runs_visible_to(self.request.user).select_related("created_by")

    def get_serializer_class(self):
        if self.action == "create":
            return ReportRequestSerializer
        return ReportRunDetailSerializer if self.action == "retrieve" else ReportRunSerializer

    @extend_schema(
        request=ReportRequestSerializer,
        responses={
            202: OpenApiResponse(
                ReportRunSerializer,
                description="The run is queued: follow `url` (also the Location header).",
            )
        },
    )
    def create(self, request: Request) -> Response:
        """`{"period": "2010-Q3"}` → 202 with the run's id; the figures follow at its URL."""
        serializer = ReportRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            run = report_request(
                user=request.user, period=serializer.validated_data["period"], channel="api"
            )
        except DjangoValidationError as error:
            raise ValidationError({"period": error.messages}) from error
        body = ReportRunSerializer(run, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": body["url"]})

    @action(detail=True, methods=["get"], url_path=r"files/(?P<key>[a-z]+_[a-z]+)")
    def file(self, request: Request, pk=None, key: str = "") -> FileResponse:
        """Download one file of a done run (audited)."""
        run = self.get_object()
        path = report_download(user=request.user, run=run, key=key, channel="api")
        if path is None:
            raise Http404
        return FileResponse(
            open(path, "rb"),  # noqa: SIM115 - FileResponse closes it
            as_attachment=True,
            filename=path.name,
            content_type=CONTENT_TYPES[key.split("_")[0]],
        )
