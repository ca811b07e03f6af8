"""Second factor (TOTP, django-otp) for the roles that see the most: administrators and the
secretariat. After the password, such a user can reach nothing but the verification (or, the
first time, enrolment) page until a code from their authenticator app is accepted."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from ctms.choices import Role

TWO_FACTOR_ROLES = frozenset({Role.ADMIN, Role.SECRETARIAT})
# Reachable before the second factor: the factor pages themselves, sign-out, language, assets.
OPEN_PATH_NAMES = ("otp-verify", "otp-setup", "logout", "set_language", "healthz")


def requires_two_factor(user) -> bool:
    return bool(
        user.is_authenticated
        and (user.role in TWO_FACTOR_ROLES or user.is_superuser or user.is_staff)
    )


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def is_two_factor_satisfied(user) -> bool:
    """True unless the user needs a second factor and has not given it in this session."""
    return not requires_two_factor(user) or user.is_verified()


class TwoFactorMiddleware:
    """Send users who need a second factor to the verification or enrolment page. Must come
    after django_otp's OTPMiddleware (which gives `request.user.is_verified()`)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or is_two_factor_satisfied(user) or self._is_open(request):
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": _("Two-factor verification is required.")}, status=403)
        name = "otp-verify" if confirmed_device(user) else "otp-setup"
        query = urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(f"{reverse(name)}?{query}")

    @staticmethod
    def _is_open(request: HttpRequest) -> bool:
        if request.path.startswith("/" + settings.STATIC_URL.lstrip("/")):
            return True
        try:
            return resolve(request.path_info).url_name in OPEN_PATH_NAMES
        except Resolver404:
            return False
