"""What the rendered report says: labels of the figures and sentences in the manner of the
committee's presentation ("… in 160 cases, detained 242 suspects (F=79), a reduction of 5 cases
from 2009 …"), in English and Khmer.

Strings go through gettext under `translation.override(language)`: their Khmer is in the one
catalogue, `locale/km/LC_MESSAGES/django.po`, with the interface's (CI fails on an untranslated
entry). Country names come from `ctms.labels.country_name`, as in the interface.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils import translation
from django.utils.translation import gettext, gettext_noop, pgettext_lazy

from ctms.labels import country_name

LANGUAGES = ("en", "km")

SECTIONS = {
    "law_enforcement": gettext_noop("Law enforcement"),
    "victim_protection": gettext_noop("Victim protection"),
    "justice": gettext_noop("Justice"),
    "prevention": gettext_noop("Prevention"),
    "child_affairs": gettext_noop("Child affairs"),
}

# Labels of the dotted keys (SPEC section 4); breakdown entries are labelled by `entry_label`.
LABELS = {
    "law_enforcement.operations": gettext_noop("Operations"),
    "law_enforcement.cases_investigated": gettext_noop("Cases investigated"),
    "law_enforcement.suspects_detained.total": gettext_noop("Suspects detained"),
    "law_enforcement.suspects_detained.female": gettext_noop("Suspects detained, female"),
    "law_enforcement.suspects_detained.foreign": gettext_noop("Suspects detained, foreign"),
    "law_enforcement.suspects_detained.by_citizenship": gettext_noop(
        "Foreign suspects by citizenship"
    ),
    "law_enforcement.victims_rescued.total": gettext_noop("Victims rescued"),
    "law_enforcement.victims_rescued.female": gettext_noop("Victims rescued, female"),
    "law_enforcement.victims_rescued.by_age_band": gettext_noop("Victims rescued by age"),
    "law_enforcement.victims_rescued.by_placement": gettext_noop("Rescues by placement"),
    "victim_protection.repatriated_victims.total": gettext_noop("Repatriated victims"),
    "victim_protection.repatriated_victims.female": gettext_noop("Repatriated victims, female"),
    "victim_protection.repatriated_victims.children": gettext_noop("Repatriated victims, children"),
    "victim_protection.repatriated_victims.by_country": gettext_noop(
        "Repatriated victims by country"
    ),
    "victim_protection.returned_migrants.total": gettext_noop("Returned migrants"),
    "victim_protection.returned_migrants.children": gettext_noop("Returned migrants, children"),
    "victim_protection.returned_migrants.by_country": gettext_noop("Returned migrants by country"),
    "victim_protection.referrals.total": gettext_noop("Referrals"),
    "victim_protection.referrals.by_partner": gettext_noop("Referrals by partner"),
    "victim_protection.reintegration.monitored.total": gettext_noop("Reintegrated, monitored"),
    "victim_protection.reintegration.monitored.female": gettext_noop(
        "Reintegrated, monitored, female"
    ),
    "victim_protection.reintegration.family_tracing": gettext_noop("Family tracing"),
    "victim_protection.reintegration.family_assessed": gettext_noop("Families assessed"),
    "victim_protection.cases_opened": gettext_noop("Cases opened"),
    "victim_protection.cases_closed": gettext_noop("Cases closed"),
    "victim_protection.cases_open_at_end": gettext_noop("Cases open at the end"),
    "victim_protection.deportees.total": gettext_noop("Deportees"),
    "victim_protection.deportees.female": gettext_noop("Deportees, female"),
    "victim_protection.deportees.children": gettext_noop("Deportees, children"),
    "victim_protection.deportees.detained_over_month": gettext_noop(
        "Deportees detained over a month"
    ),
    "victim_protection.deportees.by_country": gettext_noop("Deportees by country"),
    "justice.cases_prosecuted": gettext_noop("Cases prosecuted"),
    "justice.defendants": gettext_noop("Defendants"),
    "justice.defendants_female": gettext_noop("Defendants, female"),
    "justice.convictions": gettext_noop("Convictions"),
    "prevention.activities": gettext_noop("Prevention activities"),
    "prevention.participants.total": gettext_noop("Participants"),
    "prevention.participants.female": gettext_noop("Participants, female"),
    "prevention.by_kind": gettext_noop("Participants by kind of activity"),
    "child_affairs.child_labour_withdrawn.total": gettext_noop("Children withdrawn from labour"),
    "child_affairs.child_labour_withdrawn.girls": gettext_noop("Girls withdrawn from labour"),
    "child_affairs.child_labour_withdrawn.boys": gettext_noop("Boys withdrawn from labour"),
}

CODES = {
    "under_15": gettext_noop("under 15"),
    "15_17": gettext_noop("15 to 17"),
    "18_plus": gettext_noop("18 and over"),
    "unknown": gettext_noop("age unknown"),
    "dosvy": gettext_noop("DoSVY"),
    "ngo": gettext_noop("NGOs"),
    "family": gettext_noop("families"),
    "other": gettext_noop("other"),
    "awareness_raising": gettext_noop("Awareness raising"),
    "training": gettext_noop("Training"),
    "media": gettext_noop("Media"),
    "campaign": gettext_noop("Campaign"),
    "inspection": gettext_noop("Inspection"),
    "meeting": gettext_noop("Meeting"),
}


def tr(text: str, language: str) -> str:
    """`text` (a msgid, or a lazy translation) in `language`, from the gettext catalogue."""
    with translation.override(language):
        return gettext(text) if isinstance(text, str) else str(text)


def number(value: int | float | None) -> str:
    return "–" if value is None else f"{value:,}"


def entry_label(code: str, language: str) -> str:
    """A breakdown key: a code of the report, a country (ISO 3166-1) or an agency acronym."""
    if code in CODES:
        return tr(CODES[code], language)
    if len(code) == 3 and code.isupper():
        with translation.override(language):
            return country_name(code)
    return code


def label(key: str, language: str) -> str:
    """The label of a dotted key, breakdown entries included (`…by_country.THA`)."""
    if key in LABELS:
        return tr(LABELS[key], language)
    parent, _, code = key.rpartition(".")
    return f"{tr(LABELS.get(parent, parent), language)}: {entry_label(code, language)}"


def listing(items: list[str], language: str) -> str:
    """ "a, b and c" (Khmer: "a b និង c")."""
    if len(items) <= 1:
        return "".join(items)
    separator = " " if language == "km" else ", "
    return f"{separator.join(items[:-1])} {tr('and', language)} {items[-1]}"


def counted(breakdown: dict[str, int], language: str) -> str:
    """`{"GBR": 4, "USA": 4}` → "4 United Kingdom and 4 United States"."""
    items = [f"{number(n)} {entry_label(code, language)}" for code, n in breakdown.items()]
    return listing(items, language)


def change(report: dict[str, Any], key: str, unit: str, language: str) -> str:
    """ "a reduction of 5 cases from 2009 (165 cases in 2009)" or its increase/no-change form."""
    item = report["changes"][key]
    year = period_name(report["previous_period"]["label"], language)
    values = {
        "n": number(abs(item["change"])),
        "unit": tr(UNITS[unit], language),
        "year": year,
        "previous": number(item["previous"]),
        "pct": "" if item["change_pct"] is None else f"{abs(item['change_pct']):.2f}",
    }
    if item["previous"] == 0:
        template = NONE_BEFORE
    elif item["change"] > 0:
        template = INCREASE
    elif item["change"] < 0:
        template = REDUCTION
    else:
        template = NO_CHANGE
    return tr(template, language) % values


def period_name(label: str, language: str) -> str:
    """A period as the sentence names it: "2009" and "2009-Q3" in English; in Khmer "ឆ្នាំ 2009"
    and "ត្រីមាសទី3 ឆ្នាំ2009" (never "year 2009-Q3"); a date range as written."""
    found = re.fullmatch(r"(\d{4})(?:-Q([1-4]))?", label)
    if not found:
        return label
    year, quarter = found.groups()
    if quarter:
        return tr(QUARTER, language) % {"year": year, "quarter": quarter}
    return tr(YEAR, language) % {"year": year}


YEAR = pgettext_lazy("report period", "%(year)s")
QUARTER = pgettext_lazy("report period", "%(year)s-Q%(quarter)s")
NONE_BEFORE = gettext_noop("none in %(year)s")
INCREASE = gettext_noop(
    "an increase of %(n)s %(unit)s or %(pct)s%% from %(year)s (%(previous)s in %(year)s)"
)
REDUCTION = gettext_noop(
    "a reduction of %(n)s %(unit)s or %(pct)s%% from %(year)s (%(previous)s in %(year)s)"
)
NO_CHANGE = gettext_noop("no change from %(year)s")
gettext_noop("and")
# What a change counts, after its number (Khmer counts people with the classifier "នាក់").
UNITS = {
    "cases": pgettext_lazy("report unit", "cases"),
    "suspects": pgettext_lazy("report unit", "suspects"),
    "victims": pgettext_lazy("report unit", "victims"),
    "people": pgettext_lazy("report unit", "people"),
    "children": pgettext_lazy("report unit", "children"),
}
