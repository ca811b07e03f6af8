"""The presentation's 2010 figures and their changes against 2009, from the committed data set
(tests/data/presentation_2009_2010.jsonl, written by tests/data/make_presentation.py)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command, get_commands

from agencies.models import Agency
from reports.figures import build_report
from reports.periods import parse_period
from reports.sentences import sentences
from tests.reports.presentation_loader import load_jsonl

DATA = Path(__file__).resolve().parents[1] / "data" / "presentation_2009_2010.jsonl"


def assert_the_presentations_figures() -> None:
    report = build_report(parse_period("2010"))
    law, protection = report["figures"]["law_enforcement"], report["figures"]["victim_protection"]
    assert (law["operations"], law["cases_investigated"]) == (160, 160)
    assert law["suspects_detained"] == {
        "total": 242,
        "female": 79,
        "foreign": 19,
        "by_citizenship": {
            "GBR": 4,
            "USA": 4,
            "AUS": 2,
            "JPN": 2,
            "CHE": 1,
            "CHN": 1,
            "DNK": 1,
            "LAO": 1,
            "NLD": 1,
            "NOR": 1,
            "ZAF": 1,
        },
    }
    assert law["victims_rescued"]["total"] == 686
    assert law["victims_rescued"]["by_age_band"] == {"under_15": 88, "15_17": 109, "18_plus": 489}
    assert law["victims_rescued"]["by_placement"] == {"dosvy": 301, "ngo": 24, "family": 361}
    assert protection["repatriated_victims"]["total"] == 459
    assert protection["repatriated_victims"]["children"] == 317
    assert (
        protection["returned_migrants"]["total"],
        protection["returned_migrants"]["children"],
    ) == (196, 127)
    assert protection["referrals"]["by_partner"] == {
        "WNU/CPN": 238,
        "AFESIP": 42,
        "HCC": 37,
        "CCPCR": 21,
        "MoSVY-PPC": 20,
        "Friends": 11,
        "WHI": 6,
        "Hagar": 2,
        "Our Home": 1,
    }
    assert protection["reintegration"] == {
        "monitored": {"total": 1611, "female": 996},
        "family_tracing": 237,
        "family_assessed": 165,
    }
    assert protection["cases_closed"] == 614
    deportees = protection["deportees"]
    assert (deportees["total"], deportees["female"], deportees["children"]) == (
        127053,
        38572,
        11871,
    )
    assert deportees["detained_over_month"] == 14552
    assert report["figures"]["justice"]["cases_prosecuted"] == 163
    assert report["figures"]["justice"]["defendants"] == 249
    assert report["figures"]["child_affairs"]["child_labour_withdrawn"] == {
        "total": 8471,
        "girls": 3546,
        "boys": 4925,
    }
    assert report["figures"]["prevention"]["participants"] == {"total": 76581, "female": 28013}
    # The changes the presentation states
    changes = report["changes"]
    assert changes["law_enforcement.cases_investigated"] == {
        "value": 160,
        "previous": 165,
        "change": -5,
        "change_pct": -3.03,
    }
    assert changes["law_enforcement.suspects_detained.total"]["change"] == 11
    assert changes["justice.cases_prosecuted"] == {
        "value": 163,
        "previous": 97,
        "change": 66,
        "change_pct": 68.04,
    }
    assert changes["justice.defendants"]["previous"] == 103
    assert changes["victim_protection.deportees.total"]["change"] == 24736
    assert changes["victim_protection.referrals.total"]["change_pct"] is None  # none in 2009
    # And the report says it the presentation's way
    text = " ".join(sentences(report, "en")["law_enforcement"])
    assert (
        "in 160 cases (160 operations), detained 242 suspects (F=79), a reduction of 5 cases or "
        "3.03% from 2009 (165 in 2009) and an increase of 11 suspects or 4.76% from 2009 "
        "(231 in 2009), which comprised of 19 foreign suspects (by citizenship: United Kingdom 4, "
        "United States 4, Australia 2, Japan 2" in text
    )
    assert "88 victims under 15, 109 victims aged 15 to 17 and 489 victims aged 18 and over" in text
    referrals = sentences(report, "en")["victim_protection"][2]
    assert "238 to WNU/CPN, 42 to AFESIP" in referrals
    assert "1 to Our Home, up from 0 referrals in 2009" in referrals
    justice = sentences(report, "en")["justice"][0]
    assert "prosecuted 163 human trafficking related cases involving 249 suspects" in justice
    assert "an increase of 66 cases or 68.04% from 2009 (97 in 2009)" in justice


def test_presentation_figures_from_the_data_set_loaded_directly(db):
    counts = load_jsonl(DATA)
    assert counts["victim"] == 2952
    assert_the_presentations_figures()


@pytest.mark.skipif("import_records" not in get_commands(), reason="import_records not merged yet")
def test_presentation_figures_after_import_records(db):
    call_command("import_records", str(DATA))
    assert_the_presentations_figures()


def test_presentation_figures_after_import_records_into_a_set_up_instance(db):
    # the reference agencies exist: the file's agency lines agree with them
    call_command("load_reference_data", stdout=io.StringIO())
    agencies = Agency.objects.count()
    call_command("import_records", str(DATA), stdout=io.StringIO())
    assert Agency.objects.count() == agencies + 6  # the police units, court and "Our Home"
    assert_the_presentations_figures()
