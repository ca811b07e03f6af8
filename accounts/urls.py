from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [
    path("two-factor/", views.otp_verify, name="otp-verify"),
    path("two-factor/setup/", views.otp_setup, name="otp-setup"),
]
