"""Items 6 and 15 of issue 12: a webhook delivery follows no redirect, connects to the very
address it checked (no second DNS answer), and never runs inside a user's request."""

from __future__ import annotations

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

import referrals.tasks
from referrals.models import WebhookDelivery, WebhookEndpoint
from referrals.services import referral_transition
from tests.factories import ReferralFactory, VictimFactory

SECRET = "s3cret-of-sixteen-chars"


class Server:
    """A localhost server answering every POST with `status` (and `location`)."""

    def __init__(self, status: int, location: str = ""):
        self.hits: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                self.rfile.read(int(self.headers["Content-Length"]))
                server.hits.append(self.path)
                self.send_response(status)
                if location:
                    self.send_header("Location", location)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_GET = do_POST  # noqa: N815 - a followed redirect may come as GET

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}/hook"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def accepted_referral(world):
    return ReferralFactory(
        victim=VictimFactory(agency=world.agencies.dosvy_bmc), to_agency=world.agencies.afesip
    )


def endpoint(world, url: str) -> WebhookEndpoint:
    return WebhookEndpoint.objects.create(agency=world.agencies.afesip, url=url, secret=SECRET)


def accept(world, referral, capture):
    with capture(execute=True):
        referral_transition(referral_id=referral.pk, user=world.users.partner, transition="accept")


def test_a_redirect_is_not_followed(
    world, accepted_referral, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_MAX_RETRIES = 0
    inside = Server(200)
    bouncer = Server(302, location=inside.url.replace("/hook", "/internal-admin"))
    try:
        endpoint(world, bouncer.url)
        accept(world, accepted_referral, django_capture_on_commit_callbacks)
    finally:
        bouncer.close()
        inside.close()

    assert (bouncer.hits, inside.hits) == (["/hook"], [])
    delivery = WebhookDelivery.objects.get()
    assert (delivery.last_status_code, delivery.last_error, delivery.delivered_at) == (
        302,
        "refused: HTTP 302: redirects are not followed",
        None,
    )
    assert delivery.attempts == 1  # a redirect is not retried


def test_the_connection_goes_to_the_address_that_was_checked(
    world, accepted_referral, settings, monkeypatch, django_capture_on_commit_callbacks
):
    # given production rules and a partner host whose DNS answers a public address first and
    # a loopback address to any later question (DNS rebinding)
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False
    settings.WEBHOOK_MAX_RETRIES = 0
    answers = iter(["93.184.216.34"])

    def getaddrinfo(host, port, *args, **kwargs):
        address = next(answers, "127.0.0.1")
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port or 80))]

    connected: list[tuple] = []

    def create_connection(target, *args, **kwargs):
        connected.append(target)
        raise OSError("no network in tests")

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket, "create_connection", create_connection)
    endpoint(world, "http://partner.example/hook")

    # when the delivery is made
    accept(world, accepted_referral, django_capture_on_commit_callbacks)

    # then it connected to the checked public address, never to a second answer
    assert connected == [("93.184.216.34", 80)]
    assert WebhookDelivery.objects.get().last_error == "no network in tests"


def test_no_delivery_runs_inside_the_users_request_in_the_embedded_default(
    world, accepted_referral, settings, monkeypatch, django_capture_on_commit_callbacks
):
    # given the embedded default (no broker) and a partner URL that is dead
    settings.WEBHOOK_DELIVERY_THREAD = True
    posted: list[str] = []
    monkeypatch.setattr(
        referrals.tasks, "post_signed", lambda **kwargs: posted.append(kwargs["url"])
    )
    submitted: list[tuple] = []

    class Executor:
        def submit(self, function, *args):
            submitted.append((function, *args))

    monkeypatch.setattr(referrals.tasks, "_executor", Executor())
    endpoint(world, "http://127.0.0.1:9/dead")

    # when the partner accepts (the request and its on-commit callbacks)
    accept(world, accepted_referral, django_capture_on_commit_callbacks)

    # then nothing was posted during the request: the delivery went to the background thread
    delivery = WebhookDelivery.objects.get()
    assert posted == []
    assert submitted == [(referrals.tasks.deliver_in_background, delivery.pk)]
    assert delivery.attempts == 0
