"""Webhook events of hand-overs: `handover.created`, `.accepted`, `.declined`, `.withdrawn`,
posted to the same endpoints, signed the same way and retried by the same task as referral
events (referrals.tasks). The body never identifies the person: ids, codes and the
non-identifying summary only; a reader who may see more fetches
`GET /api/v1/handovers/{id}/` (audited)."""

from __future__ import annotations

import logging
import uuid

from celery import current_app
from django.utils import timezone

from .models import Handover
from .selectors import handover_summary

logger = logging.getLogger(__name__)


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


# The referral webhook machinery's task, called by its name (see referrals.tasks.post_event).
POST_EVENT_TASK = "referrals.tasks.post_event"


def queue_handover_event(*, handover_id, event: str) -> None:
    """Post the event to the endpoints of both agencies; called after the hand-over's
    transaction commits."""
    handover = Handover.objects.select_related("victim").filter(pk=handover_id).first()
    if handover is None:
        return
    agency_ids = [str(handover.to_agency_id), str(handover.from_agency_id)]
    try:
        current_app.tasks[POST_EVENT_TASK].delay(agency_ids, event, event_payload(handover, event))
    except Exception:  # a broker outage must not undo or fail the hand-over
        logger.exception("could not queue the %s event of hand-over %s", event, handover_id)
