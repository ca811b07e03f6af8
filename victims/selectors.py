"""Who may see which victim, and how much of the record (SPEC section 1).

This is the only place the victim scope rule is written: the browser UI, the API and every
export call these functions. Everything is denied unless a rule below grants it.
"""

from __future__ import annotations

import enum

from django.db.models import Q, QuerySet

from agencies.choices import Role
from ctms.scope import has_role, is_admin, owning_agency_q
from referrals.choices import OPEN_FOR_RECEIVER

from .models import FollowUp, Repatriation, Victim


class VictimAccess(enum.IntEnum):
    """How much of a victim record a user may see; a higher level includes the lower ones' need."""

    NONE = 0
    PARTY_NAME = 1  # justice: the name of a victim who is party to their court's prosecution
    POLICE = 2  # police: rescued in their operation; no social, medical or psychosocial notes
    REFERRAL = 3  # receiving partner of an accepted referral: the referral view
    FULL = 4  # case workers of the owning agency (or its parent), administrators


IDENTITY_FIELDS = ("id", "given_name", "family_name", "name_khmer")
REFERRAL_FIELDS = IDENTITY_FIELDS + (
    "sex",
    "date_of_birth",
    "birth_year",
    "primary_language",
    "literate_khmer",
    "contact",
)
POLICE_FIELDS = REFERRAL_FIELDS + (
    "agency",
    "citizenship",
    "home_province",
    "home_district",
    "home_commune",
    "home_village",
    "trafficking_status",
)
FULL_FIELDS = POLICE_FIELDS + (
    "consent_services",
    "consent_data_sharing",
    "consent_legal_proceedings",
    "social_notes",
    "medical_notes",
    "psychosocial_notes",
    "photo",
    "is_archived",
    "archived_reason",
)

FIELDS_BY_ACCESS: dict[VictimAccess, tuple[str, ...]] = {
    VictimAccess.NONE: (),
    VictimAccess.PARTY_NAME: IDENTITY_FIELDS,
    VictimAccess.POLICE: POLICE_FIELDS,
    VictimAccess.REFERRAL: REFERRAL_FIELDS,
    VictimAccess.FULL: FULL_FIELDS,
}


def _access_rules(user) -> list[tuple[VictimAccess, Q]]:
    """The conditions under which `user` sees a victim, highest access first.

    Rules that follow a relation match ids through a subquery, so that OR-ing them never
    repeats a victim (no DISTINCT over a million rows).
    """
    from cases.models import Case, Rescue
    from referrals.models import Referral

    if is_admin(user):
        return [(VictimAccess.FULL, Q())]
    rules: list[tuple[VictimAccess, Q]] = []
    if has_role(user, Role.CASE_WORKER):
        rules.append((VictimAccess.FULL, owning_agency_q(user)))
    if has_role(user, Role.CASE_WORKER, Role.PARTNER):
        received = Referral.objects.filter(
            to_agency_id=user.agency_id, status__in=OPEN_FOR_RECEIVER
        ).values("victim_id")
        rules.append((VictimAccess.REFERRAL, Q(pk__in=received)))
    if has_role(user, Role.POLICE):
        rescued = Rescue.objects.filter(operation__agency_id=user.agency_id).values("victim_id")
        rules.append((VictimAccess.POLICE, Q(pk__in=rescued)))
    if has_role(user, Role.JUSTICE):
        parties = Case.victims.through.objects.filter(
            case__prosecutions__court_id=user.agency_id
        ).values("victim_id")
        rules.append((VictimAccess.PARTY_NAME, Q(pk__in=parties)))
    # Archived records are out of everyone's sight but the administrators'.
    return [(level, q & Q(is_archived=False)) for level, q in rules]


def victims_visible_to(
    user, *, at_least: VictimAccess = VictimAccess.PARTY_NAME
) -> QuerySet[Victim]:
    """Every victim `user` may open with at least the given access, each once."""
    combined = None
    for level, q in _access_rules(user):
        if level >= at_least:
            combined = q if combined is None else combined | q
    return Victim.objects.none() if combined is None else Victim.objects.filter(combined)


def victim_access(user, victim: Victim) -> VictimAccess:
    """The highest access `user` has to this victim (NONE when it must look like a 404)."""
    for level, q in _access_rules(user):
        if Victim.objects.filter(q, pk=victim.pk).exists():
            return level
    return VictimAccess.NONE


def victim_fields(user, victim: Victim) -> tuple[str, ...]:
    """The fields of `victim` that `user` may read."""
    return FIELDS_BY_ACCESS[victim_access(user, victim)]


def repatriations_visible_to(user) -> QuerySet[Repatriation]:
    """Repatriations of victims the user sees in full, or received by the user's agency."""
    if is_admin(user):
        return Repatriation.objects.all()
    if not has_role(user, Role.CASE_WORKER):
        return Repatriation.objects.none()
    return Repatriation.objects.filter(
        Q(victim__in=victims_visible_to(user, at_least=VictimAccess.FULL))
        | Q(receiving_agency_id=user.agency_id)
    )


def follow_ups_visible_to(user) -> QuerySet[FollowUp]:
    """Follow-ups recorded by the user's agency, or of victims the user sees in full."""
    if is_admin(user):
        return FollowUp.objects.all()
    if not has_role(user, Role.CASE_WORKER, Role.PARTNER):
        return FollowUp.objects.none()
    return FollowUp.objects.filter(
        Q(agency_id=user.agency_id)
        | Q(victim__in=victims_visible_to(user, at_least=VictimAccess.FULL))
    )
