"""The rows of a section keep the section's order whichever year a breakdown entry comes from."""

from __future__ import annotations

import csv
import datetime as dt
import io

from reports.documents import render_csv, section_rows
from reports.figures import build_report
from reports.periods import parse_period
from tests.factories import AgencyFactory, ReferralFactory
from tests.reports.report_data import figures, report


def keys(data, section: str) -> list[str]:
    return [row.key for row in section_rows(data, section, "en")]


def test_a_partner_only_the_previous_year_had_stays_with_the_referrals():
    now = figures(3, by_partner={"HCC": 3})
    before = figures(3, by_partner={"AFESIP": 2, "HCC": 1, "Friends": 4})
    rows = keys(report(now, before), "victim_protection")

    start = rows.index("victim_protection.referrals.total")
    assert rows[start : start + 5] == [
        "victim_protection.referrals.total",
        "victim_protection.referrals.by_partner.HCC",  # this year's, largest first
        "victim_protection.referrals.by_partner.Friends",  # then last year's only, largest first
        "victim_protection.referrals.by_partner.AFESIP",
        "victim_protection.reintegration.monitored.total",
    ]
    assert rows[-1] == "victim_protection.deportees.by_country.THA"


def test_age_bands_and_placements_keep_their_code_order_across_years():
    now = figures(3, by_age_band={"18_plus": 5, "unknown": 1}, by_placement={"other": 2})
    before = figures(3, by_age_band={"under_15": 2}, by_placement={"family": 4, "dosvy": 1})
    rows = keys(report(now, before), "law_enforcement")

    assert [key.rpartition(".")[2] for key in rows if ".by_age_band." in key] == [
        "under_15",
        "18_plus",
        "unknown",
    ]
    assert [key.rpartition(".")[2] for key in rows if ".by_placement." in key] == [
        "dosvy",
        "family",
        "other",
    ]
    assert rows.index("law_enforcement.victims_rescued.by_placement.other") == len(rows) - 1


def test_every_row_of_the_changes_is_shown_once():
    data = report(figures(2, by_kind={"media": 1}), figures(1, by_kind={"training": 3}))

    shown = [key for section in data["figures"] for key in keys(data, section)]

    assert sorted(shown) == sorted(data["changes"])


def test_a_partner_referred_to_only_in_2009_is_listed_with_the_referrals_in_the_csv(db):
    # Given referrals to HCC in 2010 and to Friends in 2009 only
    ReferralFactory(to_agency=AgencyFactory(acronym="HCC", accepts_referrals=True))
    ReferralFactory(
        to_agency=AgencyFactory(acronym="Friends", accepts_referrals=True),
        created_on=dt.date(2009, 5, 1),
    )
    data = build_report(parse_period("2010"))
    # When the CSV is written
    lines = list(csv.reader(io.StringIO(render_csv(data, "en").decode("utf-8-sig"))))
    figure_keys = [line[1] for line in lines[1:]]
    # Then Friends follows HCC within the referrals, before the reintegration rows
    start = figure_keys.index("victim_protection.referrals.total")
    assert figure_keys[start : start + 4] == [
        "victim_protection.referrals.total",
        "victim_protection.referrals.by_partner.HCC",
        "victim_protection.referrals.by_partner.Friends",
        "victim_protection.reintegration.monitored.total",
    ]


def test_rows_keep_the_section_order_whatever_order_the_stored_figures_come_back_in():
    """PostgreSQL's jsonb gives a stored report's keys back sorted by length and name: the
    rows still follow the section's order."""
    from reports.documents import figure_keys
    from reports.wording import LABELS

    section = {
        "referrals": {"total": 1, "by_partner": {"AFESIP": 1}},
        "cases_closed": 2,
        "reintegration": {"monitored": {"total": 3, "female": 1}},
        "cases_opened": 4,
    }
    shuffled = dict(sorted(section.items(), key=lambda item: (len(item[0]), item[0])))
    keys = figure_keys(shuffled, {}, "victim_protection.")
    assert keys == [
        "victim_protection.referrals.total",
        "victim_protection.referrals.by_partner.AFESIP",
        "victim_protection.reintegration.monitored.total",
        "victim_protection.reintegration.monitored.female",
        "victim_protection.cases_opened",
        "victim_protection.cases_closed",
    ]
    assert [key for key in keys if key in LABELS] == [
        key for key in LABELS if key in keys
    ]
