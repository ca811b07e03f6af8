"""Celery tasks of referrals: webhook deliveries to partners.

An event is posted as JSON to every active endpoint of the agencies on both sides of the
referral. The body is signed: `X-CTMS-Signature: sha256=<hex>` where `<hex>` is the
HMAC-SHA256 of the raw request body under the endpoint's secret (see docs/api.md). The body
never identifies the victim: it carries the non-identifying summary only, whatever the status;
a receiver that may see more fetches `GET /api/v1/referrals/{id}/` (audited).
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import ipaddress
import json
import logging
import socket
import ssl
import threading
import time
import urllib.parse
import uuid
from concurrent.futures import ThreadPoolExecutor

from celery import shared_task
from django.conf import settings
from django.db import connections
from django.db.models import F
from django.utils import timezone

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-CTMS-Signature"
TIMESTAMP_HEADER = "X-CTMS-Timestamp"
EVENT_HEADER = "X-CTMS-Event"
DELIVERY_HEADER = "X-CTMS-Delivery"
LOG_LIMIT = 20  # attempts kept in a delivery's log
REFUSED = "refused:"  # an error no retry can cure


def sign(body: bytes, secret: str) -> str:
    """The X-CTMS-Signature value of a body: `sha256=` and the hex HMAC-SHA256."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def event_payload(referral, event: str) -> dict:
    """The JSON body of a referral event: ids, status, codes and the summary of the victim."""
    from .api.serializers import victim_summary

    return {
        "id": str(uuid.uuid4()),
        "event": event,
        "occurred_at": timezone.now().isoformat(),
        "referral": {
            "id": str(referral.pk),
            "status": referral.status,
            "from_agency": str(referral.from_agency_id),
            "to_agency": str(referral.to_agency_id),
            "created_on": referral.created_on.isoformat(),
            "urgency": referral.urgency,
            "services_requested": list(referral.services_requested or []),
            "victim_summary": victim_summary(referral),
            "url": f"/api/v1/referrals/{referral.pk}/",
        },
    }


def queue_referral_event(*, referral_id, event: str) -> int:
    """Create one delivery per active endpoint of the sending and the receiving agency and
    queue them. Called after the referral's transaction commits; returns the deliveries made."""
    from .models import Referral

    referral = Referral.objects.select_related("victim").filter(pk=referral_id).first()
    if referral is None:
        return 0
    return queue_webhook_event(
        agency_ids=[referral.to_agency_id, referral.from_agency_id],
        event=event,
        payload=event_payload(referral, event),
    )


def queue_webhook_event(*, agency_ids: list, event: str, payload: dict) -> int:
    """Create one delivery of `payload` per active endpoint of the agencies and queue them
    (referral and hand-over events alike); returns the deliveries made."""
    from .models import WebhookDelivery, WebhookEndpoint

    endpoints = WebhookEndpoint.objects.filter(agency_id__in=agency_ids, is_active=True)
    deliveries = [
        WebhookDelivery.objects.create(endpoint=endpoint, event=event, payload=payload)
        for endpoint in endpoints
    ]
    for delivery in deliveries:
        dispatch_delivery(delivery.pk)
    return len(deliveries)


_background = threading.local()
_executor: ThreadPoolExecutor | None = None


def dispatch_delivery(delivery_id: int) -> None:
    """Hand a delivery to the broker or, in the embedded default (no broker), to a background
    thread: Celery's eager mode would run the POST and every retry inside the user's request."""
    global _executor
    if settings.WEBHOOK_DELIVERY_THREAD:
        if _executor is None:
            _executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="ctms-webhooks")
        _executor.submit(deliver_in_background, delivery_id)
        return
    try:
        deliver_webhook.delay(delivery_id)
    except Exception:  # a broker outage must not undo or fail the referral change
        logger.exception("could not queue webhook delivery %s", delivery_id)


def deliver_in_background(delivery_id: int) -> None:
    """Run a delivery with its retries (waiting out the back-off) off the request thread."""
    _background.active = True
    try:
        deliver_webhook.apply(args=[delivery_id])
    except Exception:  # noqa: BLE001 - a background thread has no one to report to
        logger.exception("webhook delivery %s failed", delivery_id)
    finally:
        _background.active = False
        connections.close_all()


def resolve_target(host: str, port: int) -> tuple[str, str]:
    """(address to connect to, refusal) for a webhook host: the first address it resolves to,
    refused when it is not public (unless settings allow it). The POST then connects to that
    very address, so a second DNS answer (rebinding) cannot move it inside the network."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        return "", str(error)[:500]  # a DNS failure may heal: retried
    addresses = [ipaddress.ip_address(info[4][0]) for info in infos]
    if not settings.WEBHOOK_ALLOW_PRIVATE_TARGETS:
        for address in addresses:
            if not address.is_global:
                return "", f"{REFUSED} {address} is not a public address"
    return str(addresses[0]), ""


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """An HTTP connection to a checked address, with the URL's host name in `Host`."""

    def __init__(self, host: str, port: int, *, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """An HTTPS connection to a checked address; the certificate is verified for the URL's
    host name (SNI and hostname check as usual)."""

    def __init__(self, host: str, port: int, *, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self.address = address

    def connect(self) -> None:
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post_signed(
    *, url: str, body: bytes, secret: str, headers: dict[str, str]
) -> tuple[int | None, str]:
    """POST `body` signed with `secret`; returns (HTTP status or None, error text). Redirects
    are not followed (a 3xx is a refusal: it could point inside the network), and the
    connection goes to the address that was checked."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None, f"{REFUSED} not an http(s) URL"
    port = parts.port or (443 if parts.scheme == "https" else 80)
    address, refusal = resolve_target(parts.hostname, port)
    if not address:
        return None, refusal
    connection_class = _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(
        parts.hostname, port, address=address, timeout=settings.WEBHOOK_TIMEOUT_SECONDS
    )
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    request_headers = {
        "Content-Type": "application/json",
        "User-Agent": "CTMS-Webhooks/1",
        TIMESTAMP_HEADER: str(int(time.time())),
        SIGNATURE_HEADER: sign(body, secret),
        **headers,
    }
    try:
        connection.request("POST", path, body=body, headers=request_headers)
        status = connection.getresponse().status
    except (OSError, http.client.HTTPException, ValueError) as error:
        return None, str(error)[:500]
    finally:
        connection.close()
    if 300 <= status < 400:
        return status, f"{REFUSED} HTTP {status}: redirects are not followed"
    return status, "" if 200 <= status < 300 else f"HTTP {status}"


def backoff_seconds(retries: int) -> int:
    """Exponential back-off: the base delay doubled for each retry, at most an hour."""
    return min(settings.WEBHOOK_RETRY_BACKOFF_SECONDS * (2**retries), 3600)


@shared_task(name="referrals.tasks.post_event", time_limit=60, soft_time_limit=50)
def post_event(agency_ids: list[str], event: str, payload: dict) -> int:
    """Queue `payload` as `event` to the active endpoints of the agencies. The way other apps'
    events (hand-overs) reach the partners' endpoints: called by its name, so that those apps
    need not import this one (cases import hand-overs, and referrals import cases)."""
    return queue_webhook_event(agency_ids=agency_ids, event=event, payload=payload)


@shared_task(
    name="referrals.tasks.deliver_webhook",
    bind=True,
    max_retries=None,
    time_limit=120,
    soft_time_limit=100,
)
def deliver_webhook(self, delivery_id: int):
    """Post one delivery; on failure retry later with exponential back-off, up to
    `settings.WEBHOOK_MAX_RETRIES` retries. Idempotent: a delivered one is not posted again."""
    from .models import WebhookDelivery

    delivery = WebhookDelivery.objects.select_related("endpoint").filter(pk=delivery_id).first()
    if delivery is None or delivery.delivered_at is not None or delivery.given_up_at is not None:
        return False
    if not delivery.endpoint.is_active:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(given_up_at=timezone.now())
        return False
    body = json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode()
    status, error = post_signed(
        url=delivery.endpoint.url,
        body=body,
        secret=delivery.endpoint.secret,
        headers={EVENT_HEADER: delivery.event, DELIVERY_HEADER: str(delivery.pk)},
    )
    delivered = status is not None and 200 <= status < 300
    _record_attempt(delivery, status=status, error=error, delivered=delivered)
    if delivered:
        return True
    if error.startswith(REFUSED) or self.request.retries >= settings.WEBHOOK_MAX_RETRIES:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(given_up_at=timezone.now())
        logger.warning(
            "webhook delivery %s given up after %s attempts", delivery.pk, delivery.attempts
        )
        return False
    if self.request.is_eager:
        # The embedded set-up has no broker to hold a delayed retry: returning the Retry lets
        # Celery run the next attempt at once. On the background thread (never a request's),
        # the back-off is waited out here first.
        if getattr(_background, "active", False):
            time.sleep(backoff_seconds(self.request.retries))
        return self.retry(countdown=backoff_seconds(self.request.retries), throw=False)
    raise self.retry(countdown=backoff_seconds(self.request.retries))


def _record_attempt(delivery, *, status: int | None, error: str, delivered: bool) -> None:
    from .models import WebhookDelivery

    now = timezone.now()
    entry = {"at": now.isoformat(), "status_code": status, "error": error}
    log = (list(delivery.log or []) + [entry])[-LOG_LIMIT:]
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        attempts=F("attempts") + 1,
        last_status_code=status,
        last_error=error,
        delivered_at=now if delivered else None,
        log=log,
    )
    delivery.attempts += 1
    logger.info(
        "webhook delivery %s attempt %s: %s %s", delivery.pk, delivery.attempts, status, error
    )
