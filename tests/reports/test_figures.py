"""The figures of SPEC section 4, key by key, at their edges (runs on SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt

import pytest

from cases.models import Defendant
from reports.figures import build_report, change_pct, compute_figures, flatten
from reports.periods import parse_period
from tests.factories import (
    ActivityFactory,
    CaseFactory,
    DeporteeReportFactory,
    FollowUpFactory,
    OperationFactory,
    ProsecutionFactory,
    ReferralFactory,
    RepatriationFactory,
    RescueFactory,
    SuspectFactory,
    VictimFactory,
)

Q3 = (dt.date(2010, 7, 1), dt.date(2010, 9, 30))
pytestmark = pytest.mark.django_db


def figures(period=Q3) -> dict[str, int]:
    return flatten(compute_figures(*period))


def test_given_nothing_when_computing_then_every_key_is_zero_and_breakdowns_empty():
    flat = figures()
    assert flat["law_enforcement.operations"] == 0
    assert flat["victim_protection.deportees.total"] == 0
    assert flat["child_affairs.child_labour_withdrawn.boys"] == 0
    assert compute_figures(*Q3)["law_enforcement"]["victims_rescued"]["by_age_band"] == {}
    assert sorted(flat) == sorted(EXPECTED_SCALAR_KEYS)


EXPECTED_SCALAR_KEYS = [
    "law_enforcement.operations",
    "law_enforcement.cases_investigated",
    "law_enforcement.suspects_detained.total",
    "law_enforcement.suspects_detained.female",
    "law_enforcement.suspects_detained.foreign",
    "law_enforcement.victims_rescued.total",
    "law_enforcement.victims_rescued.female",
    "victim_protection.repatriated_victims.total",
    "victim_protection.repatriated_victims.female",
    "victim_protection.repatriated_victims.children",
    "victim_protection.returned_migrants.total",
    "victim_protection.returned_migrants.children",
    "victim_protection.referrals.total",
    "victim_protection.reintegration.monitored.total",
    "victim_protection.reintegration.monitored.female",
    "victim_protection.reintegration.family_tracing",
    "victim_protection.reintegration.family_assessed",
    "victim_protection.cases_opened",
    "victim_protection.cases_closed",
    "victim_protection.cases_open_at_end",
    "victim_protection.deportees.total",
    "victim_protection.deportees.female",
    "victim_protection.deportees.children",
    "victim_protection.deportees.detained_over_month",
    "justice.cases_prosecuted",
    "justice.defendants",
    "justice.defendants_female",
    "justice.convictions",
    "prevention.activities",
    "prevention.participants.total",
    "prevention.participants.female",
    "child_affairs.child_labour_withdrawn.total",
    "child_affairs.child_labour_withdrawn.girls",
    "child_affairs.child_labour_withdrawn.boys",
]


def test_operations_on_the_quarter_boundaries_count_and_those_outside_do_not():
    case = CaseFactory()
    for day in (dt.date(2010, 6, 30), dt.date(2010, 7, 1), dt.date(2010, 9, 30)):
        OperationFactory(date=day, case=case)
    OperationFactory(date=dt.date(2010, 10, 1), case=None)
    flat = figures()
    assert flat["law_enforcement.operations"] == 2
    assert flat["law_enforcement.cases_investigated"] == 1


def test_a_suspect_detained_twice_counts_once_and_foreigners_by_citizenship():
    khmer = SuspectFactory(sex="female", citizenship="KHM")
    british = SuspectFactory(sex="male", citizenship="GBR")
    unknown = SuspectFactory(sex="male", citizenship="")
    first = OperationFactory(date=dt.date(2010, 7, 5))
    second = OperationFactory(date=dt.date(2010, 8, 5))
    first.suspects_detained.add(khmer, british, unknown)
    second.suspects_detained.add(khmer, british)
    detained = compute_figures(*Q3)["law_enforcement"]["suspects_detained"]
    assert detained == {"total": 3, "female": 1, "foreign": 1, "by_citizenship": {"GBR": 1}}


def test_victim_rescued_twice_counts_once_banded_at_first_rescue_in_the_period():
    # Born 1995-08-20: 14 at a rescue on 2010-07-10, 15 at a rescue on 2010-09-01.
    victim = VictimFactory(date_of_birth=dt.date(1995, 8, 20), birth_year=None, sex="female")
    RescueFactory(victim=victim, operation=OperationFactory(date=dt.date(2010, 9, 1)))
    RescueFactory(
        victim=victim, operation=OperationFactory(date=dt.date(2010, 7, 10)), placement="ngo"
    )
    # Rescued in June (previous quarter) at 14: in Q3 the first rescue is still 2010-07-10.
    RescueFactory(victim=victim, operation=OperationFactory(date=dt.date(2010, 6, 1)))
    rescued = compute_figures(*Q3)["law_enforcement"]["victims_rescued"]
    assert rescued == {
        "total": 1,
        "female": 1,
        "by_age_band": {"under_15": 1},
        "by_placement": {"dosvy": 1, "ngo": 1},
    }


@pytest.mark.parametrize(
    ("date_of_birth", "birth_year", "band"),
    [
        (dt.date(1992, 8, 1), None, "18_plus"),  # 18th birthday on the rescue day
        (dt.date(1992, 8, 2), None, "15_17"),  # 18 the day after
        (dt.date(1995, 8, 1), None, "15_17"),  # 15th birthday on the rescue day
        (dt.date(1995, 8, 2), None, "under_15"),
        (None, 1992, "18_plus"),  # 2010 − 1992, whatever the day
        (None, 1993, "15_17"),
        (None, None, "unknown"),
    ],
)
def test_age_band_is_the_age_on_the_rescue_date(date_of_birth, birth_year, band):
    victim = VictimFactory(date_of_birth=date_of_birth, birth_year=birth_year)
    RescueFactory(victim=victim, operation=OperationFactory(date=dt.date(2010, 8, 1)))
    assert compute_figures(*Q3)["law_enforcement"]["victims_rescued"]["by_age_band"] == {band: 1}


def test_repatriations_children_by_age_on_the_day_received_and_by_country():
    turns_18 = VictimFactory(date_of_birth=dt.date(1992, 8, 15), birth_year=None, sex="female")
    RepatriationFactory(victim=turns_18, received_on=dt.date(2010, 8, 14), from_country="THA")
    RepatriationFactory(
        victim=VictimFactory(sex="male", birth_year=1980),
        received_on=dt.date(2010, 8, 15),
        from_country="VNM",
    )
    RepatriationFactory(
        kind="migrant",
        victim=VictimFactory(birth_year=2000),
        from_country="MYS",
        received_on=dt.date(2010, 9, 30),
    )
    RepatriationFactory(received_on=dt.date(2010, 10, 1))
    protection = compute_figures(*Q3)["victim_protection"]
    assert protection["repatriated_victims"] == {
        "total": 2,
        "female": 1,
        "children": 1,
        "by_country": {"THA": 1, "VNM": 1},
    }
    assert protection["returned_migrants"] == {"total": 1, "children": 1, "by_country": {"MYS": 1}}


def test_referrals_by_receiving_agency_acronym(world):
    for partner in (world.agencies.afesip, world.agencies.afesip, world.agencies.hagar):
        ReferralFactory(to_agency=partner, created_on=dt.date(2010, 7, 1))
    ReferralFactory(to_agency=world.agencies.hagar, created_on=dt.date(2010, 6, 30))
    referrals = compute_figures(*Q3)["victim_protection"]["referrals"]
    assert referrals == {"total": 3, "by_partner": {"AFESIP": 2, "Hagar": 1}}


def test_reintegration_counts_each_victim_once_per_kind():
    woman, man = VictimFactory(sex="female"), VictimFactory(sex="male")
    for day in (dt.date(2010, 7, 1), dt.date(2010, 8, 1)):
        FollowUpFactory(victim=woman, date=day, kind="monitoring")
    FollowUpFactory(victim=man, date=dt.date(2010, 8, 1), kind="monitoring")
    FollowUpFactory(victim=man, date=dt.date(2010, 8, 2), kind="family_tracing")
    FollowUpFactory(victim=man, date=dt.date(2010, 8, 3), kind="family_assessment")
    FollowUpFactory(victim=woman, date=dt.date(2010, 10, 1), kind="family_assessment")
    assert compute_figures(*Q3)["victim_protection"]["reintegration"] == {
        "monitored": {"total": 2, "female": 1},
        "family_tracing": 1,
        "family_assessed": 1,
    }


def test_cases_opened_closed_and_open_at_the_end_of_the_period():
    CaseFactory(opened_on=dt.date(2010, 1, 1))  # open throughout
    CaseFactory(opened_on=dt.date(2010, 7, 1), closed_on=dt.date(2010, 9, 30))  # both in Q3
    CaseFactory(opened_on=dt.date(2010, 9, 30), closed_on=dt.date(2010, 10, 1))  # open at end
    CaseFactory(opened_on=dt.date(2010, 1, 1), closed_on=dt.date(2010, 6, 30))  # closed before
    CaseFactory(opened_on=dt.date(2010, 10, 1))  # after
    CaseFactory(opened_on=dt.date(2010, 10, 1), closed_on=dt.date(2010, 12, 1))  # after, closed
    flat = figures()
    assert flat["victim_protection.cases_opened"] == 2
    assert flat["victim_protection.cases_closed"] == 1
    assert flat["victim_protection.cases_open_at_end"] == 2


def test_deportees_sum_the_months_of_the_period():
    DeporteeReportFactory(month="2010-07", from_country="THA", total=100, female=30, children=10)
    DeporteeReportFactory(
        month="2010-09", from_country="VNM", total=50, female=5, children=0, detained_over_month=7
    )
    DeporteeReportFactory(month="2010-10", from_country="THA", total=999)
    DeporteeReportFactory(month="2010-06", from_country="THA", total=999)
    assert compute_figures(*Q3)["victim_protection"]["deportees"] == {
        "total": 150,
        "female": 35,
        "children": 10,
        "detained_over_month": 7,
        "by_country": {"THA": 100, "VNM": 50},
    }


def test_justice_defendants_of_filed_prosecutions_and_convictions_by_verdict_date():
    filed_before = ProsecutionFactory(filed_on=dt.date(2010, 3, 1))
    filed_in = ProsecutionFactory(filed_on=dt.date(2010, 7, 1))
    woman = SuspectFactory(sex="female")
    Defendant.objects.create(prosecution=filed_in, suspect=woman)
    Defendant.objects.create(prosecution=filed_in, suspect=SuspectFactory())
    Defendant.objects.create(
        prosecution=filed_before, suspect=woman, verdict="convicted", verdict_on=dt.date(2010, 9, 1)
    )
    Defendant.objects.create(
        prosecution=filed_before,
        suspect=SuspectFactory(),
        verdict="acquitted",
        verdict_on=dt.date(2010, 9, 1),
    )
    assert compute_figures(*Q3)["justice"] == {
        "cases_prosecuted": 1,
        "defendants": 2,
        "defendants_female": 1,
        "convictions": 1,
    }


def test_prevention_excludes_child_labour_withdrawal_which_child_affairs_counts():
    ActivityFactory(kind="training", participants_total=30, participants_female=10)
    ActivityFactory(kind="awareness_raising", participants_total=100, participants_female=40)
    ActivityFactory(kind="meeting", participants_total=0, participants_female=0)
    ActivityFactory(kind="child_labour_withdrawal", participants_total=55, participants_female=20)
    result = compute_figures(*Q3)
    assert result["prevention"] == {
        "activities": 3,
        "participants": {"total": 130, "female": 50},
        "by_kind": {"awareness_raising": 100, "training": 30},  # meeting has 0: not listed
    }
    assert result["child_affairs"] == {
        "child_labour_withdrawn": {"total": 55, "girls": 20, "boys": 35}
    }


def test_change_pct_rounds_to_two_places_and_is_none_without_previous():
    assert change_pct(163, 97) == 68.04
    assert change_pct(160, 165) == -3.03
    assert change_pct(5, 0) is None
    assert change_pct(0, 0) is None


def test_report_compares_with_the_same_quarter_a_year_earlier():
    OperationFactory(date=dt.date(2009, 8, 1))
    OperationFactory(date=dt.date(2009, 8, 2))
    OperationFactory(date=dt.date(2010, 8, 1))
    report = build_report(parse_period("2010-Q3"))
    assert report["period"] == {"label": "2010-Q3", "start": "2010-07-01", "end": "2010-09-30"}
    assert report["previous_period"] == {
        "label": "2009-Q3",
        "start": "2009-07-01",
        "end": "2009-09-30",
    }
    assert report["changes"]["law_enforcement.operations"] == {
        "value": 1,
        "previous": 2,
        "change": -1,
        "change_pct": -50.0,
    }
    assert report["changes"]["justice.convictions"]["change_pct"] is None


def test_year_boundaries_and_the_previous_year():
    for day in (dt.date(2009, 1, 1), dt.date(2009, 12, 31), dt.date(2010, 1, 1)):
        OperationFactory(date=day)
    OperationFactory(date=dt.date(2010, 12, 31))
    OperationFactory(date=dt.date(2011, 1, 1))
    report = build_report(parse_period("2010"))
    assert report["changes"]["law_enforcement.operations"] == {
        "value": 2,
        "previous": 2,
        "change": 0,
        "change_pct": 0.0,
    }


def test_deportee_months_of_a_date_range_are_those_starting_in_it():
    for month in ("2010-01", "2010-02", "2010-06", "2010-07"):
        DeporteeReportFactory(month=month, total=1, female=0, children=0)

    def deportees(text: str) -> int:
        period = parse_period(text)
        return compute_figures(period.start, period.end)["victim_protection"]["deportees"]["total"]

    assert deportees("2010-01-01..2010-06-30") == 3
    assert deportees("2010-01-15..2010-06-30") == 2  # January starts before the range
    assert deportees("2010-01-15..2010-06-01") == 2  # June starts in it
