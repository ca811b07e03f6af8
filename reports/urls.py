"""/reports/: the secretariat's statistics report pages."""

from __future__ import annotations

from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/figures/", views.dashboard_figures, name="figures"),
    path("<uuid:pk>/", views.report_detail, name="detail"),
    path("<uuid:pk>/status/", views.report_status, name="status"),
    path("<uuid:pk>/retry/", views.report_retry_view, name="retry"),
    path("<uuid:pk>/files/<str:key>/", views.report_file, name="file"),
]
