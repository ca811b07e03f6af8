"""The administrators' pages of the external systems, mounted at /interop/ by ctms/urls.py."""

from __future__ import annotations

from django.urls import path

from . import page_views

app_name = "interop"

urlpatterns = [
    path("systems/", page_views.system_list, name="systems"),
    path("systems/<uuid:pk>/", page_views.system_detail, name="system"),
    path("systems/<uuid:pk>/rotate/", page_views.system_rotate, name="system_rotate"),
    path("systems/<uuid:pk>/deactivate/", page_views.system_deactivate, name="system_deactivate"),
    path("systems/<uuid:pk>/reactivate/", page_views.system_reactivate, name="system_reactivate"),
]
