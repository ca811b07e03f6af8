"""Turning JSON values into model field values, strictly: a wrong JSON type is an error, never
silently converted (a `"yes"` is not a boolean, `"12"` is not a number, `2010-02-30` is not a
date)."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable
from typing import Any

from django.db import models
from django.utils import timezone

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class BadValue(ValueError):
    """A JSON value that does not fit the field; the message says what was expected."""


def as_uuid(value: Any) -> uuid.UUID | None:
    """The UUID a string spells, or None."""
    if not isinstance(value, str) or len(value) != 36:
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def coerce(field: models.Field, value: Any) -> Any:
    """The Python value for `field` from a JSON value, or BadValue."""
    if value is None:
        if field.null:
            return None
        raise BadValue("must not be null")
    kind = type(field)
    convert = _CONVERTERS.get(kind)
    if convert is None:
        convert = _CONVERTERS[kind] = _converter(field)
    return convert(value)


# Each kind of field's, found once (a field's own hash is Python code: its class's is not).
_CONVERTERS: dict[type[models.Field], Callable[[Any], Any]] = {}


def _converter(field: models.Field) -> Callable[[Any], Any]:
    if isinstance(field, models.BooleanField):
        return lambda value: _expect(value, bool, "true or false")
    if isinstance(field, models.IntegerField):
        return _whole
    if isinstance(field, models.DateTimeField):
        return _datetime
    if isinstance(field, models.DateField):
        return _date
    if isinstance(field, models.JSONField):
        return _strings
    return lambda value: _expect(value, str, "a string")


def _whole(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadValue(f"must be a whole number, not {value!r}")
    return value


def _strings(value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise BadValue("must be a list of strings")
    return value


def _expect(value: Any, kind: type, expected: str) -> Any:
    if not isinstance(value, kind):
        raise BadValue(f"must be {expected}, not {value!r}")
    return value


def _date(value: Any) -> dt.date:
    if not isinstance(value, str) or not ISO_DATE.match(value):
        raise BadValue(f"must be a date YYYY-MM-DD, not {value!r}")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise BadValue(f"{value!r} is not a date that exists") from None


def _datetime(value: Any) -> dt.datetime:
    if not isinstance(value, str):
        raise BadValue(f"must be a date and time (ISO 8601), not {value!r}")
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise BadValue(f"{value!r} is not an ISO 8601 date and time") from None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def to_json(value: Any) -> Any:
    """A model value as plain JSON (dates ISO, times in UTC, UUIDs as strings)."""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value
