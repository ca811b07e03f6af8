"""A record's change history (who changed what, when), read from the audit trail."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from .labels import country_name, place_name
from .models import AuditEvent
from .validators import CodeListValidator, validate_country, validate_province

# Reads, downloads and exports are in the trail too; the history shows writes only.
WRITES = (AuditEvent.Action.CREATE, AuditEvent.Action.UPDATE, AuditEvent.Action.TRANSITION)
LIMIT = 50


@dataclass
class Change:
    label: str
    before: str | None = None
    after: str | None = None
    value_hidden: bool = False


@dataclass
class HistoryEntry:
    at: dt.datetime
    who: str
    action: str
    record: str
    changes: list[Change] = field(default_factory=list)


def change_history(*records: models.Model, limit: int = LIMIT) -> list[HistoryEntry]:
    """The writes of the given records (a record and its parts, e.g. a prosecution and its
    defendants), newest first. Values of sensitive fields were never stored: only "changed"."""
    by_key = {(r._meta.model_name, str(r.pk)): r for r in records}
    main = records[0] if records else None
    query = models.Q()
    for kind, pk in by_key:
        query |= models.Q(object_type=kind, object_id=pk)
    if not by_key:
        return []
    events = AuditEvent.objects.filter(query, action__in=WRITES).order_by("-at", "-id")[:limit]
    return [
        _entry(event, by_key[(event.object_type, event.object_id)], is_part=True)
        if by_key[(event.object_type, event.object_id)] is not main
        else _entry(event, main, is_part=False)
        for event in events
    ]


def _entry(event: AuditEvent, record: models.Model, *, is_part: bool) -> HistoryEntry:
    details = event.details or {}
    changes = details.get("changed") or {}
    if not changes and event.action == AuditEvent.Action.TRANSITION:
        to = details.get("to_status", details.get("to"))
        changes = {"status": {"from": details.get("from_status"), "to": to}}
    return HistoryEntry(
        at=event.at,
        who=event.actor_username or "—",
        action=event.get_action_display(),
        record=str(record) if is_part else "",
        changes=[_change(record, name, value) for name, value in changes.items()],
    )


def _change(record: models.Model, name: str, value: Any) -> Change:
    label, show = _field_label(record, name)
    if not isinstance(value, dict):
        return Change(label=label, value_hidden=True)
    if "added" in value or "removed" in value:  # links to other records: how many, not who
        added, removed = len(value.get("added") or ()), len(value.get("removed") or ())
        return Change(
            label=label,
            after=_("%(added)s added, %(removed)s removed") % {"added": added, "removed": removed},
        )
    return Change(label=label, before=show(value.get("from")), after=show(value.get("to")))


def _field_label(record: models.Model, name: str):
    """The field's label in the interface language (the forms' labels are in the catalogue
    under the capitalised field name) and a function showing its values."""
    try:
        model_field = record._meta.get_field(name)
    except FieldDoesNotExist:
        model_field = None
    if not hasattr(model_field, "verbose_name"):  # not a field, or a reverse relation
        return _(capfirst(name.replace("_", " "))), _plain
    label = _(capfirst(str(model_field.verbose_name)))
    choices = dict(model_field.choices or [])
    codes = next(
        (v.labels for v in model_field.validators if isinstance(v, CodeListValidator)), None
    )
    # A country or a province code is shown by its name in the interface language.
    named = ((validate_country, country_name), (validate_province, place_name))
    namer = next((f for check, f in named if check in model_field.validators), None)

    def show(value: Any) -> str:
        if isinstance(value, list):
            names = codes or {}
            shown = [str(names.get(item) or country_name(item)) for item in value]
            return ", ".join(shown) or "—"
        if value in choices:
            return str(choices[value])
        if namer and value:
            return namer(value)
        return _plain(value)

    return label, show


def _plain(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return str(value)
