"""Shared helpers of the write services."""

from __future__ import annotations

from typing import Any

from django.db import models


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


def user_set_language(*, user, language: str) -> None:
    """Remember the interface language the user chose (applied again at each sign-in)."""
    from django.conf import settings

    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"unknown language {language!r}")
    if user.preferred_language != language:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
