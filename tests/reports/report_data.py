"""A report JSON (SPEC section 4) built from figures given by hand, for tests of its wording."""

from __future__ import annotations

from typing import Any

from reports.figures import changes


def figures(n: int, **breakdowns: dict[str, int]) -> dict[str, Any]:
    """Every scalar figure is `n`; each breakdown has one entry of `n` unless given."""
    by = {
        "by_citizenship": {"THA": n},
        "by_age_band": {"18_plus": n},
        "by_placement": {"ngo": n},
        "repatriated_by_country": {"THA": n},
        "migrants_by_country": {"VNM": n},
        "by_partner": {"AFESIP": n},
        "deportees_by_country": {"THA": n},
        "by_kind": {"training": n},
    }
    by.update(breakdowns)
    return {
        "law_enforcement": {
            "operations": n,
            "cases_investigated": n,
            "suspects_detained": {
                "total": n,
                "female": n,
                "foreign": n,
                "by_citizenship": by["by_citizenship"],
            },
            "victims_rescued": {
                "total": n,
                "female": n,
                "by_age_band": by["by_age_band"],
                "by_placement": by["by_placement"],
            },
        },
        "victim_protection": {
            "repatriated_victims": {
                "total": n,
                "female": n,
                "children": n,
                "by_country": by["repatriated_by_country"],
            },
            "returned_migrants": {
                "total": n,
                "children": n,
                "by_country": by["migrants_by_country"],
            },
            "referrals": {"total": n, "by_partner": by["by_partner"]},
            "reintegration": {
                "monitored": {"total": n, "female": n},
                "family_tracing": n,
                "family_assessed": n,
            },
            "cases_opened": n,
            "cases_closed": n,
            "cases_open_at_end": n,
            "deportees": {
                "total": n,
                "female": n,
                "children": n,
                "detained_over_month": n,
                "by_country": by["deportees_by_country"],
            },
        },
        "justice": {
            "cases_prosecuted": n,
            "defendants": n,
            "defendants_female": n,
            "convictions": n,
        },
        "prevention": {
            "activities": n,
            "participants": {"total": n, "female": n},
            "by_kind": by["by_kind"],
        },
        "child_affairs": {"child_labour_withdrawn": {"total": n, "girls": n, "boys": n}},
    }


def report(now: dict[str, Any], before: dict[str, Any]) -> dict[str, Any]:
    return {
        "period": {"label": "2010", "start": "2010-01-01", "end": "2010-12-31"},
        "previous_period": {"label": "2009", "start": "2009-01-01", "end": "2009-12-31"},
        "figures": now,
        "previous_figures": before,
        "changes": changes(now, before),
    }
