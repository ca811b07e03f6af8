"""Webhook events of hand-overs: `handover.created`, `.accepted`, `.declined`, `.withdrawn`,
posted to the same endpoints, signed the same way and retried by the same task as referral
events (referrals.tasks). The body never identifies the person: ids, codes and the
non-identifying summary only; a reader who may see more fetches
`GET /api/v1/handovers/{id}/` (audited)."""

from __future__ import annotations

import uuid

from django.utils import timezone

from referrals.tasks import queue_webhook_event

from .models import Handover
from .selectors import handover_summary


def event_payload(handover: Handover, event: str) -> dict:
    """The JSON body of a hand-over event."""
    return {
        "id": str(uuid.uuid4()),
        "event": event,
        "occurred_at": timezone.now().isoformat(),
        "handover": {
            "id": str(handover.pk),
            "kind": handover.kind,
            "status": handover.status,
            "from_agency": str(handover.from_agency_id),
            "to_agency": str(handover.to_agency_id),
            "created_on": handover.created_on.isoformat(),
            "victim_summary": handover_summary(handover),
            "url": f"/api/v1/handovers/{handover.pk}/",
        },
    }


def queue_handover_event(*, handover_id, event: str) -> int:
    """One delivery per active endpoint of both agencies, queued after the hand-over's
    transaction commits; returns the number of deliveries made."""
    handover = Handover.objects.select_related("victim").filter(pk=handover_id).first()
    if handover is None:
        return 0
    return queue_webhook_event(
        agency_ids=[handover.to_agency_id, handover.from_agency_id],
        event=event,
        payload=event_payload(handover, event),
    )
