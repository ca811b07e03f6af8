"""Writing the audit trail. Every read of personal data and every write goes through here."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models

from .models import AuditEvent
from .request_context import client_ip, current_request

# Field values never copied into the audit trail: only the fact that they changed.
SENSITIVE_FIELDS = frozenset(
    {
        "given_name",
        "family_name",
        "name_khmer",
        "date_of_birth",
        "birth_year",
        "aliases",
        "home_village",
        "home_commune",
        "photo",
        "notes",
        "social_notes",
        "medical_notes",
        "psychosocial_notes",
        "contact",
        "password",
        # Free text that may describe a person: only the fact that it changed.
        "reason",
        "decline_reason",
        "archived_reason",
        "closure_reason",
        "outcome",
        "charges",
        "description",
    }
)


def _request_origin(channel: str, ip_address: str | None) -> tuple[str, str | None]:
    """Fill channel and address from the request being served, when there is one."""
    request = current_request()
    if request is None:
        return channel, ip_address
    if not channel:
        channel = "api" if request.path.startswith("/api/") else "web"
    return channel, ip_address or client_ip(request)


def audit(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    actor_username: str = "",
    object_type: str = "",
    object_id: str = "",
    channel: str = "",
    ip_address: str | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event. `obj` fills object_type and object_id when given; the request being
    served (if any) fills the address and the channel when they are not given."""
    channel, ip_address = _request_origin(channel, ip_address)
    if obj is not None:
        object_type = object_type or obj._meta.model_name
        object_id = object_id or str(obj.pk)
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor=user,
        actor_username=actor_username or getattr(actor, "username", "") or "",
        action=action,
        object_type=object_type,
        object_id=object_id,
        channel=channel,
        ip_address=ip_address,
        details=details or {},
    )


def audit_reads(
    *, actor, objects: Iterable[models.Model], channel: str = "", ip_address: str | None = None
) -> int:
    """Record one `view` event per object read, in one INSERT."""
    channel, ip_address = _request_origin(channel, ip_address)
    user = actor if getattr(actor, "is_authenticated", False) else None
    events = [
        AuditEvent(
            actor=user,
            actor_username=getattr(actor, "username", "") or "",
            action=AuditEvent.Action.VIEW,
            object_type=obj._meta.model_name,
            object_id=str(obj.pk),
            channel=channel,
            ip_address=ip_address,
        )
        for obj in objects
    ]
    AuditEvent.objects.bulk_create(events)
    return len(events)


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """Which fields changed, with old and new values except for sensitive fields."""
    changes: dict[str, Any] = {}
    for name, new in after.items():
        old = before.get(name)
        if old == new:
            continue
        changes[name] = "changed" if name in SENSITIVE_FIELDS else {"from": old, "to": new}
    return changes
