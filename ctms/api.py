"""The /api/v1/ router. Each app registers its viewsets in its own api/urls.py."""

from __future__ import annotations

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start-up script as a file: the CSP allows no inline script.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("accounts.api.urls")),
    path("", include("agencies.api.urls")),
    path("", include("victims.api.urls")),
    path("", include("cases.api.urls")),
    path("", include("referrals.api.urls")),
    path("", include("handovers.api.urls")),
    path("", include("reports.api.aggregate_urls")),
    path("", include("reports.api.urls")),
    path("", include("casework.api.urls")),
    path("", include("notifications.api")),
]
