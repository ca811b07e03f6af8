"""Browser URLs of notifications."""

from __future__ import annotations

from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("badge/", views.badge, name="badge"),
    path("read/", views.mark_read, name="read"),
    path("settings/", views.email_settings, name="settings"),
]
