"""The report's sentences, one list per section, in the manner of the committee's presentation."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_noop

from .wording import change, counted, number, tr

LAW_ENFORCEMENT = gettext_noop(
    "Police investigated and cracked down on human trafficking and sexual exploitation in "
    "%(cases)s cases (%(operations)s operations), detained %(suspects)s suspects (F=%(female)s), "
    "%(cases_change)s and %(suspects_change)s, which comprised of %(foreign)s foreign suspects "
    "%(foreign_list)s, and rescued %(victims)s victims (F=%(victims_female)s), "
    "%(victims_change)s."
)
RESCUED = gettext_noop(
    "By age at rescue, the victims were: %(bands)s. Among the rescues, the victims were "
    "placed with: %(placements)s."
)
REPATRIATED = gettext_noop(
    "Received %(total)s (children = %(children)s, F=%(female)s) victims and at-risk persons "
    "repatriated from %(countries)s, %(change)s."
)
MIGRANTS = gettext_noop(
    "Received %(total)s returned migrants (children = %(children)s) from %(countries)s, %(change)s."
)
REFERRALS = gettext_noop("Made %(total)s referrals to partners: %(partners)s, %(change)s.")
REINTEGRATION = gettext_noop(
    "Monitored %(monitored)s (F=%(female)s) victims and clients reintegrated into their family "
    "and community, of whom %(tracing)s were searching for families and %(assessed)s were "
    "provided with family assessment; %(opened)s cases were opened, %(closed)s were closed and "
    "%(open)s remained open."
)
DEPORTEES = gettext_noop(
    "Border provinces received %(total)s deportees (F=%(female)s; children under the age of "
    "18 = %(children)s) from %(countries)s, %(change)s. Deportees jailed for more than a month "
    "before being deported: %(detained)s."
)
JUSTICE = gettext_noop(
    "Courts prosecuted %(cases)s human trafficking related cases involving %(defendants)s "
    "suspects (F=%(female)s), %(cases_change)s and %(defendants_change)s; %(convictions)s "
    "defendants were convicted."
)
PREVENTION = gettext_noop(
    "%(activities)s prevention activities reached %(total)s people (F=%(female)s), "
    "%(change)s: %(kinds)s."
)
CHILD_LABOUR = gettext_noop(
    "Withdrew %(total)s (boys = %(boys)s, girls = %(girls)s) children from the worst forms of "
    "child labour, %(change)s."
)


def law_enforcement(report: dict[str, Any], language: str) -> list[str]:
    figures = report["figures"]["law_enforcement"]
    suspects, victims = figures["suspects_detained"], figures["victims_rescued"]
    key = "law_enforcement."
    first = tr(LAW_ENFORCEMENT, language) % {
        "cases": number(figures["cases_investigated"]),
        "operations": number(figures["operations"]),
        "suspects": number(suspects["total"]),
        "female": number(suspects["female"]),
        "cases_change": change(report, f"{key}cases_investigated", "cases", language),
        "suspects_change": change(report, f"{key}suspects_detained.total", "suspects", language),
        "foreign": number(suspects["foreign"]),
        "foreign_list": f"({counted(suspects['by_citizenship'], language)})"
        if suspects["by_citizenship"]
        else "",
        "victims": number(victims["total"]),
        "victims_female": number(victims["female"]),
        "victims_change": change(report, f"{key}victims_rescued.total", "victims", language),
    }
    second = tr(RESCUED, language) % {
        "bands": counted(victims["by_age_band"], language) or "–",
        "placements": counted(victims["by_placement"], language) or "–",
    }
    return [first, second]


def victim_protection(report: dict[str, Any], language: str) -> list[str]:
    figures = report["figures"]["victim_protection"]
    key = "victim_protection."
    victims, migrants = figures["repatriated_victims"], figures["returned_migrants"]
    reintegration, deportees = figures["reintegration"], figures["deportees"]
    return [
        tr(REPATRIATED, language)
        % {
            **_numbers(victims),
            "countries": counted(victims["by_country"], language) or "–",
            "change": change(report, f"{key}repatriated_victims.total", "victims", language),
        },
        tr(MIGRANTS, language)
        % {
            **_numbers(migrants),
            "countries": counted(migrants["by_country"], language) or "–",
            "change": change(report, f"{key}returned_migrants.total", "people", language),
        },
        tr(REFERRALS, language)
        % {
            "total": number(figures["referrals"]["total"]),
            "partners": counted(figures["referrals"]["by_partner"], language) or "–",
            "change": change(report, f"{key}referrals.total", "victims", language),
        },
        tr(REINTEGRATION, language)
        % {
            "monitored": number(reintegration["monitored"]["total"]),
            "female": number(reintegration["monitored"]["female"]),
            "tracing": number(reintegration["family_tracing"]),
            "assessed": number(reintegration["family_assessed"]),
            "opened": number(figures["cases_opened"]),
            "closed": number(figures["cases_closed"]),
            "open": number(figures["cases_open_at_end"]),
        },
        tr(DEPORTEES, language)
        % {
            **_numbers(deportees),
            "detained": number(deportees["detained_over_month"]),
            "countries": counted(deportees["by_country"], language) or "–",
            "change": change(report, f"{key}deportees.total", "people", language),
        },
    ]


def justice(report: dict[str, Any], language: str) -> list[str]:
    figures = report["figures"]["justice"]
    sentence = tr(JUSTICE, language) % {
        "cases": number(figures["cases_prosecuted"]),
        "defendants": number(figures["defendants"]),
        "female": number(figures["defendants_female"]),
        "cases_change": change(report, "justice.cases_prosecuted", "cases", language),
        "defendants_change": change(report, "justice.defendants", "suspects", language),
        "convictions": number(figures["convictions"]),
    }
    return [sentence]


def prevention(report: dict[str, Any], language: str) -> list[str]:
    figures = report["figures"]["prevention"]
    sentence = tr(PREVENTION, language) % {
        "activities": number(figures["activities"]),
        **_numbers(figures["participants"]),
        "change": change(report, "prevention.participants.total", "people", language),
        "kinds": counted(figures["by_kind"], language) or "–",
    }
    return [sentence]


def child_affairs(report: dict[str, Any], language: str) -> list[str]:
    withdrawn = report["figures"]["child_affairs"]["child_labour_withdrawn"]
    key = "child_affairs.child_labour_withdrawn.total"
    sentence = tr(CHILD_LABOUR, language) % {
        **_numbers(withdrawn),
        "change": change(report, key, "children", language),
    }
    return [sentence]


def _numbers(figures: dict[str, Any]) -> dict[str, str]:
    return {name: number(value) for name, value in figures.items() if not isinstance(value, dict)}


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
