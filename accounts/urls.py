"""Sign-in, sign-out and the second factor, under /accounts/."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

urlpatterns = [
    path("login/", views.CTMSLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("two-factor/", views.otp_verify, name="otp-verify"),
    path("two-factor/setup/", views.otp_setup, name="otp-setup"),
]
