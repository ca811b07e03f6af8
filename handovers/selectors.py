"""Who may see which hand-over (SPEC sections 1 and 7).

The only place this scope rule is written; everything is denied unless a rule grants it. What a
hand-over shows of its person is not decided here: the victim's own selector
(`victims.selectors`) says how much of the person the reader may see.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from ctms.choices import Role
from ctms.scope import has_role, is_admin, owning_agency_ids
from victims.selectors import victims_visible_to

from .choices import HandoverStatus, Side
from .models import Handover


def handovers_visible_to(user) -> QuerySet[Handover]:
    """Case workers: hand-overs sent or received by their agency (or one of its departments).
    Partners: those of their own agency. Police: those their unit sent (rescue placements)."""
    if is_admin(user):
        return Handover.objects.all()
    if has_role(user, Role.CASE_WORKER):
        # owning_agency_q's agencies as ids: each side is read from its index (the list of a
        # provincial department would otherwise scan every hand-over of the country).
        mine = owning_agency_ids(user)
        rule = Q(from_agency_id__in=mine) | Q(to_agency_id__in=mine)
    elif has_role(user, Role.PARTNER):
        rule = Q(from_agency_id=user.agency_id) | Q(to_agency_id=user.agency_id)
    elif has_role(user, Role.POLICE):
        rule = Q(from_agency_id=user.agency_id)
    else:
        return Handover.objects.none()
    return Handover.objects.filter(rule)


def handovers_sent(user) -> QuerySet[Handover]:
    """The hand-overs in the user's sight that are not addressed to its own agency (the second
    part of the list), newest first. The same rows as `handovers_visible_to(user)` less those
    to the user's agency, written as the sides that can hold them, so that PostgreSQL reads
    them from the side indexes instead of walking every hand-over of the country newest first."""
    visible = handovers_visible_to(user)
    if not is_admin(user):
        mine = owning_agency_ids(user) if has_role(user, Role.CASE_WORKER) else {user.agency_id}
        children = mine - {user.agency_id}
        side = Q(from_agency_id__in=mine) | Q(to_agency_id__in=children)
        visible = visible.filter(side).exclude(to_agency_id=user.agency_id)
    return visible.order_by("-created_on", "-created_at")


def handovers_waiting(user) -> QuerySet[Handover]:
    """Pending hand-overs the user's agency has to answer, oldest first (the home page)."""
    if not has_role(user, Role.CASE_WORKER, Role.PARTNER):
        return Handover.objects.none()
    return Handover.objects.filter(
        to_agency_id=user.agency_id, status=HandoverStatus.PENDING
    ).order_by("created_on", "created_at")


def handover_side(user, handover: Handover) -> str | None:
    """`creator`, `answerer` or None: which side of the hand-over the user acts for. Only the
    receiving agency itself answers; the creating agency (or, for a case worker, its parent
    ministry) may withdraw."""
    if not has_role(user, Role.CASE_WORKER, Role.PARTNER, Role.POLICE):
        return None
    if user.agency_id == handover.to_agency_id and not has_role(user, Role.POLICE):
        return Side.ANSWERER
    if user.agency_id == handover.from_agency_id:
        return Side.CREATOR
    if has_role(user, Role.CASE_WORKER) and user.agency_id == handover.from_agency.parent_id:
        return Side.CREATOR
    return None


def handover_summary(handover: Handover) -> dict:
    """The non-identifying summary of the person (sex, age band, province): what the answering
    agency of a transfer sees before it accepts, and all a webhook event carries."""
    victim = handover.victim
    return {
        "sex": victim.sex,
        "age_band": victim.age_band_on(handover.created_on),
        "province": victim.home_province,
    }


def with_person(user, handovers) -> list[tuple[Handover, object | None, dict]]:
    """Each hand-over with the person as the reader may see them (None: the summary only,
    e.g. a transfer offered to the reader's agency and not yet accepted) and the summary. One
    query for the whole list: the access comes from the victim's own selector."""
    handovers = list(handovers)
    ids = {handover.victim_id for handover in handovers}
    shown = set(victims_visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))
    return [
        (
            handover,
            handover.victim if handover.victim_id in shown else None,
            handover_summary(handover),
        )
        for handover in handovers
    ]
