"""URL root: the browser UI, the admin and the REST API (/api/v1/). Apps are included by name
(like INSTALLED_APPS), so the core imports none of them."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("", include("dashboard.urls")),
    path("accounts/", include("accounts.urls")),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("victims/", include("victims.urls")),
    path("referrals/", include("referrals.urls")),
    path("handovers/", include("handovers.urls")),
    path("casework/", include("casework.urls")),
    path("notifications/", include("notifications.urls")),
    path("", include("cases.urls")),
    path("", include("reports.aggregate_urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("interop.urls")),
    path("interop/", include("interop.page_urls")),
    path("api/v1/", include("ctms.api")),
    path("reports/exports/", include("exports.urls")),
    path("reports/", include("reports.urls")),
    path("healthz", views.healthz, name="healthz"),
    path("victims/", include("victims.photo_urls")),
]

handler400 = "ctms.error_views.bad_request"
handler403 = "ctms.error_views.permission_denied"
handler404 = "ctms.error_views.page_not_found"
handler500 = "ctms.error_views.server_error"
