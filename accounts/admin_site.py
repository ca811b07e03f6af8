"""The admin site of CTMS: administrators only, and only after their second factor."""

from __future__ import annotations

from django.contrib.admin import AdminSite
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from ctms.policies import can_administer

from .two_factor import is_two_factor_satisfied


class CTMSAdminSite(AdminSite):
    """Django's admin, opened by the `admin` role (not the is_staff flag) with TOTP verified;
    its own login page hands over to the CTMS sign-in (lockout, second factor)."""

    site_header = "CTMS administration"
    site_title = "CTMS administration"

    def has_permission(self, request: HttpRequest) -> bool:
        return can_administer(request.user) and is_two_factor_satisfied(request.user)

    def login(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        return redirect_to_login(request.GET.get("next") or reverse("admin:index"))
