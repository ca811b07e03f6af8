"""Project-level views: the role home pages, sign-in with the remembered language, the language
switch, and the health check."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.views.i18n import set_language as django_set_language

from accounts.views import CTMSLoginView
from cases.selectors import cases_visible_to, operations_visible_to, prosecutions_visible_to
from ctms.choices import Role
from referrals.choices import ReferralStatus
from referrals.selectors import referral_inbox, referrals_visible_to
from victims.selectors import follow_ups_due

from .decorators import audit_shown
from .services import user_set_language

HOME_LIMIT = 10


def _case_worker_home(user) -> dict:
    return {
        "open_cases": cases_visible_to(user)
        .filter(agency_id=user.agency_id, status__in=["active", "follow_up"])
        .order_by("-opened_on")[:HOME_LIMIT],
        "follow_ups_due": follow_ups_due(user, today=timezone.localdate())[:HOME_LIMIT],
        "recent_referrals": referrals_visible_to(user)
        .filter(from_agency_id=user.agency_id)
        .select_related("to_agency")
        .order_by("-created_on", "-created_at")[:HOME_LIMIT],
    }


def _police_home(user) -> dict:
    return {
        "operations": operations_visible_to(user)
        .filter(agency_id=user.agency_id)
        .order_by("-date", "-created_at")[:HOME_LIMIT]
    }


def _partner_home(user) -> dict:
    return {
        "pending_referrals": referral_inbox(user)
        .filter(status=ReferralStatus.PENDING)
        .select_related("victim", "from_agency")[:HOME_LIMIT]
    }


def _justice_home(user) -> dict:
    return {
        "prosecutions": prosecutions_visible_to(user)
        .filter(court_id=user.agency_id)
        .select_related("court")
        .order_by("-filed_on")[:HOME_LIMIT]
    }


HOME_CONTEXT = {
    Role.CASE_WORKER: _case_worker_home,
    Role.POLICE: _police_home,
    Role.PARTNER: _partner_home,
    Role.JUSTICE: _justice_home,
}


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The home page of the user's role: the work waiting for them."""
    build = HOME_CONTEXT.get(request.user.role)
    context = build(request.user) if build else {}
    if "follow_ups_due" in context:  # names are shown: an audited read
        context["follow_ups_due"] = audit_shown(request, context["follow_ups_due"])
    return render(request, "home.html", context)


class LoginView(CTMSLoginView):
    """Sign-in with the lockout form of `accounts`; then the interface switches to the user's
    remembered language."""

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


def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch; for a signed-in user the choice is also remembered."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if (
        request.method == "POST"
        and request.user.is_authenticated
        and language in dict(settings.LANGUAGES)
    ):
        user_set_language(user=request.user, language=language)
    return response


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness for the container health check: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
