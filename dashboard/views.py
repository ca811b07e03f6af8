"""The role home pages: after sign-in each role sees the work waiting for it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from cases.selectors import (
    cases_visible_to,
    follow_ups_due,
    operations_visible_to,
    prosecutions_visible_to,
)
from casework.selectors import tasks_due
from ctms.choices import ReferralStatus, Role
from ctms.decorators import audit_shown
from handovers.selectors import handovers_waiting, with_person
from referrals.selectors import referral_inbox, referrals_visible_to

HOME_LIMIT = 10


def _handovers_waiting(user) -> list:
    """Hand-overs the user's agency has to answer, with the person as the user may see them."""
    waiting = handovers_waiting(user).select_related("victim", "from_agency")[:HOME_LIMIT]
    return with_person(user, waiting)


def _case_worker_home(user) -> dict:
    return {
        "handovers_waiting": _handovers_waiting(user),
        "open_cases": cases_visible_to(user)
        .filter(agency_id=user.agency_id, status__in=["active", "follow_up"])
        .order_by("-opened_on")[:HOME_LIMIT],
        "follow_ups_due": follow_ups_due(user, today=timezone.localdate())[:HOME_LIMIT],
        "tasks_due": tasks_due(user)[:HOME_LIMIT],
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
        "handovers_waiting": _handovers_waiting(user),
        "pending_referrals": referral_inbox(user)
        .filter(status=ReferralStatus.PENDING)
        .select_related("victim", "from_agency")[:HOME_LIMIT],
        "tasks_due": tasks_due(user)[:HOME_LIMIT],
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
    if "tasks_due" in context:  # each task names its person: an audited read
        context["tasks_due"] = list(context["tasks_due"])
        audit_shown(request, [task.goal.plan.victim for task in context["tasks_due"]])
    audit_shown(
        request, [person for _h, person, _s in context.get("handovers_waiting", ()) if person]
    )
    context["home_body"] = f"dashboard/home/{_home_body(request.user)}.html"
    return render(request, "home.html", context)


def _home_body(user) -> str:
    """The part of the home page for the user's role (administrators and anyone else: the
    way to the administration)."""
    if user.role in HOME_CONTEXT or user.role == Role.SECRETARIAT:
        return user.role
    return "other"
