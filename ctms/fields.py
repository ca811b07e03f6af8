"""Model fields shared by the apps."""

from __future__ import annotations

from django.db import models

from .validators import (
    CodeListValidator,
    CountryListValidator,
    validate_country,
    validate_province,
)


def CodeListField(choices, **kwargs) -> models.JSONField:  # noqa: N802 - reads like a field class
    """A multi-value code field, stored as a JSON list (works on SQLite and PostgreSQL alike)."""
    kwargs.setdefault("default", list)
    kwargs.setdefault("blank", True)
    return models.JSONField(validators=[CodeListValidator(choices)], **kwargs)


def CountryListField(**kwargs) -> models.JSONField:  # noqa: N802
    kwargs.setdefault("default", list)
    kwargs.setdefault("blank", True)
    return models.JSONField(validators=[CountryListValidator()], **kwargs)


def CountryField(**kwargs) -> models.CharField:  # noqa: N802
    kwargs.setdefault("max_length", 3)
    return models.CharField(validators=[validate_country], **kwargs)


def ProvinceField(**kwargs) -> models.CharField:  # noqa: N802
    kwargs.setdefault("max_length", 2)
    kwargs.setdefault("blank", True)
    return models.CharField(validators=[validate_province], **kwargs)
