"""The referral workflow (SPEC section 3)."""

from __future__ import annotations

import pytest

from ctms.errors import NotFound, PermissionDenied, TransitionNotAllowed, ValidationError
from ctms.models import AuditEvent
from referrals.models import Referral, ReferralTransition
from referrals.services import referral_create, referral_transition
from tests.factories import ReferralFactory, VictimFactory


@pytest.fixture
def victim(world):
    return VictimFactory(agency=world.agencies.dosvy_bmc)


def test_given_consent_when_case_worker_refers_then_pending_referral_is_audited(world, victim):
    referral = referral_create(
        user=world.users.alice,
        victim=victim,
        to_agency=world.agencies.afesip,
        services_requested=["shelter"],
    )
    assert referral.status == "pending"
    assert referral.from_agency == world.agencies.dosvy_bmc
    assert AuditEvent.objects.filter(action="create", object_id=str(referral.pk)).count() == 1


@pytest.mark.parametrize("missing", ["consent_services", "consent_data_sharing"])
def test_given_missing_consent_when_referring_then_refused_and_nothing_written(
    world, victim, missing
):
    setattr(victim, missing, None)
    victim.save()
    with pytest.raises(ValidationError) as error:
        referral_create(
            user=world.users.alice,
            victim=victim,
            to_agency=world.agencies.afesip,
            services_requested=["shelter"],
        )
    assert "victim" in error.value.message_dict
    assert Referral.objects.count() == 0


def test_given_other_departments_victim_when_referring_then_not_found(world, victim):
    with pytest.raises(NotFound):
        referral_create(
            user=world.users.bob,
            victim=victim,
            to_agency=world.agencies.afesip,
            services_requested=["shelter"],
        )
    assert Referral.objects.count() == 0


def test_full_path_records_who_when_why(world, victim):
    referral = ReferralFactory(victim=victim, to_agency=world.agencies.afesip)
    for action in ("accept", "start", "complete"):
        referral_transition(referral_id=referral.pk, user=world.users.partner, transition=action)
    referral.refresh_from_db()
    assert referral.status == "completed"
    steps = list(
        ReferralTransition.objects.filter(referral=referral).values_list(
            "from_status", "to_status", "by__username"
        )
    )
    assert steps == [
        ("pending", "accepted", "partner"),
        ("accepted", "in_service", "partner"),
        ("in_service", "completed", "partner"),
    ]


def test_given_pending_when_receiver_declines_then_reason_kept(world, victim):
    referral = ReferralFactory(victim=victim, to_agency=world.agencies.afesip)
    referral_transition(
        referral_id=referral.pk,
        user=world.users.partner,
        transition="decline",
        reason="No space in the shelter",
    )
    referral.refresh_from_db()
    assert (referral.status, referral.decline_reason) == ("declined", "No space in the shelter")


def test_given_decline_without_reason_then_refused(world, victim):
    referral = ReferralFactory(victim=victim, to_agency=world.agencies.afesip)
    with pytest.raises(ValidationError):
        referral_transition(
            referral_id=referral.pk, user=world.users.partner, transition="decline", reason=" "
        )
    referral.refresh_from_db()
    assert referral.status == "pending"


@pytest.mark.parametrize(
    ("status", "transition"),
    [
        ("accepted", "accept"),
        ("declined", "accept"),
        ("pending", "start"),
        ("pending", "complete"),
        ("completed", "close"),
        ("accepted", "withdraw"),
    ],
)
def test_given_status_when_transition_not_allowed_then_conflict_and_no_change(
    world, victim, status, transition
):
    referral = ReferralFactory(victim=victim, to_agency=world.agencies.afesip, status=status)
    user = world.users.alice if transition == "withdraw" else world.users.partner
    with pytest.raises(TransitionNotAllowed) as error:
        referral_transition(referral_id=referral.pk, user=user, transition=transition)
    assert error.value.current_status == status
    referral.refresh_from_db()
    assert referral.status == status
    assert ReferralTransition.objects.count() == 0


@pytest.mark.parametrize(
    ("persona", "transition", "error"),
    [
        ("alice", "accept", PermissionDenied),  # sender cannot accept
        ("partner", "withdraw", PermissionDenied),  # receiver cannot withdraw
        ("other_partner", "accept", NotFound),  # unrelated partner: not found
        ("bob", "withdraw", NotFound),  # sibling department: not found
        ("officer", "accept", NotFound),
        ("analyst", "accept", NotFound),
    ],
)
def test_given_wrong_side_when_acting_then_refused_and_no_change(
    world, victim, persona, transition, error
):
    referral = ReferralFactory(victim=victim, to_agency=world.agencies.afesip)
    with pytest.raises(error):
        referral_transition(
            referral_id=referral.pk, user=getattr(world.users, persona), transition=transition
        )
    referral.refresh_from_db()
    assert referral.status == "pending"
    assert ReferralTransition.objects.count() == 0


def test_given_pending_when_sender_or_parent_withdraws_then_withdrawn(world, victim):
    referral = ReferralFactory(victim=victim, to_agency=world.agencies.afesip)
    referral_transition(referral_id=referral.pk, user=world.users.minister, transition="withdraw")
    referral.refresh_from_db()
    assert referral.status == "withdrawn"
