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
import ipaddress
import json
import logging
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

from celery import shared_task
from django.conf import settings
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
    from .models import Referral, WebhookDelivery, WebhookEndpoint

    referral = Referral.objects.select_related("victim").filter(pk=referral_id).first()
    if referral is None:
        return 0
    endpoints = WebhookEndpoint.objects.filter(
        agency_id__in=[referral.to_agency_id, referral.from_agency_id], is_active=True
    )
    payload = event_payload(referral, event)
    deliveries = [
        WebhookDelivery.objects.create(endpoint=endpoint, event=event, payload=payload)
        for endpoint in endpoints
    ]
    for delivery in deliveries:
        try:
            deliver_webhook.delay(delivery.pk)
        except Exception:  # a broker outage must not undo or fail the referral change
            logger.exception("could not queue webhook delivery %s", delivery.pk)
    return len(deliveries)


def private_target(url: str) -> str:
    """The private address `url` resolves to ('' if none): where a webhook must not go."""
    host = urllib.parse.urlsplit(url).hostname or ""
    try:
        infos = socket.getaddrinfo(host, None)
    except (socket.gaierror, UnicodeError):
        return ""  # the POST itself will fail and be retried
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            return str(address)
    return ""


def post_signed(
    *, url: str, body: bytes, secret: str, headers: dict[str, str]
) -> tuple[int | None, str]:
    """POST `body` signed with `secret`; returns (HTTP status or None, error text)."""
    if not settings.WEBHOOK_ALLOW_PRIVATE_TARGETS and (address := private_target(url)):
        return None, f"{REFUSED} {address} is not a public address"
    request = urllib.request.Request(  # noqa: S310 - partners register http(s) URLs only
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "CTMS-Webhooks/1",
            TIMESTAMP_HEADER: str(int(time.time())),
            SIGNATURE_HEADER: sign(body, secret),
            **headers,
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.WEBHOOK_TIMEOUT_SECONDS) as response:  # noqa: S310
            return response.status, ""
    except urllib.error.HTTPError as error:
        return error.code, f"HTTP {error.code}"
    except (urllib.error.URLError, OSError, ValueError) as error:
        return None, str(getattr(error, "reason", error))[:500]


def backoff_seconds(retries: int) -> int:
    """Exponential back-off: the base delay doubled for each retry, at most an hour."""
    return min(settings.WEBHOOK_RETRY_BACKOFF_SECONDS * (2**retries), 3600)


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
    if delivery is None or delivery.delivered_at is not None or not delivery.endpoint.is_active:
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
        logger.warning(
            "webhook delivery %s given up after %s attempts", delivery.pk, delivery.attempts
        )
        return False
    if self.request.is_eager:
        # The embedded set-up has no broker to hold a delayed retry: returning the Retry lets
        # Celery run the next attempt at once (eager mode skips the back-off wait).
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
