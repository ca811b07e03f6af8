"""/activities/ and /deportee-reports/: the aggregate records' browser forms."""

from __future__ import annotations

from django.urls import path

from . import aggregate_views_web as views

app_name = "aggregates"

urlpatterns = [
    path("activities/", views.activities, name="activities"),
    path("deportee-reports/", views.deportee_reports, name="deportee_reports"),
]
