"""The referrals API: the partner's inbox, the workflow's transitions, services delivered,
idempotent retries and the race of many accepts on one referral."""

from __future__ import annotations

import pytest
from django.db import connection

from ctms.models import AuditEvent
from referrals.models import Referral, ReferralTransition, Service
from tests.api_support import client_for, counts, post_at_once
from tests.factories import ReferralFactory, VictimFactory


@pytest.fixture
def victim(world):
    return VictimFactory(
        agency=world.agencies.dosvy_bmc,
        given_name="Srey",
        sex="female",
        birth_year=1994,
        home_province="01",
        contact="012 345 678",
    )


@pytest.fixture
def referral(world, victim):
    return ReferralFactory(
        victim=victim,
        to_agency=world.agencies.afesip,
        reason="Srey needs a shelter",
        services_requested=["shelter", "psychosocial"],
        urgency="urgent",
    )


def test_given_pending_referral_when_partner_polls_inbox_then_summary_only(world, referral):
    response = client_for(world.users.partner).get("/api/v1/referrals/?status=pending")

    assert response.status_code == 200
    (row,) = response.json()["results"]
    assert row["id"] == str(referral.pk)
    assert row["victim"] is None
    assert row["victim_summary"] == {"sex": "female", "age_band": "15_17", "province": "01"}
    assert row["services_requested"] == ["shelter", "psychosocial"]
    assert row["urgency"] == "urgent"
    assert "reason" not in row and "case" not in row
    assert "Srey" not in response.content.decode()
    assert not AuditEvent.objects.filter(action="view", object_type="victim").exists()


def test_given_accepted_referral_when_partner_reads_then_referral_view_audited(
    world, referral, victim
):
    client = client_for(world.users.partner)
    client.post(f"/api/v1/referrals/{referral.pk}/accept/")

    response = client.get(f"/api/v1/referrals/{referral.pk}/")

    body = response.json()
    assert body["status"] == "accepted"
    assert body["victim"]["given_name"] == "Srey"
    assert body["victim"]["contact"] == "012 345 678"
    assert "home_province" not in body["victim"] and "social_notes" not in body["victim"]
    assert body["reason"] == "Srey needs a shelter"
    assert (
        AuditEvent.objects.filter(
            action="view", object_type="victim", object_id=str(victim.pk), actor=world.users.partner
        ).count()
        == 2
    )  # the accept's answer and the read


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("alice", 200),
        ("minister", 200),
        ("partner", 200),
        ("other_partner", 404),
        ("bob", 404),
        ("officer", 404),
        ("clerk", 404),
        ("analyst", 404),
    ],
)
def test_given_referral_when_each_role_reads_then_sides_only(world, referral, persona, status):
    response = client_for(getattr(world.users, persona)).get(f"/api/v1/referrals/{referral.pk}/")

    assert response.status_code == status


@pytest.mark.parametrize(
    ("path", "persona", "from_status", "status", "to_status"),
    [
        ("accept", "partner", "pending", 200, "accepted"),
        ("start", "partner", "accepted", 200, "in_service"),
        ("complete", "partner", "in_service", 200, "completed"),
        ("close", "partner", "accepted", 200, "closed"),
        ("withdraw", "alice", "pending", 200, "withdrawn"),
        ("accept", "partner", "declined", 409, "declined"),
        ("start", "partner", "pending", 409, "pending"),
        ("complete", "partner", "accepted", 409, "accepted"),
        ("withdraw", "alice", "accepted", 409, "accepted"),
        ("withdraw", "partner", "pending", 403, "pending"),
        ("accept", "alice", "pending", 403, "pending"),
        ("accept", "other_partner", "pending", 404, "pending"),
        ("accept", "officer", "pending", 404, "pending"),
        ("accept", "analyst", "pending", 404, "pending"),
    ],
)
def test_given_status_when_transition_requested_then_moves_or_refuses_and_changes_nothing(
    world, referral, path, persona, from_status, status, to_status
):
    Referral.objects.filter(pk=referral.pk).update(status=from_status)

    response = client_for(getattr(world.users, persona)).post(
        f"/api/v1/referrals/{referral.pk}/{path}/"
    )

    assert response.status_code == status
    referral.refresh_from_db()
    assert referral.status == to_status
    assert ReferralTransition.objects.count() == (1 if status == 200 else 0)
    if status == 409:
        assert response.json() == {
            "detail": f"Cannot {path} a referral that is {from_status}.",
            "status": from_status,
        }


def test_given_decline_without_reason_then_400_and_still_pending(world, referral):
    client = client_for(world.users.partner)

    empty = client.post(f"/api/v1/referrals/{referral.pk}/decline/", {}, format="json")
    declined = client.post(
        f"/api/v1/referrals/{referral.pk}/decline/", {"reason": "No bed free"}, format="json"
    )

    assert empty.status_code == 400
    assert list(empty.json()) == ["reason"]
    assert declined.status_code == 200
    referral.refresh_from_db()
    assert (referral.status, referral.decline_reason) == ("declined", "No bed free")


def test_given_case_worker_when_referring_through_api_then_pending_in_partner_inbox(world, victim):
    response = client_for(world.users.alice).post(
        "/api/v1/referrals/",
        {
            "victim": str(victim.pk),
            "to_agency": str(world.agencies.afesip.pk),
            "services_requested": ["shelter"],
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    inbox = client_for(world.users.partner).get("/api/v1/referrals/?status=pending").json()
    assert [row["id"] for row in inbox["results"]] == [response.json()["id"]]


@pytest.mark.parametrize("persona", ["bob", "partner", "officer", "analyst"])
def test_given_not_the_owner_when_referring_victim_then_refused_and_nothing_written(
    world, victim, persona
):
    response = client_for(getattr(world.users, persona)).post(
        "/api/v1/referrals/",
        {
            "victim": str(victim.pk),
            "to_agency": str(world.agencies.afesip.pk),
            "services_requested": ["shelter"],
        },
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["victim"]
    assert Referral.objects.count() == 0


def test_given_no_consent_when_referring_then_400_with_the_reason(world, victim):
    victim.consent_data_sharing = False
    victim.save()

    response = client_for(world.users.alice).post(
        "/api/v1/referrals/",
        {
            "victim": str(victim.pk),
            "to_agency": str(world.agencies.afesip.pk),
            "services_requested": ["shelter"],
        },
        format="json",
    )

    assert response.status_code == 400
    assert "consented" in response.json()["victim"][0]


def test_given_accepted_referral_when_partner_records_service_then_created(world, referral):
    client = client_for(world.users.partner)
    client.post(f"/api/v1/referrals/{referral.pk}/accept/")

    response = client.post(
        "/api/v1/services/",
        {
            "referral": str(referral.pk),
            "date": "2010-04-03",
            "service": "shelter",
            "notes": "bed 4",
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    service = Service.objects.get()
    assert (service.agency, service.victim_id) == (world.agencies.afesip, referral.victim_id)


@pytest.mark.parametrize(
    ("persona", "status"), [("partner", 403), ("other_partner", 400), ("analyst", 400)]
)
def test_given_pending_referral_when_recording_service_then_refused_and_nothing_written(
    world, referral, persona, status
):
    response = client_for(getattr(world.users, persona)).post(
        "/api/v1/services/",
        {"referral": str(referral.pk), "date": "2010-04-03", "service": "shelter"},
        format="json",
    )

    assert response.status_code == status
    assert Service.objects.count() == 0


def test_given_idempotency_key_when_post_retried_then_first_answer_and_one_record(world, victim):
    client = client_for(world.users.alice)
    body = {
        "victim": str(victim.pk),
        "to_agency": str(world.agencies.afesip.pk),
        "services_requested": ["shelter"],
    }

    first = client.post("/api/v1/referrals/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    retry = client.post("/api/v1/referrals/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    other = client.post(
        "/api/v1/referrals/",
        {**body, "urgency": "urgent"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="k-1",
    )

    assert (first.status_code, retry.status_code, other.status_code) == (201, 201, 422)
    assert retry.json() == first.json()
    assert retry["Idempotent-Replayed"] == "true"
    assert Referral.objects.count() == 1


def test_given_server_error_when_post_has_key_then_retry_runs_for_real(world, victim, monkeypatch):
    from ctms.models import IdempotencyKey
    from referrals import services

    client = client_for(world.users.alice)
    body = {
        "victim": str(victim.pk),
        "to_agency": str(world.agencies.afesip.pk),
        "services_requested": ["shelter"],
    }
    real_create = services.referral_create
    monkeypatch.setattr(services, "referral_create", lambda **kwargs: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        client.post("/api/v1/referrals/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-500")
    monkeypatch.setattr(services, "referral_create", real_create)

    retry = client.post("/api/v1/referrals/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-500")

    assert retry.status_code == 201
    assert Referral.objects.count() == 1
    assert IdempotencyKey.objects.get().response_status == 201


def test_given_same_key_from_another_user_then_separate_requests(world, referral):
    partner = client_for(world.users.partner)
    partner_again = client_for(world.users.partner, name="second")

    accept = partner.post(f"/api/v1/referrals/{referral.pk}/accept/", HTTP_IDEMPOTENCY_KEY="x")
    replay = partner_again.post(
        f"/api/v1/referrals/{referral.pk}/accept/", HTTP_IDEMPOTENCY_KEY="x"
    )
    other_user = client_for(world.users.alice).post(
        f"/api/v1/referrals/{referral.pk}/withdraw/", HTTP_IDEMPOTENCY_KEY="x"
    )

    assert (accept.status_code, replay.status_code) == (200, 200)
    assert other_user.status_code == 409  # ran for real: alice's own key, referral accepted
    assert ReferralTransition.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_given_twenty_concurrent_accepts_then_exactly_one_transition(world, referral):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    statuses = post_at_once(world.users.partner, f"/api/v1/referrals/{referral.pk}/accept/")
    assert statuses == [200] + [409] * 19
    assert ReferralTransition.objects.filter(referral=referral).count() == 1
    referral.refresh_from_db()
    assert referral.status == "accepted"


def test_unchanged_counts_helper_sees_writes(world, victim):
    """Guard for the refused-write tests: the helper does see a row written."""
    before = counts(Referral)
    ReferralFactory(victim=victim, to_agency=world.agencies.afesip)
    assert counts(Referral) == (before[0] + 1,)
