"""Victim records are archived by users and purged (deleted for good) only by administrators."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from cases.models import Rescue
from ctms.models import AuditEvent
from referrals.models import Referral, Service
from tests.factories import (
    CaseFactory,
    FollowUpFactory,
    ReferralFactory,
    RepatriationFactory,
    RescueFactory,
    ServiceFactory,
    VictimFactory,
)
from victims.models import FollowUp, Repatriation, Victim
from victims.services import victim_purge

MODELS = (Victim, Referral, Service, FollowUp, Repatriation, Rescue)


@pytest.fixture
def victim(world):
    """A victim with a record of every kind about them, and a second victim left alone."""
    victim = VictimFactory(agency=world.agencies.dosvy_bmc, given_name="Sokha")
    referral = ReferralFactory(victim=victim, to_agency=world.agencies.afesip)
    ServiceFactory(victim=victim, referral=referral, agency=world.agencies.afesip)
    FollowUpFactory(victim=victim, agency=world.agencies.dosvy_bmc)
    RepatriationFactory(victim=victim, receiving_agency=world.agencies.dosvy_bmc)
    RescueFactory(victim=victim, operation__agency=world.agencies.police)
    CaseFactory(agency=world.agencies.dosvy_bmc).victims.add(victim)
    VictimFactory(agency=world.agencies.dosvy_bmc)
    return victim


def snapshot() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def test_an_admin_purges_the_victim_and_every_record_about_them(world, victim):
    deleted = victim_purge(victim=victim, user=world.users.admin, reason="entered twice")
    assert deleted == {
        "services": 1,
        "referrals": 1,
        "follow_ups": 1,
        "repatriations": 1,
        "rescues": 1,
        "case_links": 1,
    }
    assert snapshot() == {
        "Victim": 1,
        "Referral": 0,
        "Service": 0,
        "FollowUp": 0,
        "Repatriation": 0,
        "Rescue": 0,
    }
    event = AuditEvent.objects.get(action="delete")
    assert (event.actor_username, event.object_id) == ("root", str(victim.pk))
    assert event.details["reason"] == "entered twice"
    assert "Sokha" not in str(event.details)


@pytest.mark.parametrize(
    "username", ["alice", "minister", "partner", "officer", "clerk", "analyst", None]
)
def test_everyone_else_is_refused_and_nothing_changes(world, victim, username):
    user = getattr(world.users, username) if username else None
    before = snapshot()
    with pytest.raises(PermissionDenied):
        victim_purge(victim=victim, user=user, reason="please")
    assert snapshot() == before
    assert not AuditEvent.objects.filter(action="delete").exists()


def test_a_purge_needs_a_reason(world, victim):
    before = snapshot()
    with pytest.raises(ValidationError):
        victim_purge(victim=victim, user=world.users.admin, reason="  ")
    assert snapshot() == before


def test_the_command_purges_for_an_admin_and_refuses_others(world, victim):
    before = snapshot()
    with pytest.raises(CommandError, match="Refused"):
        call_command("purge_victim", str(victim.pk), "--reason", "x", "--by", "alice")
    assert snapshot() == before
    out = io.StringIO()
    call_command("purge_victim", str(victim.pk), "--reason", "erasure", "--by", "root", stdout=out)
    assert not Victim.objects.filter(pk=victim.pk).exists()
    assert AuditEvent.objects.get(action="delete").channel == "cli"


def test_the_admin_site_never_deletes_but_offers_the_audited_purge(world, client, victim):
    client.force_login(world.users.admin)
    delete = client.post(reverse("admin:victims_victim_delete", args=[victim.pk]), {"post": "yes"})
    assert delete.status_code == 403
    changelist = reverse("admin:victims_victim_changelist")
    selection = {"action": "purge_selected", "_selected_action": [str(victim.pk)]}
    confirm = client.post(changelist, selection)
    assert confirm.status_code == 200
    assert Victim.objects.filter(pk=victim.pk).exists()
    done = client.post(changelist, {**selection, "reason": "erasure request"})
    assert done.status_code == 302
    assert not Victim.objects.filter(pk=victim.pk).exists()
    assert AuditEvent.objects.get(action="delete").details["reason"] == "erasure request"


def test_the_admin_change_page_audits_the_read(world, client, victim):
    client.force_login(world.users.admin)
    response = client.get(reverse("admin:victims_victim_change", args=[victim.pk]))
    assert response.status_code == 200
    read = AuditEvent.objects.get(action="view")
    assert (read.actor_username, read.object_id, read.channel) == ("root", str(victim.pk), "admin")


def test_users_archive_with_a_reason_and_the_record_stays(world, victim):
    from victims.services import victim_archive

    with pytest.raises(ValidationError):
        victim_archive(user=world.users.alice, victim_id=victim.pk, reason=" ")
    victim_archive(user=world.users.alice, victim_id=victim.pk, reason="duplicate of another")
    archived = Victim.objects.get(pk=victim.pk)
    assert (archived.is_archived, archived.archived_reason) == (True, "duplicate of another")
    # The reason is free text kept on the record, not copied into the trail
    assert AuditEvent.objects.get(action="update").details == {"archived": True}
