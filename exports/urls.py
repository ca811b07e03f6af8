"""URLs of the CTDC export, mounted at /reports/exports/ by ctms/urls.py."""

from __future__ import annotations

from django.urls import path

from . import views

app_name = "exports"

urlpatterns = [
    path("", views.export_page, name="page"),
    path("summary/", views.export_summary, name="summary"),
    path("ctdc.csv", views.download_csv, name="csv"),
    path("ctdc.xlsx", views.download_xlsx, name="xlsx"),
    path("runs/", views.run_create, name="run_create"),
    path("runs/<uuid:run_id>/", views.run_detail, name="run"),
    path("runs/<uuid:run_id>/download/", views.run_download, name="run_download"),
]
