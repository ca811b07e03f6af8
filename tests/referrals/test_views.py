"""Referral pages: sending, the partner's inbox with its non-identifying summary, accepting,
declining, services; refused actions change nothing."""

from __future__ import annotations

import pytest

from referrals.models import Referral, Service
from tests.factories import ReferralFactory, VictimFactory


@pytest.fixture
def victim(world):
    return VictimFactory(
        agency=world.agencies.dosvy_bmc,
        given_name="Srey",
        family_name="Mom",
        home_province="01",
        contact="012 999",
    )


@pytest.fixture
def pending(world, victim):
    return ReferralFactory(victim=victim, to_agency=world.agencies.afesip, urgency="urgent")


def test_given_alice_when_she_refers_then_referral_pending_to_partner(world, client, victim):
    client.force_login(world.users.alice)

    response = client.post(
        f"/referrals/new/{victim.pk}/",
        {
            "services_requested": ["shelter", "psychosocial"],
            "to_agency": str(world.agencies.afesip.pk),
            "urgency": "routine",
            "reason": "Needs a safe place",
        },
    )

    referral = Referral.objects.get()
    assert response.status_code == 302
    assert (referral.to_agency, referral.status, referral.services_requested) == (
        world.agencies.afesip,
        "pending",
        ["shelter", "psychosocial"],
    )


def test_given_service_hagar_lacks_when_partners_listed_then_only_afesip(world, client):
    client.force_login(world.users.alice)

    response = client.get("/referrals/partners/", {"services_requested": ["psychosocial"]})

    assert list(response.context["form"].fields["to_agency"].queryset) == [world.agencies.afesip]


def test_given_a_partner_chosen_when_the_ticks_change_then_it_stays_chosen_while_it_offers_them(
    world, client
):
    client.force_login(world.users.alice)
    afesip = str(world.agencies.afesip.pk)

    kept = client.get(
        "/referrals/partners/", {"services_requested": ["shelter"], "to_agency": afesip}
    )
    dropped = client.get(  # Hagar offers no psychosocial support
        "/referrals/partners/",
        {"services_requested": ["psychosocial"], "to_agency": str(world.agencies.hagar.pk)},
    )
    nonsense = client.get(
        "/referrals/partners/", {"services_requested": ["shelter"], "to_agency": "x' OR 1=1"}
    )

    assert f'<option value="{afesip}" selected>' in kept.content.decode()
    assert "selected>" not in dropped.content.decode().replace('value="" selected>', "")
    assert nonsense.status_code == 200
    assert "selected>" not in nonsense.content.decode().replace('value="" selected>', "")


def test_given_no_consent_when_referring_then_error_shown_and_nothing_sent(world, client):
    victim = VictimFactory(agency=world.agencies.dosvy_bmc, consent_data_sharing=None)
    client.force_login(world.users.alice)

    response = client.post(
        f"/referrals/new/{victim.pk}/",
        {
            "services_requested": ["shelter"],
            "to_agency": str(world.agencies.afesip.pk),
            "urgency": "routine",
            "reason": "typed text",
        },
    )

    assert response.status_code == 200
    assert Referral.objects.count() == 0
    assert response.context["form"].non_field_errors() == [
        "The victim has not consented to sharing their data with a partner agency."
    ]
    assert "typed text" in response.content.decode()


def test_given_pending_when_partner_opens_then_summary_without_name(world, client, pending):
    client.force_login(world.users.partner)

    inbox = client.get("/referrals/").content.decode()
    detail = client.get(f"/referrals/{pending.pk}/").content.decode()

    for page in (inbox, detail):
        assert "Srey" not in page
        assert "012 999" not in page
        assert "Banteay Meanchey" in page
    assert "Urgent" in detail


def test_given_pending_when_partner_accepts_then_referral_view_with_name(world, client, pending):
    client.force_login(world.users.partner)

    response = client.post(f"/referrals/{pending.pk}/accept/", follow=True)

    pending.refresh_from_db()
    assert pending.status == "accepted"
    assert "Srey" in response.content.decode()
    assert "012 999" in response.content.decode()


def test_given_pending_when_partner_declines_without_reason_then_error_and_still_pending(
    world, client, pending
):
    client.force_login(world.users.partner)

    response = client.post(f"/referrals/{pending.pk}/decline/", {"reason": "  "})

    pending.refresh_from_db()
    assert response.status_code == 400
    assert pending.status == "pending"
    assert response.context["decline_form"].errors["reason"] == ["This field is required."]


def test_given_pending_when_partner_declines_with_reason_then_declined(world, client, pending):
    client.force_login(world.users.partner)

    client.post(f"/referrals/{pending.pk}/decline/", {"reason": "Shelter is full"})

    pending.refresh_from_db()
    assert (pending.status, pending.decline_reason) == ("declined", "Shelter is full")


def test_given_declined_when_accepted_again_then_409_and_unchanged(world, client, pending):
    Referral.objects.filter(pk=pending.pk).update(status="declined")
    client.force_login(world.users.partner)

    response = client.post(f"/referrals/{pending.pk}/accept/")

    pending.refresh_from_db()
    assert response.status_code == 409
    assert pending.status == "declined"


@pytest.mark.parametrize(
    ("persona", "status"),
    [("alice", 403), ("other_partner", 404), ("bob", 404), ("officer", 403)],
)
def test_given_pending_when_others_try_to_accept_then_refused_and_unchanged(
    world, client, pending, persona, status
):
    client.force_login(getattr(world.users, persona))

    response = client.post(f"/referrals/{pending.pk}/accept/")

    pending.refresh_from_db()
    assert response.status_code == status
    assert pending.status == "pending"


def test_given_accepted_when_partner_records_service_then_saved(world, client, pending):
    Referral.objects.filter(pk=pending.pk).update(status="accepted")
    client.force_login(world.users.partner)

    response = client.post(
        f"/referrals/{pending.pk}/services/", {"service": "shelter", "date": "2024-03-01"}
    )

    assert response.status_code == 302
    assert Service.objects.get().agency == world.agencies.afesip


def test_given_pending_when_partner_records_service_then_refused(world, client, pending):
    client.force_login(world.users.partner)

    response = client.post(
        f"/referrals/{pending.pk}/services/", {"service": "shelter", "date": "2024-03-01"}
    )

    assert response.status_code == 403
    assert Service.objects.count() == 0


def test_given_referral_when_partner_reads_it_then_victim_read_audited_only_once_accepted(
    world, client, pending
):
    from ctms.models import AuditEvent

    client.force_login(world.users.partner)

    client.get(f"/referrals/{pending.pk}/")
    before_accepting = AuditEvent.objects.filter(action="view", object_type="victim").count()
    Referral.objects.filter(pk=pending.pk).update(status="accepted")
    client.get(f"/referrals/{pending.pk}/")

    events = AuditEvent.objects.filter(action="view", object_type="victim")
    assert before_accepting == 0
    assert [(e.actor_username, e.object_id) for e in events] == [
        ("partner", str(pending.victim_id))
    ]


def test_given_accepted_when_partner_starts_then_completes_then_history_has_each_step(
    world, client, pending
):
    client.force_login(world.users.partner)

    for step in ("accept", "start", "complete"):
        assert client.post(f"/referrals/{pending.pk}/{step}/").status_code == 302

    pending.refresh_from_db()
    history = list(pending.transitions.values_list("to_status", flat=True))
    assert pending.status == "completed"
    assert history == ["accepted", "in_service", "completed"]


def test_given_pending_when_alice_withdraws_then_withdrawn_and_partner_never_sees_name(
    world, client, pending
):
    client.force_login(world.users.alice)

    client.post(f"/referrals/{pending.pk}/withdraw/")

    pending.refresh_from_db()
    assert pending.status == "withdrawn"
    client.force_login(world.users.partner)
    assert "Srey" not in client.get(f"/referrals/{pending.pk}/").content.decode()


def test_given_unknown_step_when_posted_then_400_with_message_and_unchanged(world, client, pending):
    client.force_login(world.users.partner)

    response = client.post(f"/referrals/{pending.pk}/teleport/")

    pending.refresh_from_db()
    assert response.status_code == 400
    assert "Unknown transition." in response.content.decode()
    assert pending.status == "pending"
