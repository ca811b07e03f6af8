"""What a user may do with hand-overs (SPEC section 7). One function per action; services
enforce them, views, serializers and templates ask them. Who may SEE a hand-over is
`handovers.selectors`; how much of the person, `victims.selectors`."""

from __future__ import annotations

from ctms.choices import Role
from ctms.policies import policy
from ctms.scope import acts_as, has_role

from .models import Handover
from .selectors import handover_side
from .workflow import WORKFLOW


@policy
def can_browse_handovers(user) -> bool:
    """The hand-over pages: the agencies that send or answer them (police send placements)."""
    return acts_as(user, Role.CASE_WORKER, Role.PARTNER, Role.POLICE)


@policy
def allowed_transitions(user, handover: Handover) -> list[str]:
    """The transitions `user` may take on `handover` now: the answering agency accepts or
    declines, the creating side withdraws, and only while the hand-over is pending."""
    side = handover_side(user, handover)
    steps = WORKFLOW.get(handover.status, {})
    return [action for action, step in steps.items() if step.side == side]


def owns_victim(user, victim) -> bool:
    """The user's agency holds the person's record: case workers of the owning agency or its
    parent, partner staff of the owning agency."""
    if victim is None or victim.is_archived:
        return False
    if has_role(user, Role.CASE_WORKER):
        return user.agency_id in (victim.agency_id, victim.agency.parent_id)
    return has_role(user, Role.PARTNER) and user.agency_id == victim.agency_id


@policy
def can_transfer(user, victim=None) -> bool:
    """Offer a person (and their case) to another agency: the owning agency's staff."""
    if not has_role(user, Role.CASE_WORKER, Role.PARTNER):
        return False
    return victim is None or owns_victim(user, victim)


@policy
def can_request_access(user, victim=None) -> bool:
    """Ask the owning agency for a person's record: case workers and partner staff of another
    agency."""
    if not has_role(user, Role.CASE_WORKER, Role.PARTNER):
        return False
    return victim is None or (not victim.is_archived and not owns_victim(user, victim))


@policy
def can_transfer_case(user, case) -> bool:
    """A case moves with its person when the user's agency owns it too."""
    if not has_role(user, Role.CASE_WORKER, Role.PARTNER):
        return False
    return user.agency_id in (case.agency_id, case.agency.parent_id)
