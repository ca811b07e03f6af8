"""/activities/ and /deportee-reports/: the aggregate records' browser forms."""

from __future__ import annotations

from django.urls import path

from . import aggregate_views_web as views

app_name = "aggregates"

urlpatterns = [
    path("activities/", views.activities, name="activities"),
    path("activities/<uuid:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("deportee-reports/", views.deportee_reports, name="deportee_reports"),
    path(
        "deportee-reports/<uuid:pk>/edit/",
        views.deportee_report_edit,
        name="deportee_report_edit",
    ),
]
