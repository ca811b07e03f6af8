"""Who may see which referral and service (SPEC section 1 and 3).

The only place these scope rules are written; everything is denied unless a rule grants it.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from ctms.choices import OPEN_FOR_RECEIVER, Role
from ctms.scope import has_role, is_admin, owning_agency_q
from victims.selectors import VictimAccess, victims_visible_to

from .models import Referral, Service, WebhookDelivery, WebhookEndpoint


def referrals_visible_to(user) -> QuerySet[Referral]:
    """The sending side (case workers of the sending agency or its parent) and the receiving
    agency's partner or case-worker users. What of the victim the receiver sees depends on the
    status: see `referral_shows_identity`."""
    if is_admin(user):
        return Referral.objects.all()
    rules: list[Q] = []
    if has_role(user, Role.CASE_WORKER):
        rules.append(owning_agency_q(user, "from_agency"))
    if has_role(user, Role.CASE_WORKER, Role.PARTNER):
        rules.append(Q(to_agency_id=user.agency_id))
    if not rules:
        return Referral.objects.none()
    combined = rules[0]
    for q in rules[1:]:
        combined |= q
    # An archived person is gone from every view but the owner's archive list and the admins'.
    return Referral.objects.filter(combined, victim__is_archived=False)


def referral_inbox(user) -> QuerySet[Referral]:
    """Referrals received by the user's agency, newest first."""
    if not has_role(user, Role.CASE_WORKER, Role.PARTNER):
        return Referral.objects.none()
    return Referral.objects.filter(to_agency_id=user.agency_id, victim__is_archived=False).order_by(
        "-created_on", "-created_at"
    )


def referrals_sent(user) -> QuerySet[Referral] | None:
    """Referrals the user's agency (or its children) sent, newest first; None for users who do
    not send referrals (partners, administrators), whose pages have no such list."""
    if not has_role(user, Role.CASE_WORKER):
        return None
    return (
        referrals_visible_to(user)
        .exclude(to_agency_id=user.agency_id)
        .order_by("-created_on", "-created_at")
    )


def referral_side(user, referral: Referral) -> str | None:
    """`sender`, `receiver` or None: which side of the referral the user acts for."""
    if not has_role(user, Role.CASE_WORKER, Role.PARTNER):
        return None
    if user.agency_id == referral.to_agency_id:
        return "receiver"
    sending_side = {referral.from_agency_id, referral.from_agency.parent_id}
    if has_role(user, Role.CASE_WORKER) and user.agency_id in sending_side:
        return "sender"
    return None


def referral_shows_identity(user, referral: Referral) -> bool:
    """Whether the user may see who the victim is through this referral: always for the sending
    side; for the receiver only while accepted or in service and while the person consents to
    sharing their details (before, or once consent is withdrawn: the summary only)."""
    if is_admin(user):
        return True
    side = referral_side(user, referral)
    if side == "sender":
        return True
    return (
        side == "receiver"
        and referral.status in OPEN_FOR_RECEIVER
        and referral.victim.consent_data_sharing is True
    )


def referral_history(user, referral: Referral) -> list:
    """The referral's transitions, oldest first, each with `shown_reason`: the free text of a
    step, or "" when it was written by the other side and the user may not see who the person
    is (a receiver before accept and after the referral ends: the sender's words may name
    them)."""
    shows_identity = referral_shows_identity(user, referral)
    steps = list(referral.transitions.select_related("by_agency"))
    for step in steps:
        own_words = step.by_agency_id is not None and step.by_agency_id == user.agency_id
        step.shown_reason = step.reason if shows_identity or own_words else ""
    return steps


def services_visible_to(user) -> QuerySet[Service]:
    """Services delivered by the user's agency, or given to victims the user sees in full."""
    if is_admin(user):
        return Service.objects.all()
    if not has_role(user, Role.CASE_WORKER, Role.PARTNER):
        return Service.objects.none()
    return Service.objects.filter(
        Q(agency_id=user.agency_id)
        | Q(victim__in=victims_visible_to(user, at_least=VictimAccess.FULL)),
        victim__is_archived=False,
    )


def webhook_endpoints_visible_to(user) -> QuerySet[WebhookEndpoint]:
    if is_admin(user):
        return WebhookEndpoint.objects.all()
    if not has_role(user, Role.PARTNER, Role.CASE_WORKER):
        return WebhookEndpoint.objects.none()
    return WebhookEndpoint.objects.filter(agency_id=user.agency_id)


def referral_summary(referral: Referral) -> dict:
    """The non-identifying summary a receiving agency sees while a referral is pending: sex,
    age band, province, services requested, urgency. Nothing that names or locates the person."""
    victim = referral.victim
    return {
        "sex": victim.sex,
        "age_band": victim.age_band_on(referral.created_on),
        "province": victim.home_province,
        "services_requested": list(referral.services_requested),
        "urgency": referral.urgency,
    }


def webhook_deliveries_visible_to(user) -> QuerySet[WebhookDelivery]:
    """The delivery log of the endpoints the user's agency registered."""
    return WebhookDelivery.objects.filter(endpoint__in=webhook_endpoints_visible_to(user))
