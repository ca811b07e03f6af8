"""What a user may do with referrals, services and webhooks (SPEC sections 1 and 3).

One function per action; the workflow itself (which action leads where, and which side takes
it) is the table in `referrals.workflow`. Who may see a referral is `referrals.selectors`.
"""

from __future__ import annotations

from ctms.choices import OPEN_FOR_RECEIVER, Role
from ctms.policies import policy
from ctms.scope import acts_as, has_role
from victims.models import Victim
from victims.selectors import VictimAccess, victims_visible_to

from .models import Referral
from .selectors import referral_side
from .workflow import SIDE, WORKFLOW


@policy
def can_browse_referrals(user) -> bool:
    """The referral list and pages: the sending case workers and the receiving agencies."""
    return acts_as(user, Role.CASE_WORKER, Role.PARTNER)


@policy
def can_send_referral(user, victim: Victim | None = None) -> bool:
    """Refer a person to a partner: case workers who hold the person in full. (Consent is a
    rule of the referral itself: see `Referral.clean`.)"""
    if not acts_as(user, Role.CASE_WORKER):
        return False
    return (
        victim is None
        or victims_visible_to(user, at_least=VictimAccess.FULL).filter(pk=victim.pk).exists()
    )


@policy
def can_take_transition(user, referral: Referral, transition: str) -> bool:
    """Whether the user acts for the side of the referral that takes `transition` at all
    (only the receiver accepts, declines, starts, completes and closes; only the sender
    withdraws), whatever the current status."""
    side = referral_side(user, referral)
    return side is not None and SIDE.get(transition) == side


@policy
def allowed_transitions(user, referral: Referral) -> list[str]:
    """The actions the user may take on the referral now: their side's, from its status."""
    side = referral_side(user, referral)
    return [
        action for action, step in WORKFLOW.get(referral.status, {}).items() if step.side == side
    ]


@policy
def can_record_service(user, referral: Referral | None = None) -> bool:
    """Services under a referral: the receiving agency, while it is accepted or in service."""
    if referral is None:
        return acts_as(user, Role.CASE_WORKER, Role.PARTNER)
    return referral_side(user, referral) == "receiver" and referral.status in OPEN_FOR_RECEIVER


@policy
def can_manage_webhooks(user) -> bool:
    """Webhook endpoints: agencies that send or receive referrals (not administrators: an
    endpoint belongs to an agency)."""
    return has_role(user, Role.PARTNER, Role.CASE_WORKER)
