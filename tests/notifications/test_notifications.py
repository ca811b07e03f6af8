"""Notifications: created by the referral services after the commit, emailed by a task in the
recipient's language, never naming the person, each kind of email can be turned off."""

from __future__ import annotations

import pytest
from django.core import mail

from notifications.models import Notification
from notifications.services import email_opt_outs_set
from referrals.services import referral_accept, referral_create
from tests.api_support import client_for
from tests.factories import UserFactory, VictimFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(world, django_capture_on_commit_callbacks):
    """alice (DoSVY-BMC) refers a person to AFESIP; the partner has an email address."""
    world.users.partner.email = "partner@afesip.example.org"
    world.users.partner.preferred_language = "en"
    world.users.partner.save()
    world.users.alice.email = "alice@dosvy.example.org"
    world.users.alice.preferred_language = "km"
    world.users.alice.save()
    victim = VictimFactory(agency=world.agencies.dosvy_bmc, given_name="Sreypov")
    with django_capture_on_commit_callbacks(execute=True):
        referral = referral_create(
            user=world.users.alice,
            victim=victim,
            to_agency=world.agencies.afesip,
            services_requested=["shelter"],
            urgency="urgent",
        )
    return referral


def test_a_new_referral_tells_the_receiving_agency_without_a_name(sent, world):
    notification = Notification.objects.get()

    assert (notification.user, notification.kind) == (world.users.partner, "referral_received")
    assert notification.params == {"agency": "DoSVY-BMC", "urgency": "urgent"}
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["partner@afesip.example.org"]
    assert message.subject == "CTMS: A referral received by my agency"
    assert message.body.startswith("Your agency received a new urgent referral from DoSVY-BMC.")
    assert f"/referrals/{sent.pk}/" in message.body
    assert "Sreypov" not in message.subject + message.body


def test_the_answer_tells_the_sender_in_its_language(
    sent, world, compiled_messages, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        referral_accept(referral_id=sent.pk, user=world.users.partner)

    notification = Notification.objects.get(user=world.users.alice)
    assert notification.kind == "referral_answered"
    assert notification.params == {"agency": "AFESIP", "status": "accepted"}
    assert [message.to for message in mail.outbox] == [["alice@dosvy.example.org"]]
    body = mail.outbox[0].body
    assert "AFESIP" in body
    assert "A referral your agency sent" not in body  # written in Khmer
    assert "Sreypov" not in body


def test_an_opted_out_kind_is_listed_but_not_emailed(world, django_capture_on_commit_callbacks):
    world.users.partner.email = "partner@afesip.example.org"
    world.users.partner.save()
    email_opt_outs_set(user=world.users.partner, kinds=["referral_received"])
    victim = VictimFactory(agency=world.agencies.dosvy_bmc)

    with django_capture_on_commit_callbacks(execute=True):
        referral_create(
            user=world.users.alice,
            victim=victim,
            to_agency=world.agencies.afesip,
            services_requested=["shelter"],
        )

    assert Notification.objects.filter(user=world.users.partner).count() == 1
    assert mail.outbox == []


def test_a_rolled_back_referral_tells_nobody(world):
    victim = VictimFactory(agency=world.agencies.dosvy_bmc, consent_services=False)

    with pytest.raises(Exception):  # noqa: B017 - the service refuses without consent
        referral_create(
            user=world.users.alice,
            victim=victim,
            to_agency=world.agencies.afesip,
            services_requested=["shelter"],
        )

    assert Notification.objects.count() == 0


def test_the_api_lists_only_the_users_own_notifications(sent, world):
    UserFactory(username="colleague", agency=world.agencies.afesip, role="partner")
    response = client_for(world.users.partner).get("/api/v1/notifications/")

    assert response.status_code == 200
    rows = response.json()["results"]
    assert [(row["kind"], row["is_read"]) for row in rows] == [("referral_received", False)]
    assert rows[0]["text"] == "Your agency received a new urgent referral from DoSVY-BMC."
    assert client_for(world.users.alice).get("/api/v1/notifications/").json()["results"] == []

    marked = client_for(world.users.partner).post("/api/v1/notifications/read/", {}, format="json")
    assert marked.status_code == 200
    assert Notification.objects.filter(user=world.users.partner, read_at__isnull=True).count() == 0


def test_the_badge_counts_unread_notifications(sent, world, client):
    client.force_login(world.users.partner)

    response = client.get("/notifications/badge/")

    assert response.status_code == 200
    assert b'data-unread="1"' in response.content
    assert b'hx-trigger="every 30s"' in response.content


def test_email_settings_turn_kinds_off(world, client):
    client.force_login(world.users.partner)

    response = client.post("/notifications/settings/", {"emails": ["referral_received"]})

    assert response.status_code == 302
    from notifications.selectors import email_opt_outs

    assert "referral_received" not in email_opt_outs(world.users.partner)
    assert "task_overdue" in email_opt_outs(world.users.partner)
