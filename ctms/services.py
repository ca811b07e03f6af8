"""Shared helpers of the write services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import models
from django.utils import timezone

from .models import IdempotencyKey


def apply_fields(instance: models.Model, data: dict[str, Any]) -> dict[str, Any]:
    """Set plain and foreign-key fields from `data` and return the values they had before."""
    before: dict[str, Any] = {}
    for name, value in data.items():
        field = instance._meta.get_field(name)
        attname = field.attname if field.is_relation and field.many_to_one else name
        before[name] = getattr(instance, attname)
        setattr(instance, name, value)
    return before


def plain_values(instance: models.Model, names) -> dict[str, Any]:
    """Field values as JSON-friendly plain data (ids for relations, ISO dates)."""
    values: dict[str, Any] = {}
    for name in names:
        field = instance._meta.get_field(name)
        value = getattr(instance, field.attname)
        values[name] = (
            value.isoformat()
            if hasattr(value, "isoformat")
            else (str(value) if hasattr(value, "hex") else value)
        )
    return values


def workflow_take_step(
    *, record: models.Model, flow, action: str, user, reason: str, history: type
) -> str:
    """Write one step of `record` along `flow` (a `ctms.workflow.Workflow`; the record locked,
    the step found allowed for `user` by its app's policies): its row in `history` (whose
    foreign key to the record is named after the workflow's record), its status, when that
    changed and, for a decline, the reason. Returns the status reached."""
    previous, target = record.status, flow.step(record.status, action).to_status
    now = timezone.now()
    history.objects.create(
        **{flow.record: record},
        transition=action,
        from_status=previous,
        to_status=target,
        at=now,
        by=user,
        by_agency_id=user.agency_id,
        reason=reason,
    )
    record.status, record.status_changed_at = target, now
    if action in flow.declines:
        record.decline_reason = reason
    record.save(update_fields=["status", "status_changed_at", "decline_reason", "updated_at"])
    return target


def user_set_language(*, user, language: str) -> None:
    """Remember the interface language the user chose (applied again at each sign-in)."""
    from django.conf import settings

    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"unknown language {language!r}")
    if user.preferred_language != language:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])


def idempotency_keys_forget(*, record_ids: Iterable) -> int:
    """Delete every stored API answer (`IdempotencyKey`) that is about, or shows, one of these
    records: a purge must leave no copy of the person behind. Matches the record the answer
    was about, the records it revealed, and any mention of the ids in the stored body. The
    table holds a day of POSTs, so reading it through is cheap for a rare administrator act."""
    ids = {str(record_id) for record_id in record_ids}
    doomed = []
    rows = IdempotencyKey.objects.only("id", "record_id", "revealed", "response_content")
    for row in rows.iterator(chunk_size=500):
        body = bytes(row.response_content or b"").decode("utf-8", "replace")
        revealed = {key.rpartition(":")[2] for key in row.revealed or []}
        if row.record_id in ids or revealed & ids or any(i in body for i in ids):
            doomed.append(row.pk)
    return IdempotencyKey.objects.filter(pk__in=doomed).delete()[0]


def idempotency_keys_delete_expired(*, now: dt.datetime | None = None) -> int:
    """Delete stored answers past their lifetime (the periodic task calls this)."""
    return IdempotencyKey.objects.filter(expires_at__lte=now or timezone.now()).delete()[0]
