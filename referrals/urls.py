"""Browser URLs of referrals."""

from __future__ import annotations

from django.urls import path

from . import views

app_name = "referrals"

urlpatterns = [
    path("", views.referral_list, name="list"),
    path("partners/", views.partner_field, name="partners"),
    path("new/<uuid:victim_pk>/", views.referral_new, name="new"),
    path("<uuid:pk>/", views.referral_detail, name="detail"),
    path("<uuid:pk>/services/", views.service_new, name="service_new"),
    path("<uuid:pk>/<slug:transition>/", views.referral_act, name="act"),
]
