"""The referral workflow table (referrals.workflow) against SPEC section 3, and every reader of
it agreeing: the service, `allowed_transitions`, the referral page's buttons, the model."""

from __future__ import annotations

import pytest

from ctms.choices import ReferralStatus
from ctms.errors import PermissionDenied, TransitionNotAllowed
from referrals.choices import Transition
from referrals.models import Referral
from referrals.policies import allowed_transitions
from referrals.services import referral_transition
from referrals.workflow import WorkflowError, walk
from tests.factories import ReferralFactory, VictimFactory

# SPEC section 3, written out by hand: (status, action) -> (next status, side).
SPEC = {
    ("pending", "accept"): ("accepted", "receiver"),
    ("pending", "decline"): ("declined", "receiver"),
    ("pending", "withdraw"): ("withdrawn", "sender"),
    ("accepted", "start"): ("in_service", "receiver"),
    ("accepted", "close"): ("closed", "receiver"),
    ("in_service", "complete"): ("completed", "receiver"),
    ("in_service", "close"): ("closed", "receiver"),
}
SIDES = {"receiver": "partner", "sender": "alice"}


@pytest.fixture
def referral_in(world):
    def make(status: str) -> Referral:
        victim = VictimFactory(agency=world.agencies.dosvy_bmc)
        return ReferralFactory(victim=victim, to_agency=world.agencies.afesip, status=status)

    return make


@pytest.mark.parametrize("status", ReferralStatus.values)
@pytest.mark.parametrize("side", ["receiver", "sender"])
def test_allowed_transitions_are_the_specs(world, referral_in, status, side):
    referral = referral_in(status)
    user = getattr(world.users, SIDES[side])
    expected = [
        action for (source, action), (_to, who) in SPEC.items() if source == status and who == side
    ]
    assert sorted(allowed_transitions(user, referral)) == sorted(expected)
    assert sorted(allowed_transitions(world.users.admin, referral)) == []
    assert sorted(allowed_transitions(world.users.other_partner, referral)) == []


@pytest.mark.parametrize("status", ReferralStatus.values)
@pytest.mark.parametrize("action", Transition.values)
@pytest.mark.parametrize("side", ["receiver", "sender"])
def test_the_service_follows_the_table(world, referral_in, status, action, side):
    referral = referral_in(status)
    user = getattr(world.users, SIDES[side])
    takes_it = {who for (_source, name), (_to, who) in SPEC.items() if name == action}
    call = dict(referral_id=referral.pk, user=user, transition=action, reason="No bed free.")
    if side not in takes_it:
        with pytest.raises(PermissionDenied):
            referral_transition(**call)
    elif (status, action) not in SPEC:
        with pytest.raises(TransitionNotAllowed):
            referral_transition(**call)
        assert referral.can_transition(action) is False
    else:
        assert referral.can_transition(action) is True
        assert referral_transition(**call).status == SPEC[(status, action)][0]
        return
    referral.refresh_from_db()
    assert referral.status == status
    assert referral.transitions.count() == 0


@pytest.mark.parametrize("status", ["pending", "accepted", "in_service", "completed"])
def test_the_page_shows_a_button_for_each_allowed_action_only(world, client, referral_in, status):
    referral = referral_in(status)
    client.force_login(world.users.partner)
    page = client.get(f"/referrals/{referral.pk}/").content.decode()
    for action in Transition.values:
        shown = f"/referrals/{referral.pk}/{action}/" in page
        assert shown is ((status, action) in SPEC and SPEC[(status, action)][1] == "receiver")


def test_walk_names_the_first_step_that_is_not_allowed():
    assert walk(["accept", "start", "complete"]) == ["accepted", "in_service", "completed"]
    with pytest.raises(WorkflowError) as error:
        walk(["accept", "withdraw"])
    assert (error.value.index, str(error.value)) == (
        1,
        "cannot withdraw a referral that is accepted",
    )
    with pytest.raises(WorkflowError) as error:
        walk(["approve"])
    assert str(error.value) == "unknown transition 'approve'"
