"""Sign-in pages: password (with lockout), then the second factor for the roles that need it."""

from __future__ import annotations

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login
from django_otp import verify_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from ctms.audit import audit
from ctms.models import AuditEvent

from .forms import LockoutAuthenticationForm, OTPTokenForm
from .services import (
    two_factor_enrolment_confirm,
    two_factor_enrolment_device,
    two_factor_enrolment_start,
)
from .two_factor import confirmed_device, requires_two_factor

ENROLMENT_SESSION_KEY = "ctms_totp_enrolment_device"


class CTMSLoginView(LoginView):
    """Django's login view with the lockout form; after sign-in the interface switches to the
    user's remembered language."""

    authentication_form = LockoutAuthenticationForm
    template_name = "registration/login.html"

    def form_valid(self, form):
        response = super().form_valid(form)
        language = form.get_user().preferred_language
        if language in dict(settings.LANGUAGES):
            translation.activate(language)
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, "")
    safe = url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return candidate if safe else resolve_url("home")


def _accept_token(request: HttpRequest, device: TOTPDevice, token: str) -> bool:
    """Check a code against the user's device; audit the outcome either way."""
    verified = verify_token(request.user, device.persistent_id, token)
    action = AuditEvent.Action.LOGIN if verified else AuditEvent.Action.LOGIN_FAILED
    audit(actor=request.user, action=action, obj=request.user, details={"step": "totp"})
    if verified:
        otp_login(request, verified)
    return verified is not None


@never_cache
@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    """Second step of sign-in: the code from the authenticator app."""
    device = confirmed_device(request.user)
    if device is None:
        return HttpResponseRedirect(resolve_url("otp-setup") + "?" + request.GET.urlencode())
    form = OTPTokenForm(request.POST or None)
    if form.is_valid():
        if _accept_token(request, device, form.cleaned_data["token"]):
            return HttpResponseRedirect(_next_url(request))
        form.add_error("token", _("That code is not valid. Wait for the next one and retry."))
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _next_url(request)})


@never_cache
@login_required
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Enrolment: every visit shows the secret (QR code and text) of a new device, valid for
    ten minutes; a correct code confirms it and removes the user's other devices. A user with a
    confirmed device goes to verification instead (only an administrator resets it)."""
    if not requires_two_factor(request.user):
        return HttpResponseRedirect(resolve_url("home"))
    if confirmed_device(request.user) is not None:
        return HttpResponseRedirect(resolve_url("otp-verify") + "?" + request.GET.urlencode())
    device = two_factor_enrolment_device(
        user=request.user, device_id=request.session.get(ENROLMENT_SESSION_KEY)
    )
    form = OTPTokenForm(request.POST if request.method == "POST" and device else None)
    if form.is_valid():
        if _accept_token(request, device, form.cleaned_data["token"]):
            two_factor_enrolment_confirm(user=request.user, device=device)
            request.session.pop(ENROLMENT_SESSION_KEY, None)
            messages.success(request, _("Two-factor sign-in is set up."))
            return HttpResponseRedirect(_next_url(request))
        form.add_error("token", _("That code is not valid. Check the time on your phone."))
    elif not form.is_bound:
        if request.method == "POST":  # the secret this page showed expired or was replaced
            messages.error(request, _("That secret key has expired: scan the new code."))
        # Every visit shows a new secret: one seen before (by anyone) never gets confirmed.
        device = two_factor_enrolment_start(user=request.user)
        request.session[ENROLMENT_SESSION_KEY] = device.pk
    context = {
        "form": form,
        "next": _next_url(request),
        "qr_svg": segno.make(device.config_url, error="m").svg_data_uri(scale=4),
        "secret": _grouped(device.config_url.split("secret=")[1].split("&")[0]),
    }
    return render(request, "accounts/otp_setup.html", context)


def _grouped(secret: str) -> str:
    """The base32 secret in groups of four, easier to type into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
