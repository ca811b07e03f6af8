"""The report's sentences, one list per section, in the manner of the committee's presentation.

Each number is written with its noun in the plural form its count needs ("1 case", "2 cases";
Khmer has a single form), from `wording.COUNTS`; each change with its own unit
(`wording.change`), each breakdown as readable entries (`wording.entries`).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_noop

from .wording import COUNTS, change, counted, entries, number, tr

LAW_ENFORCEMENT = gettext_noop(
    "Police investigated and cracked down on human trafficking and sexual exploitation in "
    "%(cases)s (%(operations)s), detained %(suspects)s (F=%(female)s), %(cases_change)s and "
    "%(suspects_change)s, which comprised of %(foreign)s%(foreign_list)s, and rescued "
    "%(victims)s (F=%(victims_female)s), %(victims_change)s."
)
FOREIGN_LIST = gettext_noop(" (by citizenship: %(list)s)")
RESCUED = gettext_noop("By age at rescue: %(bands)s. Placements after rescue: %(placements)s.")
REPATRIATED = gettext_noop(
    "Received %(people)s (children = %(children)s, F=%(female)s) repatriated from "
    "%(countries)s, %(change)s."
)
MIGRANTS = gettext_noop(
    "Received %(migrants)s (children = %(children)s) from %(countries)s, %(change)s."
)
REFERRALS = gettext_noop("Made %(referrals)s to partners: %(partners)s, %(change)s.")
REINTEGRATION = gettext_noop(
    "Monitored %(monitored)s (F=%(female)s) reintegrated into their family and community, of "
    "whom %(tracing)s and %(assessed)s; %(opened)s, %(closed)s and %(open)s."
)
DEPORTEES = gettext_noop(
    "Border provinces received %(deportees)s (F=%(female)s; children under the age of 18 = "
    "%(children)s) from %(countries)s, %(change)s. Deportees jailed for more than a month "
    "before being deported: %(detained)s."
)
JUSTICE = gettext_noop(
    "Courts prosecuted %(cases)s involving %(defendants)s (F=%(female)s), %(cases_change)s "
    "and %(defendants_change)s; %(convicted)s."
)
PREVENTION = gettext_noop(
    "%(activities)s reached %(people)s (F=%(female)s), %(change)s. Participants by kind of "
    "activity: %(kinds)s."
)
CHILD_LABOUR = gettext_noop(
    "Withdrew %(children)s (boys = %(boys)s, girls = %(girls)s) from the worst forms of child "
    "labour, %(change)s."
)


def law_enforcement(report: dict[str, Any], language: str) -> list[str]:
    figures = report["figures"]["law_enforcement"]
    suspects, victims = figures["suspects_detained"], figures["victims_rescued"]
    key = "law_enforcement."
    by_citizenship = suspects["by_citizenship"]
    first = tr(LAW_ENFORCEMENT, language) % {
        "cases": counted(COUNTS["cases"], figures["cases_investigated"], language),
        "operations": counted(COUNTS["operations"], figures["operations"], language),
        "suspects": counted(COUNTS["suspects"], suspects["total"], language),
        "female": number(suspects["female"]),
        "cases_change": change(report, f"{key}cases_investigated", "cases", language),
        "suspects_change": change(report, f"{key}suspects_detained.total", "suspects", language),
        "foreign": counted(COUNTS["foreign_suspects"], suspects["foreign"], language),
        "foreign_list": tr(FOREIGN_LIST, language)
        % {"list": entries("by_citizenship", by_citizenship, language)}
        if by_citizenship
        else "",
        "victims": counted(COUNTS["victims"], victims["total"], language),
        "victims_female": number(victims["female"]),
        "victims_change": change(report, f"{key}victims_rescued.total", "victims", language),
    }
    second = tr(RESCUED, language) % {
        "bands": entries("by_age_band", victims["by_age_band"], language),
        "placements": entries("by_placement", victims["by_placement"], language),
    }
    return [first, second]


def victim_protection(report: dict[str, Any], language: str) -> list[str]:
    figures = report["figures"]["victim_protection"]
    key = "victim_protection."
    victims, migrants = figures["repatriated_victims"], figures["returned_migrants"]
    reintegration, deportees = figures["reintegration"], figures["deportees"]
    monitored = reintegration["monitored"]
    return [
        tr(REPATRIATED, language)
        % {
            "people": counted(COUNTS["repatriated"], victims["total"], language),
            "children": number(victims["children"]),
            "female": number(victims["female"]),
            "countries": entries("by_country", victims["by_country"], language),
            "change": change(report, f"{key}repatriated_victims.total", "people", language),
        },
        tr(MIGRANTS, language)
        % {
            "migrants": counted(COUNTS["migrants"], migrants["total"], language),
            "children": number(migrants["children"]),
            "countries": entries("by_country", migrants["by_country"], language),
            "change": change(report, f"{key}returned_migrants.total", "people", language),
        },
        tr(REFERRALS, language)
        % {
            "referrals": counted(COUNTS["referrals"], figures["referrals"]["total"], language),
            "partners": entries("by_partner", figures["referrals"]["by_partner"], language),
            "change": change(report, f"{key}referrals.total", "referrals", language),
        },
        tr(REINTEGRATION, language)
        % {
            "monitored": counted(COUNTS["monitored"], monitored["total"], language),
            "female": number(monitored["female"]),
            "tracing": counted(COUNTS["tracing"], reintegration["family_tracing"], language),
            "assessed": counted(COUNTS["assessed"], reintegration["family_assessed"], language),
            "opened": counted(COUNTS["opened"], figures["cases_opened"], language),
            "closed": counted(COUNTS["closed"], figures["cases_closed"], language),
            "open": counted(COUNTS["open"], figures["cases_open_at_end"], language),
        },
        tr(DEPORTEES, language)
        % {
            "deportees": counted(COUNTS["deportees"], deportees["total"], language),
            "female": number(deportees["female"]),
            "children": number(deportees["children"]),
            "detained": number(deportees["detained_over_month"]),
            "countries": entries("by_country", deportees["by_country"], language),
            "change": change(report, f"{key}deportees.total", "deportees", language),
        },
    ]


def justice(report: dict[str, Any], language: str) -> list[str]:
    figures = report["figures"]["justice"]
    sentence = tr(JUSTICE, language) % {
        "cases": counted(COUNTS["prosecuted"], figures["cases_prosecuted"], language),
        "defendants": counted(COUNTS["suspects"], figures["defendants"], language),
        "female": number(figures["defendants_female"]),
        "cases_change": change(report, "justice.cases_prosecuted", "cases", language),
        "defendants_change": change(report, "justice.defendants", "suspects", language),
        "convicted": counted(COUNTS["convicted"], figures["convictions"], language),
    }
    return [sentence]


def prevention(report: dict[str, Any], language: str) -> list[str]:
    figures = report["figures"]["prevention"]
    participants = figures["participants"]
    sentence = tr(PREVENTION, language) % {
        "activities": counted(COUNTS["activities"], figures["activities"], language),
        "people": counted(COUNTS["people"], participants["total"], language),
        "female": number(participants["female"]),
        "change": change(report, "prevention.participants.total", "people", language),
        "kinds": entries("by_kind", figures["by_kind"], language),
    }
    return [sentence]


def child_affairs(report: dict[str, Any], language: str) -> list[str]:
    withdrawn = report["figures"]["child_affairs"]["child_labour_withdrawn"]
    key = "child_affairs.child_labour_withdrawn.total"
    sentence = tr(CHILD_LABOUR, language) % {
        "children": counted(COUNTS["children"], withdrawn["total"], language),
        "boys": number(withdrawn["boys"]),
        "girls": number(withdrawn["girls"]),
        "change": change(report, key, "children", language),
    }
    return [sentence]


SECTION_SENTENCES = {
    "law_enforcement": law_enforcement,
    "victim_protection": victim_protection,
    "justice": justice,
    "prevention": prevention,
    "child_affairs": child_affairs,
}


def sentences(report: dict[str, Any], language: str) -> dict[str, list[str]]:
    """`{section: [sentence, …]}` for the report JSON of SPEC section 4."""
    return {section: build(report, language) for section, build in SECTION_SENTENCES.items()}
