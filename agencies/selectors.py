"""Reads of agencies and users."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Agency


def agencies_visible_to(user) -> QuerySet[Agency]:
    """The agency directory holds no personal data: every signed-in user sees it."""
    if getattr(user, "is_authenticated", False) and user.is_active:
        return Agency.objects.all()
    return Agency.objects.none()


def referral_partners(service: str | None = None) -> list[Agency]:
    """Agencies that accept referrals, optionally only those offering `service`."""
    partners = Agency.objects.filter(accepts_referrals=True).order_by("acronym")
    return [agency for agency in partners if service is None or agency.offers(service)]


def referral_partners_offering(services: list[str]) -> list[Agency]:
    """Agencies that accept referrals and offer every one of `services`."""
    return [
        agency
        for agency in referral_partners()
        if all(agency.offers(service) for service in services)
    ]


def agency_named(name: str) -> Agency | None:
    """The agency an external system means by `name` (SPEC section 11): its acronym, else its
    `oscar_short_name` alias, either in any case."""
    name = (name or "").strip()
    if not name:
        return None
    return (
        Agency.objects.filter(acronym__iexact=name).first()
        or Agency.objects.filter(oscar_short_name__iexact=name).first()
    )
