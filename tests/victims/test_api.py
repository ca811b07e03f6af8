"""The victims, repatriations and follow-ups API, role by role (SPEC section 1 and 5)."""

from __future__ import annotations

import pytest

from ctms.models import AuditEvent
from tests.api_support import client_for, counts
from tests.factories import (
    CaseFactory,
    OperationFactory,
    ProsecutionFactory,
    ReferralFactory,
    RescueFactory,
    VictimFactory,
)
from victims.models import FollowUp, Repatriation, Victim

NOTES = ("social_notes", "medical_notes", "psychosocial_notes")


@pytest.fixture
def victim(world):
    """A victim of DoSVY Banteay Meanchey, rescued by the BMC police unit, party to a
    prosecution at the BMC court, referred to AFESIP and accepted."""
    victim = VictimFactory(
        agency=world.agencies.dosvy_bmc,
        given_name="Srey",
        family_name="Mom",
        home_province="01",
        social_notes="social",
        medical_notes="medical",
        psychosocial_notes="psychosocial",
        contact="012 345 678",
    )
    RescueFactory(victim=victim, operation=OperationFactory(agency=world.agencies.police))
    case = CaseFactory(agency=world.agencies.dosvy_bmc)
    case.victims.add(victim)
    ProsecutionFactory(court=world.agencies.court, case=case)
    ReferralFactory(victim=victim, to_agency=world.agencies.afesip, status="accepted")
    return victim


@pytest.mark.parametrize(
    ("persona", "access", "shows_notes", "shows_province"),
    [
        ("alice", "full", True, True),
        ("minister", "full", True, True),
        ("admin", "full", True, True),
        ("officer", "police", False, True),
        ("partner", "referral", False, False),
        ("clerk", "party_name", False, False),
    ],
)
def test_given_victim_when_each_role_reads_then_fields_follow_access(
    world, victim, persona, access, shows_notes, shows_province
):
    client = client_for(getattr(world.users, persona))

    response = client.get(f"/api/v1/victims/{victim.pk}/")

    assert response.status_code == 200
    body = response.json()
    assert body["access"] == access
    assert body["given_name"] == "Srey"
    assert all((name in body) is shows_notes for name in NOTES)
    assert ("home_province" in body) is shows_province
    assert (
        AuditEvent.objects.filter(
            action="view", object_type="victim", object_id=str(victim.pk), channel="api"
        ).count()
        == 1
    )


@pytest.mark.parametrize(
    "persona", ["bob", "other_partner", "other_officer", "other_clerk", "analyst"]
)
def test_given_victim_when_unrelated_user_reads_then_404_and_absent_from_list(
    world, victim, persona
):
    client = client_for(getattr(world.users, persona))

    detail = client.get(f"/api/v1/victims/{victim.pk}/")
    listing = client.get("/api/v1/victims/")

    assert detail.status_code == 404
    assert listing.json()["results"] == []
    assert not AuditEvent.objects.filter(action="view", object_type="victim").exists()


def test_given_pending_referral_when_partner_reads_victim_then_404(world):
    victim = VictimFactory(agency=world.agencies.dosvy_bmc)
    ReferralFactory(victim=victim, to_agency=world.agencies.afesip)

    response = client_for(world.users.partner).get(f"/api/v1/victims/{victim.pk}/")

    assert response.status_code == 404


def test_given_filter_on_a_hidden_field_then_it_matches_nothing_the_reader_cannot_see(
    world, victim
):
    partner = client_for(world.users.partner)

    by_province = partner.get("/api/v1/victims/?home_province=01")
    by_sex = partner.get("/api/v1/victims/?sex=female")

    assert by_province.json()["results"] == []
    assert [row["id"] for row in by_sex.json()["results"]] == [str(victim.pk)]


NEW_VICTIM = {
    "given_name": "Dara",
    "family_name": "Sok",
    "sex": "male",
    "birth_year": 2001,
    "citizenship": "KHM",
    "home_province": "01",
    "consent_services": True,
}


@pytest.mark.parametrize("persona", ["alice", "officer"])
def test_given_intake_role_when_creating_victim_then_owned_by_their_agency(world, persona):
    user = getattr(world.users, persona)

    response = client_for(user).post("/api/v1/victims/", NEW_VICTIM, format="json")

    assert response.status_code == 201, response.content
    victim = Victim.objects.get(pk=response.json()["id"])
    assert victim.agency == user.agency
    assert victim.given_name == "Dara"
    # Police see the people rescued in their own operations, not one recorded outside them.
    assert response.json()["access"] == {"alice": "full", "officer": "none"}[persona]


@pytest.mark.parametrize("persona", ["partner", "clerk", "analyst"])
def test_given_other_role_when_creating_victim_then_403_and_nothing_written(world, persona):
    before = counts(Victim, AuditEvent)

    response = client_for(getattr(world.users, persona)).post(
        "/api/v1/victims/", NEW_VICTIM, format="json"
    )

    assert response.status_code == 403
    assert counts(Victim, AuditEvent)[0] == before[0]


def test_given_bad_input_when_creating_victim_then_400_with_a_message_per_field(world):
    response = client_for(world.users.alice).post(
        "/api/v1/victims/",
        {"sex": "x", "citizenship": "Cambodia", "birth_year": "old"},
        format="json",
    )

    assert response.status_code == 400
    assert set(response.json()) >= {"sex", "citizenship", "birth_year"}
    assert Victim.objects.count() == 0


@pytest.mark.parametrize(("persona", "status"), [("alice", 200), ("bob", 404), ("partner", 404)])
def test_given_victim_when_patching_then_only_the_owner_changes_it(world, victim, persona, status):
    response = client_for(getattr(world.users, persona)).patch(
        f"/api/v1/victims/{victim.pk}/", {"family_name": "Changed"}, format="json"
    )

    assert response.status_code == status
    victim.refresh_from_db()
    assert victim.family_name == ("Changed" if status == 200 else "Mom")


def test_given_accepted_referral_when_partner_records_follow_up_then_created(world, victim):
    response = client_for(world.users.partner).post(
        "/api/v1/follow-ups/",
        {"victim": str(victim.pk), "date": "2010-07-01", "kind": "monitoring", "outcome": "ok"},
        format="json",
    )

    assert response.status_code == 201, response.content
    assert FollowUp.objects.get().agency == world.agencies.afesip


@pytest.mark.parametrize("persona", ["other_partner", "bob", "analyst"])
def test_given_unrelated_user_when_recording_follow_up_then_refused_and_nothing_written(
    world, victim, persona
):
    response = client_for(getattr(world.users, persona)).post(
        "/api/v1/follow-ups/",
        {"victim": str(victim.pk), "date": "2010-07-01", "kind": "monitoring"},
        format="json",
    )

    assert response.status_code in (400, 403, 404)
    assert FollowUp.objects.count() == 0


@pytest.mark.parametrize(
    ("persona", "status"), [("alice", 201), ("partner", 400), ("officer", 400)]
)
def test_given_roles_when_recording_repatriation_then_only_case_workers_holding_victim(
    world, victim, persona, status
):
    response = client_for(getattr(world.users, persona)).post(
        "/api/v1/repatriations/",
        {
            "victim": str(victim.pk),
            "kind": "victim",
            "from_country": "THA",
            "received_on": "2010-06-01",
            "receiving_agency": str(world.agencies.dosvy_bmc.pk),
            "assisted_by": [str(world.agencies.afesip.pk)],
        },
        format="json",
    )

    assert response.status_code == status
    assert Repatriation.objects.count() == (1 if status == 201 else 0)


def test_given_repatriation_when_listed_then_case_workers_of_owner_only(world, victim):
    client_for(world.users.alice).post(
        "/api/v1/repatriations/",
        {
            "victim": str(victim.pk),
            "kind": "migrant",
            "from_country": "THA",
            "received_on": "2010-06-01",
            "receiving_agency": str(world.agencies.dosvy_bmc.pk),
        },
        format="json",
    )

    seen = {
        persona: len(
            client_for(getattr(world.users, persona))
            .get("/api/v1/repatriations/")
            .json()["results"]
        )
        for persona in ("alice", "minister", "bob", "partner", "analyst")
    }

    assert seen == {"alice": 1, "minister": 1, "bob": 0, "partner": 0, "analyst": 0}
