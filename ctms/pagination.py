"""Keyset pagination for long lists: a page costs the same at row 10 or row 1,000,000, and no
COUNT(*) over the whole table is ever needed. Lists are ordered newest first by an indexed
date or time field, then by id so that equal dates still have one order."""

from __future__ import annotations

import base64
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet


@dataclass
class KeysetPage:
    items: list
    next_cursor: str | None
    previous_cursor: str | None


def encode_cursor(value, pk, direction: str) -> str:
    raw = f"{direction}|{value.isoformat()}|{pk}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, queryset: QuerySet, field: str) -> tuple[str, object, object] | None:
    """None for anything malformed: a bad cursor shows the first page, never an error."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        direction, value, pk = raw.split("|")
        model = queryset.model
        value = model._meta.get_field(field).to_python(value)
        pk = model._meta.pk.to_python(pk)
    except (ValueError, UnicodeDecodeError, ValidationError):
        return None
    if direction not in ("next", "previous") or value is None:
        return None
    return direction, value, pk


def keyset_page(
    queryset: QuerySet, *, cursor: str = "", size: int = 25, field: str = "created_at"
) -> KeysetPage:
    """One page of `queryset`, newest first by (`field`, id)."""
    decoded = decode_cursor(cursor, queryset, field) if cursor else None
    newest_first = (f"-{field}", "-pk")
    if decoded is None:
        rows = list(queryset.order_by(*newest_first)[: size + 1])
        more_after, more_before = len(rows) > size, False
        rows = rows[:size]
    elif decoded[0] == "next":
        _, value, pk = decoded
        after = Q(**{f"{field}__lt": value}) | Q(**{field: value, "pk__lt": pk})
        rows = list(queryset.filter(after).order_by(*newest_first)[: size + 1])
        more_after, more_before = len(rows) > size, True
        rows = rows[:size]
    else:
        _, value, pk = decoded
        before = Q(**{f"{field}__gt": value}) | Q(**{field: value, "pk__gt": pk})
        rows = list(queryset.filter(before).order_by(field, "pk")[: size + 1])
        more_after, more_before = True, len(rows) > size
        rows = list(reversed(rows[:size]))
    return KeysetPage(
        items=rows,
        next_cursor=_cursor(rows[-1], field, "next") if rows and more_after else None,
        previous_cursor=_cursor(rows[0], field, "previous") if rows and more_before else None,
    )


def _cursor(row, field: str, direction: str) -> str:
    return encode_cursor(getattr(row, field), row.pk, direction)
