"""URL root: the browser UI, the admin and the REST API (/api/v1/)."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from victims.photo_views import victim_photo

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("accounts.urls")),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("victims/", include("victims.urls")),
    path("referrals/", include("referrals.urls")),
    path("casework/", include("casework.urls")),
    path("notifications/", include("notifications.urls")),
    path("", include("cases.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("ctms.api")),
    path("reports/exports/", include("reports.exports.urls")),
    path("reports/", include("reports.urls")),
    path("healthz", views.healthz, name="healthz"),
    # The only route to an uploaded photo (MEDIA_URL is deliberately not routed).
    path("victims/<uuid:pk>/photo/", victim_photo, name="victim-photo"),
]
