"""Webhooks: partners register endpoints, referral events are posted signed, failures are
retried, every attempt is logged. A real HTTP server on localhost receives them."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import connection

from referrals.models import WebhookDelivery, WebhookEndpoint
from referrals.services import referral_transition
from tests.api_support import client_for
from tests.factories import ReferralFactory, VictimFactory

SECRET = "s3cret-of-sixteen-chars"


class Receiver:
    """A localhost HTTP server that records each POST and answers the given statuses in turn
    (200 once they run out)."""

    def __init__(self, statuses=()):
        self.statuses = list(statuses)
        self.requests: list[dict] = []
        self.delivered = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append({"headers": self.headers, "body": body})
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.end_headers()
                if status == 200:
                    receiver.delivered.set()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks/ctms"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.close()


@pytest.fixture
def fast_retries(settings):
    settings.WEBHOOK_RETRY_BACKOFF_SECONDS = 0
    settings.WEBHOOK_MAX_RETRIES = 3


def verify(request: dict, secret: str) -> bool:
    """What docs/api.md tells an integrator to do."""
    expected = "sha256=" + hmac.new(secret.encode(), request["body"], hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, request["headers"]["X-CTMS-Signature"])


def register(world, url: str):
    return client_for(world.users.partner).post(
        "/api/v1/webhook-endpoints/", {"url": url, "secret": SECRET}, format="json"
    )


def test_given_endpoint_when_referral_sent_then_signed_summary_posted(
    world, receiver, fast_retries, django_capture_on_commit_callbacks
):
    assert register(world, receiver.url).status_code == 201
    victim = VictimFactory(agency=world.agencies.dosvy_bmc, given_name="Srey", home_province="01")

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.users.alice).post(
            "/api/v1/referrals/",
            {
                "victim": str(victim.pk),
                "to_agency": str(world.agencies.afesip.pk),
                "services_requested": ["shelter"],
            },
            format="json",
        )

    assert response.status_code == 201
    (request,) = receiver.requests
    assert verify(request, SECRET)
    assert request["headers"]["X-CTMS-Event"] == "referral.created"
    assert int(request["headers"]["X-CTMS-Timestamp"]) > 0
    event = json.loads(request["body"])
    assert event["event"] == "referral.created"
    assert event["referral"]["id"] == response.json()["id"]
    assert event["referral"]["status"] == "pending"
    assert event["referral"]["victim_summary"] == {
        "sex": "female",
        "age_band": "18_plus",  # born 1995, referred today
        "province": "01",
    }
    assert "Srey" not in request["body"].decode() and str(victim.pk) not in request["body"].decode()
    delivery = WebhookDelivery.objects.get()
    assert (delivery.attempts, delivery.last_status_code) == (1, 200)
    assert delivery.delivered_at is not None


def test_given_wrong_secret_then_signature_check_fails(
    world, receiver, fast_retries, django_capture_on_commit_callbacks
):
    register(world, receiver.url)
    referral = ReferralFactory(
        victim=VictimFactory(agency=world.agencies.dosvy_bmc), to_agency=world.agencies.afesip
    )

    with django_capture_on_commit_callbacks(execute=True):
        client_for(world.users.partner).post(f"/api/v1/referrals/{referral.pk}/accept/")

    (request,) = receiver.requests
    assert json.loads(request["body"])["event"] == "referral.accepted"
    assert verify(request, SECRET)
    assert not verify(request, "another-secret-of-16")


def test_given_failing_endpoint_then_retried_until_delivered_and_each_attempt_logged(
    world, fast_retries, django_capture_on_commit_callbacks
):
    receiver = Receiver(statuses=[500, 503])
    try:
        register(world, receiver.url)
        referral = ReferralFactory(
            victim=VictimFactory(agency=world.agencies.dosvy_bmc), to_agency=world.agencies.afesip
        )

        with django_capture_on_commit_callbacks(execute=True):
            referral_transition(
                referral_id=referral.pk, user=world.users.partner, transition="accept"
            )
    finally:
        receiver.close()

    assert len(receiver.requests) == 3
    assert len({request["body"] for request in receiver.requests}) == 1  # the same event
    delivery = WebhookDelivery.objects.get()
    assert delivery.attempts == 3
    assert [entry["status_code"] for entry in delivery.log] == [500, 503, 200]
    assert delivery.delivered_at is not None


def test_given_endpoint_down_then_gives_up_after_max_retries_and_referral_still_changes(
    world, fast_retries, django_capture_on_commit_callbacks
):
    receiver = Receiver()
    url = receiver.url
    receiver.close()  # nothing listens there any more
    register(world, url)
    referral = ReferralFactory(
        victim=VictimFactory(agency=world.agencies.dosvy_bmc), to_agency=world.agencies.afesip
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.users.partner).post(f"/api/v1/referrals/{referral.pk}/accept/")

    assert response.status_code == 200
    delivery = WebhookDelivery.objects.get()
    assert delivery.attempts == 4  # the first and three retries
    assert delivery.delivered_at is None
    assert delivery.last_status_code is None and delivery.last_error


@pytest.mark.parametrize(
    ("persona", "status"),
    [("partner", 201), ("alice", 201), ("officer", 403), ("clerk", 403), ("analyst", 403)],
)
def test_given_roles_when_registering_endpoint_then_referral_agencies_only(world, persona, status):
    response = client_for(getattr(world.users, persona)).post(
        "/api/v1/webhook-endpoints/",
        {"url": "https://example.org/hook", "secret": SECRET},
        format="json",
    )

    assert response.status_code == status
    assert WebhookEndpoint.objects.count() == (1 if status == 201 else 0)
    if status == 201:
        assert "secret" not in response.json()


def test_given_short_secret_or_odd_url_then_400_per_field(world):
    response = client_for(world.users.partner).post(
        "/api/v1/webhook-endpoints/", {"url": "ftp://example.org", "secret": "short"}, format="json"
    )

    assert response.status_code == 400
    assert set(response.json()) == {"url", "secret"}


def test_given_other_agencys_endpoint_then_404_and_unchanged(world, receiver):
    endpoint_id = register(world, receiver.url).json()["id"]
    other = client_for(world.users.other_partner)

    read = other.get(f"/api/v1/webhook-endpoints/{endpoint_id}/")
    patch = other.patch(
        f"/api/v1/webhook-endpoints/{endpoint_id}/", {"is_active": False}, format="json"
    )
    delete = other.delete(f"/api/v1/webhook-endpoints/{endpoint_id}/")
    deliveries = other.get("/api/v1/webhook-deliveries/")

    assert (read.status_code, patch.status_code, delete.status_code) == (404, 404, 404)
    assert deliveries.json()["results"] == []
    assert WebhookEndpoint.objects.get().is_active is True


def test_given_deliveries_when_partner_lists_them_then_own_endpoints_only(
    world, receiver, fast_retries, django_capture_on_commit_callbacks
):
    register(world, receiver.url)
    referral = ReferralFactory(
        victim=VictimFactory(agency=world.agencies.dosvy_bmc), to_agency=world.agencies.afesip
    )
    with django_capture_on_commit_callbacks(execute=True):
        referral_transition(referral_id=referral.pk, user=world.users.partner, transition="accept")

    rows = (
        client_for(world.users.partner)
        .get("/api/v1/webhook-deliveries/?delivered=true")
        .json()["results"]
    )

    assert [(row["event"], row["attempts"], row["last_status_code"]) for row in rows] == [
        ("referral.accepted", 1, 200)
    ]


@pytest.mark.celery_worker
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_given_real_worker_when_referral_accepted_then_delivered_through_broker(
    world, receiver, celery_worker_process
):
    if connection.vendor != "postgresql":
        pytest.skip("the worker needs PostgreSQL")
    register(world, receiver.url)
    referral = ReferralFactory(
        victim=VictimFactory(agency=world.agencies.dosvy_bmc), to_agency=world.agencies.afesip
    )

    response = client_for(world.users.partner).post(f"/api/v1/referrals/{referral.pk}/accept/")

    assert response.status_code == 200
    assert receiver.delivered.wait(timeout=60), "the worker posted nothing within 60 s"
    assert verify(receiver.requests[0], SECRET)
    assert json.loads(receiver.requests[0]["body"])["event"] == "referral.accepted"
    assert _recorded_as_delivered(timeout=30), "the worker did not record the delivery"


def _recorded_as_delivered(timeout: float) -> bool:
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if WebhookDelivery.objects.filter(delivered_at__isnull=False).exists():
            return True
        time.sleep(0.2)
    return False


def test_given_production_when_endpoint_is_a_private_address_then_never_posted(
    world, receiver, fast_retries, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False
    register(world, receiver.url)
    referral = ReferralFactory(
        victim=VictimFactory(agency=world.agencies.dosvy_bmc), to_agency=world.agencies.afesip
    )

    with django_capture_on_commit_callbacks(execute=True):
        referral_transition(referral_id=referral.pk, user=world.users.partner, transition="accept")

    assert receiver.requests == []
    delivery = WebhookDelivery.objects.get()
    assert delivery.delivered_at is None
    assert delivery.last_error == "refused: 127.0.0.1 is not a public address"
    assert delivery.attempts == 1  # no retry can make the address public
