"""API views of activities and deportee reports; writes go through reports.aggregate_services."""

from __future__ import annotations

from django_filters import rest_framework as filters

from ctms.rest import CreateViewSet
from reports.aggregate_services import activity_record, deportee_report_record
from reports.models import Activity, DeporteeReport
from reports.selectors import activities_visible_to, deportee_reports_visible_to

from .aggregate_serializers import ActivitySerializer, DeporteeReportSerializer


class ActivityFilter(filters.FilterSet):
    date_after = filters.DateFilter(field_name="date", lookup_expr="gte")
    date_before = filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = Activity
        fields = ["kind", "working_group", "province", "agency"]


class ActivityViewSet(CreateViewSet):
    serializer_class = ActivitySerializer
    filterset_class = ActivityFilter
    ordering_fields = ["created_at", "date"]

    def get_queryset(self):
        return activities_visible_to(self.request.user)

    def perform_create(self, serializer):
        serializer.instance = activity_record(
            user=self.request.user, data=serializer.validated_data, channel="api"
        )


class DeporteeReportFilter(filters.FilterSet):
    month_after = filters.CharFilter(field_name="month", lookup_expr="gte", max_length=7)
    month_before = filters.CharFilter(field_name="month", lookup_expr="lte", max_length=7)
    province = filters.CharFilter(field_name="agency__province", max_length=2)

    class Meta:
        model = DeporteeReport
        fields = ["from_country", "agency"]


class DeporteeReportViewSet(CreateViewSet):
    serializer_class = DeporteeReportSerializer
    filterset_class = DeporteeReportFilter
    ordering_fields = ["created_at", "month"]

    def get_queryset(self):
        return deportee_reports_visible_to(self.request.user)

    def perform_create(self, serializer):
        serializer.instance = deportee_report_record(
            user=self.request.user, data=serializer.validated_data, channel="api"
        )
