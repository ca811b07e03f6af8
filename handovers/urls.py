"""Browser URLs of hand-overs."""

from __future__ import annotations

from django.urls import path

from . import views

app_name = "handovers"

urlpatterns = [
    path("", views.handover_list, name="list"),
    path("transfer/<uuid:victim_pk>/", views.transfer_new, name="transfer"),
    path("<uuid:pk>/", views.handover_detail, name="detail"),
    path("<uuid:pk>/<slug:transition>/", views.handover_act, name="act"),
]
