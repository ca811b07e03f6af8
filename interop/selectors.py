"""What an external system may read (the referrals shared with it, as OSCaR clients), and
which systems and exchanges an administrator sees."""

from __future__ import annotations

import datetime as dt

from django.db.models import Max, Q, QuerySet

from ctms.choices import ReferralStatus
from referrals.models import Referral

from . import wire
from .models import Exchange, ExternalClient, ExternalSystem
from .oscar_services import oscar_service
from .policies import can_manage_external_systems


def referrals_shared_with(system: ExternalSystem) -> QuerySet[Referral]:
    """Referrals sent to the system's agency, and those the system itself sent."""
    return Referral.objects.filter(
        Q(to_agency=system.agency) | Q(from_agency=system.agency, external__system=system)
    ).select_related("victim", "from_agency", "to_agency", "created_by")


def clients_for(
    system: ExternalSystem, *, since: dt.datetime | None, until: dt.datetime | None
) -> list[tuple[Referral, dict]]:
    referrals = referrals_shared_with(system)
    if since:
        referrals = referrals.filter(updated_at__gte=since)
    if until:
        referrals = referrals.filter(updated_at__lt=until)
    referrals = list(referrals.order_by("-updated_at"))
    links = {
        link.victim_id: link
        for link in ExternalClient.objects.filter(
            system=system, victim_id__in=[r.victim_id for r in referrals]
        )
    }
    return [(r, client_of(r, links.get(r.victim_id))) for r in referrals]


def _oscar_name(agency) -> str:
    """The name OSCaR knows the agency by: its alias if it has one, else its acronym."""
    return agency.oscar_short_name or agency.acronym.lower()


def client_of(referral: Referral, link: ExternalClient | None) -> dict:
    """One referral as OSCaR's client. While a referral to the system is pending it sees the
    summary only (SPEC section 1): names and ids are empty strings until it accepts."""
    victim = referral.victim
    inbound = getattr(getattr(referral, "external", None), "direction", "") == "inbound"
    shows = inbound or referral.status != ReferralStatus.PENDING
    status = wire.STATUS_OUT[referral.status]
    sender = referral.created_by
    return {
        "global_id": link.global_id if link and link.global_id else wire.global_id_for(victim.pk),
        "external_id": link.external_id if link else "",
        "external_id_display": link.external_id_display if link else "",
        "mosvy_number": "",
        "given_name": victim.given_name if shows else "",
        "family_name": victim.family_name if shows else "",
        "local_given_name": victim.name_khmer if shows else "",
        "local_family_name": "",
        "gender": victim.sex if victim.sex in ("male", "female") else "other",
        "date_of_birth": wire.date_out(victim.date_of_birth) if shows else "",
        "location_current_village_code": victim.home_village if shows else "",
        "address_current_village_code": victim.home_village if shows else "",
        "reason_for_referral": referral.reason if shows else "",
        "level_of_risk": "high" if referral.urgency == "urgent" else "medium",
        "is_referred": True,
        "referral_status": status,
        "organization_id": _oscar_name(referral.to_agency),
        "organization_name": _oscar_name(referral.to_agency),
        "external_case_worker_name": sender.get_full_name() if sender and shows else "",
        "external_case_worker_id": str(sender.pk) if sender and shows else "",
        "external_case_worker_mobile": "",
        "external_case_worker_email": "",
        "services": [
            {
                **oscar_service(code),
                "referral_id": str(referral.pk),
                "referral_status": status,
                "enrollment_date": wire.date_out(referral.created_on),
            }
            for code in referral.services_requested
        ],
    }


def external_systems_visible_to(user) -> QuerySet[ExternalSystem]:
    """The registered systems, for those who manage them (administrators); nobody else."""
    if not can_manage_external_systems(user):
        return ExternalSystem.objects.none()
    return ExternalSystem.objects.select_related("agency").annotate(
        last_exchange_at=Max("exchanges__at")
    )


def last_exchanges(system: ExternalSystem, limit: int = 50) -> list[Exchange]:
    """The system's most recent exchanges, either way, newest first."""
    return list(system.exchanges.order_by("-at", "-id")[:limit])
