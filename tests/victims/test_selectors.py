"""Victim visibility, role by role (SPEC section 1)."""

from __future__ import annotations

import pytest

from cases.models import Case
from tests.factories import (
    CaseFactory,
    OperationFactory,
    ProsecutionFactory,
    ReferralFactory,
    RescueFactory,
    VictimFactory,
)
from victims.selectors import VictimAccess, victim_access, victims_visible_to


@pytest.fixture
def victim(world):
    """A victim held by DoSVY Banteay Meanchey."""
    return VictimFactory(agency=world.agencies.dosvy_bmc, given_name="Srey", social_notes="x")


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("alice", VictimAccess.FULL),  # owning agency
        ("minister", VictimAccess.FULL),  # parent of the owning agency
        ("bob", VictimAccess.NONE),  # sibling department
        ("partner", VictimAccess.NONE),  # no referral
        ("officer", VictimAccess.NONE),  # not rescued by their unit
        ("clerk", VictimAccess.NONE),  # no prosecution
        ("analyst", VictimAccess.NONE),  # secretariat never sees a victim
        ("admin", VictimAccess.FULL),
    ],
)
def test_given_owned_victim_when_each_role_asks_then_access_follows_ownership(
    world, victim, persona, expected
):
    user = getattr(world.users, persona)
    assert victim_access(user, victim) == expected
    assert victims_visible_to(user).filter(pk=victim.pk).exists() == (expected > 0)


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("pending", VictimAccess.NONE),
        ("accepted", VictimAccess.REFERRAL),
        ("in_service", VictimAccess.REFERRAL),
        ("completed", VictimAccess.NONE),
        ("declined", VictimAccess.NONE),
        ("withdrawn", VictimAccess.NONE),
        ("closed", VictimAccess.NONE),
    ],
)
def test_given_referral_when_partner_asks_then_referral_view_only_while_open(
    world, victim, status, expected
):
    ReferralFactory(victim=victim, to_agency=world.agencies.afesip, status=status)
    assert victim_access(world.users.partner, victim) == expected
    assert victim_access(world.users.other_partner, victim) == VictimAccess.NONE


def test_given_rescue_when_police_ask_then_own_unit_sees_without_notes(world, victim):
    RescueFactory(victim=victim, operation=OperationFactory(agency=world.agencies.police))
    assert victim_access(world.users.officer, victim) == VictimAccess.POLICE
    assert victim_access(world.users.other_officer, victim) == VictimAccess.NONE
    from victims.selectors import FIELDS_BY_ACCESS

    assert "social_notes" not in FIELDS_BY_ACCESS[VictimAccess.POLICE]
    assert "medical_notes" not in FIELDS_BY_ACCESS[VictimAccess.POLICE]


def test_given_prosecution_when_court_asks_then_own_court_sees_party_name(world, victim):
    case = CaseFactory(agency=world.agencies.dosvy_bmc)
    case.victims.add(victim)
    ProsecutionFactory(court=world.agencies.court, case=case)
    assert victim_access(world.users.clerk, victim) == VictimAccess.PARTY_NAME
    assert victim_access(world.users.other_clerk, victim) == VictimAccess.NONE


def test_given_several_routes_when_listing_then_each_victim_once(world, victim):
    ReferralFactory(victim=victim, to_agency=world.agencies.afesip, status="accepted")
    ReferralFactory(victim=victim, to_agency=world.agencies.afesip, status="in_service")
    world.users.partner.role = "case_worker"  # a DoSVY-like receiver that also owns nothing here
    assert list(victims_visible_to(world.users.partner)) == [victim]
    assert Case.objects.count() == 0


def test_given_archived_victim_when_owner_asks_then_hidden_but_admin_sees(world, victim):
    victim.is_archived = True
    victim.save()
    assert victim_access(world.users.alice, victim) == VictimAccess.NONE
    assert victim_access(world.users.admin, victim) == VictimAccess.FULL


def test_given_inactive_user_when_asking_then_nothing(world, victim):
    world.users.alice.is_active = False
    assert victims_visible_to(world.users.alice).count() == 0
