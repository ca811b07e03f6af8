"""Item 3 of issue 12: an archived person is gone from every view of every role (referrals,
prosecutions' parties, services, follow-ups, case links), except the owning agency's archive
list and the administrators; users archive with a reason in the browser and the API."""

from __future__ import annotations

import pytest
from django.test import Client

from ctms.models import AuditEvent
from referrals.models import Service
from referrals.services import referral_create, referral_transition
from tests.api_support import client_for
from tests.factories import CaseFactory, FollowUpFactory, ProsecutionFactory, VictimFactory
from victims.models import Victim


@pytest.fixture
def archived_world(world):
    """Srey is referred to AFESIP (accepted), party to a case prosecuted at BMC-Court, has a
    follow-up by AFESIP; then alice archives her."""
    victim = VictimFactory(agency=world.agencies.dosvy_bmc, given_name="Srey", family_name="Mom")
    referral = referral_create(
        user=world.users.alice,
        victim=victim,
        to_agency=world.agencies.afesip,
        services_requested=["shelter"],
    )
    referral_transition(referral_id=referral.pk, user=world.users.partner, transition="accept")
    case = CaseFactory(agency=world.agencies.dosvy_bmc)
    case.victims.add(victim)
    prosecution = ProsecutionFactory(court=world.agencies.court, case=case)
    FollowUpFactory(victim=victim, agency=world.agencies.afesip)
    response = client_for(world.users.alice).post(
        f"/api/v1/victims/{victim.pk}/archive/", {"reason": "Duplicate record"}, format="json"
    )
    assert response.status_code == 200
    assert response.json() == {"id": str(victim.pk), "is_archived": True}
    return victim, referral, case, prosecution


def test_the_api_archive_needs_a_reason_and_changes_nothing_without_one(world):
    victim = VictimFactory(agency=world.agencies.dosvy_bmc)
    response = client_for(world.users.alice).post(
        f"/api/v1/victims/{victim.pk}/archive/", {}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["reason"]
    assert Victim.objects.get(pk=victim.pk).is_archived is False


@pytest.mark.parametrize("username", ["bob", "partner", "officer", "clerk", "analyst"])
def test_only_the_owner_archives(world, username):
    victim = VictimFactory(agency=world.agencies.dosvy_bmc)
    response = client_for(getattr(world.users, username)).post(
        f"/api/v1/victims/{victim.pk}/archive/", {"reason": "x"}, format="json"
    )
    assert response.status_code == 404
    assert Victim.objects.get(pk=victim.pk).is_archived is False


def test_the_partner_no_longer_sees_the_referral_nor_records_services(world, archived_world):
    victim, referral, _case, _prosecution = archived_world
    api = client_for(world.users.partner)

    assert api.get(f"/api/v1/referrals/{referral.pk}/").status_code == 404
    assert api.get("/api/v1/referrals/").json()["results"] == []
    assert api.get("/api/v1/follow-ups/").json()["results"] == []
    refused = api.post(
        "/api/v1/services/",
        {"referral": str(referral.pk), "date": "2024-01-02", "service": "shelter"},
        format="json",
    )
    assert refused.status_code == 400
    assert Service.objects.count() == 0

    client = world_client(world.users.partner)
    assert client.get(f"/referrals/{referral.pk}/").status_code == 404
    assert "Srey" not in client.get("/referrals/").content.decode()
    assert client.post(f"/referrals/{referral.pk}/services/", {}).status_code == 404


def test_the_owner_sees_the_person_only_in_the_archive_list(world, archived_world):
    victim, referral, case, _prosecution = archived_world
    client = world_client(world.users.alice)

    assert client.get(f"/victims/{victim.pk}/").status_code == 404
    assert client.get(f"/referrals/{referral.pk}/").status_code == 404
    assert "Srey" not in client.get("/referrals/").content.decode()
    assert "Srey" not in client.get(f"/cases/{case.pk}/").content.decode()
    archive = client.get("/victims/archive/")
    assert archive.status_code == 200
    assert "Srey" in archive.content.decode() and "Duplicate record" in archive.content.decode()
    assert AuditEvent.objects.filter(
        action="view", object_id=str(victim.pk), actor_username="alice", channel="web"
    ).exists()
    # another department's case worker has an empty archive
    assert "Srey" not in world_client(world.users.bob).get("/victims/archive/").content.decode()


def test_the_court_no_longer_sees_the_archived_party(world, archived_world):
    _victim, _referral, _case, prosecution = archived_world
    shown = client_for(world.users.clerk).get(f"/api/v1/prosecutions/{prosecution.pk}/").json()
    assert shown["victim_parties"] == []
    page = world_client(world.users.clerk).get(f"/prosecutions/{prosecution.pk}/")
    assert "Srey" not in page.content.decode()


def test_administrators_still_see_everything(world, archived_world):
    victim, referral, _case, prosecution = archived_world
    api = client_for(world.users.admin)
    assert api.get(f"/api/v1/referrals/{referral.pk}/").status_code == 200
    parties = api.get(f"/api/v1/prosecutions/{prosecution.pk}/").json()["victim_parties"]
    assert [party["id"] for party in parties] == [str(victim.pk)]
    assert "Srey" in world_client(world.users.admin).get("/victims/archive/").content.decode()


def test_archiving_in_the_browser(world, client):
    victim = VictimFactory(agency=world.agencies.dosvy_bmc, given_name="Dara")
    client.force_login(world.users.alice)

    empty = client.post(f"/victims/{victim.pk}/archive/", {"reason": ""})
    assert empty.status_code == 200 and empty.context["form"].errors
    assert Victim.objects.get(pk=victim.pk).is_archived is False

    done = client.post(f"/victims/{victim.pk}/archive/", {"reason": "Moved abroad"})
    assert (done.status_code, done.url) == (302, "/victims/archive/")
    assert Victim.objects.filter(pk=victim.pk).values_list(
        "is_archived", "archived_reason"
    ).get() == (
        True,
        "Moved abroad",
    )
    assert client.get(f"/victims/{victim.pk}/").status_code == 404


def world_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client
