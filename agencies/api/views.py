"""API views of the agency directory."""

from __future__ import annotations

from django_filters import rest_framework as filters

from agencies.models import Agency
from agencies.selectors import agencies_visible_to
from ctms.rest import ReadOnlyViewSet

from .serializers import AgencySerializer


class AgencyFilter(filters.FilterSet):
    class Meta:
        model = Agency
        fields = ["kind", "province", "accepts_referrals", "parent"]


class AgencyViewSet(ReadOnlyViewSet):
    """The agency directory (no personal data): every signed-in user reads it."""

    serializer_class = AgencySerializer
    filterset_class = AgencyFilter
    ordering_fields = ["acronym", "created_at"]
    ordering = "acronym"

    def get_queryset(self):
        return agencies_visible_to(self.request.user)
