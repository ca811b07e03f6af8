"""Writing the audit trail. Every read of personal data and every write goes through here."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models

from .models import AuditEvent

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
    }
)


def audit(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    channel: str = "",
    ip_address: str | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event. `obj` fills object_type and object_id when given."""
    if obj is not None:
        object_type = object_type or obj._meta.model_name
        object_id = object_id or str(obj.pk)
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor=user,
        actor_username=getattr(actor, "username", "") or "",
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
