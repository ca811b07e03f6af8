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
from django.utils.translation import gettext, gettext_noop, npgettext_lazy, pgettext_lazy

from cases.choices import Placement
from ctms.labels import country_name
from victims.choices import AgeBand

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


def counted(phrase, n: int, language: str, **values: str) -> str:
    """A plural phrase of `COUNTS`, `CHANGE_UNITS` or `ENTRIES` for `n`, in `language`:
    "1 case", "2 cases" (Khmer has one form: "2 ករណី")."""
    with translation.override(language):
        return str(phrase % {"n": n, "count": number(n), **values})


def ordered_entries(name: str, now: dict[str, int], before: dict[str, int]) -> list[str]:
    """The codes of a breakdown (`by_age_band`, `by_partner`, …) over both periods, in the
    section's order: a code list's own order (age bands, placements), else largest first this
    period, then the codes only the previous period had, largest first (then by code)."""
    codes = [*now, *(code for code in before if code not in now)]
    if name in CODE_ORDER:
        position = {code: index for index, code in enumerate(CODE_ORDER[name])}
        return sorted(codes, key=lambda code: (position.get(code, len(position)), code))
    return sorted(codes, key=lambda code: (-now.get(code, 0), -before.get(code, 0), code))


def entries(name: str, breakdown: dict[str, int], language: str) -> str:
    """A breakdown as the sentences list it: "Thailand (7) and Vietnam (2)", "88 victims
    under 15 and 1 victim aged 15 to 17", "238 to WNU/CPN"; "–" when it is empty."""
    items = []
    for code in ordered_entries(name, breakdown, {}):
        # A code the wording does not know yet reads as "label (n)", as countries do.
        phrase = ENTRIES.get(f"{name}.{code}") or ENTRIES.get(name) or ENTRIES["by_country"]
        items.append(counted(phrase, breakdown[code], language, name=entry_label(code, language)))
    return listing(items, language) or "–"


def change(report: dict[str, Any], key: str, unit: str, language: str) -> str:
    """ "a reduction of 5 cases or 3.03% from 2009 (165 in 2009)", "an increase of 1 referral
    …", "up from 0 cases in 2009" or "no change from 2009"; `unit` is a key of `CHANGE_UNITS`."""
    item = report["changes"][key]
    year = period_name(report["previous_period"]["label"], language)
    values = {
        "amount": counted(CHANGE_UNITS[unit], abs(item["change"]), language),
        "year": year,
        "previous": number(item["previous"]),
        "pct": "" if item["change_pct"] is None else f"{abs(item['change_pct']):.2f}",
    }
    if item["change"] == 0:
        template = NO_CHANGE
    elif item["previous"] == 0:
        values["amount"] = counted(CHANGE_UNITS[unit], 0, language)
        template = NONE_BEFORE
    elif item["change"] > 0:
        template = INCREASE
    else:
        template = REDUCTION
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
NONE_BEFORE = gettext_noop("up from %(amount)s in %(year)s")
INCREASE = gettext_noop(
    "an increase of %(amount)s or %(pct)s%% from %(year)s (%(previous)s in %(year)s)"
)
REDUCTION = gettext_noop(
    "a reduction of %(amount)s or %(pct)s%% from %(year)s (%(previous)s in %(year)s)"
)
NO_CHANGE = gettext_noop("no change from %(year)s")
gettext_noop("and")

# What a change counts, after its number ("an increase of 11 suspects"; Khmer counts people with
# the classifier "នាក់": "កើនឡើង 11 នាក់"). `%(count)s` is the number as printed, `n` chooses the
# plural form (Khmer has one: Plural-Forms nplurals=1).
CHANGE_UNITS = {
    "cases": npgettext_lazy("report change", "%(count)s case", "%(count)s cases", "n"),
    "suspects": npgettext_lazy("report change", "%(count)s suspect", "%(count)s suspects", "n"),
    "victims": npgettext_lazy("report change", "%(count)s victim", "%(count)s victims", "n"),
    "people": npgettext_lazy("report change", "%(count)s person", "%(count)s people", "n"),
    "children": npgettext_lazy("report change", "%(count)s child", "%(count)s children", "n"),
    "referrals": npgettext_lazy("report change", "%(count)s referral", "%(count)s referrals", "n"),
    "deportees": npgettext_lazy("report change", "%(count)s deportee", "%(count)s deportees", "n"),
}

# The figures the sentences count, each with its noun ("160 cases", Khmer "160 ករណី";
# "242 suspects", Khmer "ជនសង្ស័យ 242 នាក់").
COUNTS = {
    "cases": npgettext_lazy("report count", "%(count)s case", "%(count)s cases", "n"),
    "operations": npgettext_lazy(
        "report count", "%(count)s operation", "%(count)s operations", "n"
    ),
    "suspects": npgettext_lazy("report count", "%(count)s suspect", "%(count)s suspects", "n"),
    "foreign_suspects": npgettext_lazy(
        "report count", "%(count)s foreign suspect", "%(count)s foreign suspects", "n"
    ),
    "victims": npgettext_lazy("report count", "%(count)s victim", "%(count)s victims", "n"),
    "repatriated": npgettext_lazy(
        "report count",
        "%(count)s victim or person at risk",
        "%(count)s victims and persons at risk",
        "n",
    ),
    "migrants": npgettext_lazy(
        "report count", "%(count)s returned migrant", "%(count)s returned migrants", "n"
    ),
    "referrals": npgettext_lazy("report count", "%(count)s referral", "%(count)s referrals", "n"),
    "monitored": npgettext_lazy(
        "report count", "%(count)s victim or client", "%(count)s victims and clients", "n"
    ),
    "tracing": npgettext_lazy(
        "report count",
        "%(count)s was searching for a family",
        "%(count)s were searching for families",
        "n",
    ),
    "assessed": npgettext_lazy(
        "report count",
        "%(count)s was provided with a family assessment",
        "%(count)s were provided with family assessment",
        "n",
    ),
    "opened": npgettext_lazy(
        "report count", "%(count)s case was opened", "%(count)s cases were opened", "n"
    ),
    "closed": npgettext_lazy("report count", "%(count)s was closed", "%(count)s were closed", "n"),
    "open": npgettext_lazy(
        "report count", "%(count)s remained open", "%(count)s remained open", "n"
    ),
    "deportees": npgettext_lazy("report count", "%(count)s deportee", "%(count)s deportees", "n"),
    "prosecuted": npgettext_lazy(
        "report count",
        "%(count)s human trafficking related case",
        "%(count)s human trafficking related cases",
        "n",
    ),
    "convicted": npgettext_lazy(
        "report count",
        "%(count)s defendant was convicted",
        "%(count)s defendants were convicted",
        "n",
    ),
    "activities": npgettext_lazy(
        "report count", "%(count)s prevention activity", "%(count)s prevention activities", "n"
    ),
    "people": npgettext_lazy("report count", "%(count)s person", "%(count)s people", "n"),
    "children": npgettext_lazy("report count", "%(count)s child", "%(count)s children", "n"),
}

# One entry of a breakdown in a sentence, by breakdown (or breakdown.code); `%(name)s` is the
# entry's label (a country, a partner's acronym, a kind of activity).
ENTRIES = {
    "by_citizenship": npgettext_lazy(
        "report entry", "%(name)s %(count)s", "%(name)s %(count)s", "n"
    ),
    "by_country": npgettext_lazy(
        "report entry", "%(name)s (%(count)s)", "%(name)s (%(count)s)", "n"
    ),
    "by_partner": npgettext_lazy(
        "report entry", "%(count)s to %(name)s", "%(count)s to %(name)s", "n"
    ),
    "by_kind": npgettext_lazy("report entry", "%(name)s (%(count)s)", "%(name)s (%(count)s)", "n"),
    "by_age_band.under_15": npgettext_lazy(
        "report entry", "%(count)s victim under 15", "%(count)s victims under 15", "n"
    ),
    "by_age_band.15_17": npgettext_lazy(
        "report entry", "%(count)s victim aged 15 to 17", "%(count)s victims aged 15 to 17", "n"
    ),
    "by_age_band.18_plus": npgettext_lazy(
        "report entry",
        "%(count)s victim aged 18 and over",
        "%(count)s victims aged 18 and over",
        "n",
    ),
    "by_age_band.unknown": npgettext_lazy(
        "report entry", "%(count)s victim of unknown age", "%(count)s victims of unknown age", "n"
    ),
    "by_placement.dosvy": npgettext_lazy(
        "report entry", "%(count)s with DoSVY", "%(count)s with DoSVY", "n"
    ),
    "by_placement.ngo": npgettext_lazy(
        "report entry", "%(count)s with an NGO", "%(count)s with NGOs", "n"
    ),
    "by_placement.family": npgettext_lazy(
        "report entry", "%(count)s with their family", "%(count)s with their families", "n"
    ),
    "by_placement.other": npgettext_lazy(
        "report entry", "%(count)s elsewhere", "%(count)s elsewhere", "n"
    ),
}

# Breakdowns listed in the order of their code list (SPEC section 4), not by size.
CODE_ORDER = {"by_age_band": AgeBand.values, "by_placement": Placement.values}
