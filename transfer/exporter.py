"""Writing every record as JSON Lines (SPEC section 6), in dependency order, streamed.

Each record's UUID is its `ref`, and links hold the UUIDs of the records they name, so the file
imports back into an empty database with the same ids and exports again byte for byte. Rows are
read with `.iterator(chunk_size=…)` and their links prefetched one chunk at a time: memory stays
flat however many rows there are.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, TextIO

from django.db.models import Prefetch, QuerySet

from agencies.models import Agency

from .schema import RECORD_TYPES, USERNAME_COLUMNS, RecordType
from .values import to_json

CHUNK_SIZE = 2000


def export_records(out: TextIO, *, chunk_size: int = CHUNK_SIZE) -> dict[str, int]:
    """Write every record to `out`, one JSON object a line; return the count per type."""
    counts: dict[str, int] = {}
    for record_type in RECORD_TYPES:
        count = 0
        for record in _records(record_type, chunk_size):
            out.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")))
            out.write("\n")
            count += 1
        if count:
            counts[record_type.name] = count
    return counts


def _records(record_type: RecordType, chunk_size: int) -> Iterator[dict[str, Any]]:
    if record_type.model is Agency:
        rows = _agencies_parents_first()
    else:
        rows = _queryset(record_type).iterator(chunk_size=chunk_size)
    for row in rows:
        yield _as_record(record_type, row)


def _queryset(record_type: RecordType) -> QuerySet:
    model = record_type.model
    prefetches = [
        Prefetch(column, queryset=_ids_only(model._meta.get_field(column).related_model))
        for column, link in record_type.links.items()
        if link.many
    ]
    prefetches += [_children(column, nested) for column, nested in record_type.nested.items()]
    users = [column for column in record_type.columns if column in USERNAME_COLUMNS]
    return model.objects.order_by("pk").select_related(*users).prefetch_related(*prefetches)


def _children(column: str, nested) -> Prefetch:
    """The prefetch of a nested list, in the order the file lists it, users by username."""
    children = nested.model.objects.order_by("id")
    if column == "transitions":
        children = children.select_related("by").order_by("at", "id")
    elif any(f.name == "position" for f in nested.model._meta.fields):
        children = children.order_by("position", "id")
    users = [name for name in nested.columns if name in USERNAME_COLUMNS and name != "by"]
    if users:
        children = children.select_related(*users)
    grandchildren = [_children(name, sub) for name, sub in nested.nested.items()]
    return Prefetch(column, queryset=children.prefetch_related(*grandchildren))


def _ids_only(model) -> QuerySet:
    # Unordered: the ids are sorted in Python, and the model's default ordering would make
    # the database sort every chunk's prefetch by name.
    return model.objects.only("id").order_by()


def _agencies_parents_first() -> list[Agency]:
    """Agencies are few: sorted in memory so that every parent comes before its children."""
    agencies = list(Agency.objects.prefetch_related(None).order_by("pk"))
    parent_of = {agency.pk: agency.parent_id for agency in agencies}

    def depth(agency_id) -> int:
        seen = 0
        while parent_of.get(agency_id) is not None and seen < len(parent_of):
            agency_id, seen = parent_of[agency_id], seen + 1
        return seen

    return sorted(agencies, key=lambda agency: (depth(agency.pk), str(agency.pk)))


def _as_record(record_type: RecordType, row) -> dict[str, Any]:
    record: dict[str, Any] = {"type": record_type.name, "ref": str(row.pk)}
    for column in record_type.columns:
        link = record_type.links.get(column)
        if column in record_type.nested:
            nested = record_type.nested[column]
            record[column] = [_as_child(nested, child) for child in getattr(row, column).all()]
        elif link is not None and link.many:
            record[column] = sorted(str(item.pk) for item in getattr(row, column).all())
        elif link is not None:
            record[column] = to_json(getattr(row, f"{column}_id"))
        elif column in USERNAME_COLUMNS:
            record[column] = _username(row, column)
        else:
            record[column] = to_json(getattr(row, column))
    return record


def _as_child(nested, child) -> dict[str, Any]:
    item: dict[str, Any] = {}
    for column in nested.columns:
        if column in nested.links:
            item[column] = to_json(getattr(child, f"{column}_id"))
        elif column in nested.nested:
            sub = nested.nested[column]
            item[column] = [
                _as_child(sub, grandchild) for grandchild in getattr(child, column).all()
            ]
        elif column in USERNAME_COLUMNS:
            item[column] = _username(child, column)
        else:
            item[column] = to_json(getattr(child, column))
    return item


def _username(row, column: str) -> str | None:
    return getattr(row, column).username if getattr(row, f"{column}_id") else None
