"""The report's sentences count in the right number, with the right noun, in English and Khmer."""

from __future__ import annotations

import re

import pytest

from reports.figures import compute_figures
from reports.periods import parse_period
from reports.sentences import sentences
from tests.reports.report_data import figures, report


def text_of(data, language: str) -> str:
    return " ".join(line for lines in sentences(data, language).values() for line in lines)


@pytest.fixture
def one_of_each():
    """One of every figure in 2010, two in 2009: every change is a reduction of 1."""
    return report(figures(1), figures(2))


@pytest.fixture
def several_of_each():
    """Seven of every figure in 2010, two in 2009: every change is an increase of 5."""
    return report(figures(7), figures(2))


def test_one_of_each_reads_in_the_singular_in_english(compiled_messages, one_of_each):
    text = text_of(one_of_each, "en")

    for phrase in [
        "in 1 case (1 operation), detained 1 suspect (F=1), "
        "a reduction of 1 case or 50.00% from 2009 (2 in 2009) and "
        "a reduction of 1 suspect or 50.00% from 2009 (2 in 2009)",
        "which comprised of 1 foreign suspect (by citizenship: Thailand 1)",
        "rescued 1 victim (F=1), a reduction of 1 victim or 50.00%",
        "By age at rescue: 1 victim aged 18 and over. Placements after rescue: 1 with an NGO.",
        "Received 1 victim or person at risk (children = 1, F=1) repatriated from Thailand (1), "
        "a reduction of 1 person",
        "Received 1 returned migrant (children = 1) from Vietnam (1)",
        "Made 1 referral to partners: 1 to AFESIP, a reduction of 1 referral or 50.00%",
        "Monitored 1 victim or client (F=1) reintegrated into their family and community, of "
        "whom 1 was searching for a family and 1 was provided with a family assessment; "
        "1 case was opened, 1 was closed and 1 remained open.",
        "received 1 deportee (F=1; children under the age of 18 = 1) from Thailand (1), "
        "a reduction of 1 deportee",
        "Courts prosecuted 1 human trafficking related case involving 1 suspect (F=1)",
        "1 defendant was convicted.",
        "1 prevention activity reached 1 person (F=1), a reduction of 1 person",
        "Participants by kind of activity: Training (1).",
        "Withdrew 1 child (boys = 1, girls = 1)",
    ]:
        assert phrase in text
    for wrong in ["1 cases", "1 operations", "1 suspects", "1 victims", "1 referrals", "1 Thai"]:
        assert wrong not in text


def test_several_of_each_read_in_the_plural_in_english(compiled_messages, several_of_each):
    text = text_of(several_of_each, "en")

    for phrase in [
        "in 7 cases (7 operations), detained 7 suspects (F=7), "
        "an increase of 5 cases or 250.00% from 2009 (2 in 2009) and "
        "an increase of 5 suspects or 250.00% from 2009 (2 in 2009)",
        "which comprised of 7 foreign suspects (by citizenship: Thailand 7)",
        "rescued 7 victims (F=7), an increase of 5 victims",
        "By age at rescue: 7 victims aged 18 and over. Placements after rescue: 7 with NGOs.",
        "Received 7 victims and persons at risk (children = 7, F=7) repatriated from "
        "Thailand (7), an increase of 5 people",
        "Made 7 referrals to partners: 7 to AFESIP, an increase of 5 referrals or 250.00%",
        "of whom 7 were searching for families and 7 were provided with family assessment; "
        "7 cases were opened, 7 were closed and 7 remained open.",
        "received 7 deportees",
        "an increase of 5 deportees",
        "Courts prosecuted 7 human trafficking related cases involving 7 suspects (F=7)",
        "7 defendants were convicted.",
        "7 prevention activities reached 7 people (F=7), an increase of 5 people",
        "Withdrew 7 children (boys = 7, girls = 7)",
    ]:
        assert phrase in text
    # a referral is not a victim: the change of the referrals counts referrals
    referrals = sentences(several_of_each, "en")["victim_protection"][2]
    assert referrals.startswith("Made 7 referrals") and "victim" not in referrals


@pytest.mark.parametrize("n", [1, 7])
def test_khmer_counts_with_its_one_form_and_its_classifiers(compiled_messages, n):
    data = report(figures(n), figures(2))
    change = "ថយចុះ 1" if n == 1 else "កើនឡើង 5"
    pct = "50.00%" if n == 1 else "250.00%"
    text = text_of(data, "km")

    for phrase in [
        f"ចំនួន {n} ករណី ({n} ប្រតិបត្តិការ) បានឃាត់ខ្លួនជនសង្ស័យ {n} នាក់ (ស្រី {n} នាក់) "
        f"{change} ករណី ឬ {pct} ធៀបនឹងឆ្នាំ 2009 (2 ក្នុងឆ្នាំ 2009)",
        f"ក្នុងនោះមានជនសង្ស័យជាជនបរទេស {n} នាក់ (តាមសញ្ជាតិ៖ ថៃ {n} នាក់)",
        f"តាមអាយុនៅពេលជួយសង្គ្រោះ៖ ជនរងគ្រោះអាយុ ១៨ ឆ្នាំឡើង {n} នាក់។",
        f"ដែលធ្វើមាតុភូមិនិវត្តន៍ពី ថៃ ({n} នាក់) {change} នាក់",
        f"បានធ្វើការបញ្ជូន {n} ករណី ទៅដៃគូ៖ ទៅ AFESIP {n} ករណី {change} ករណី",
        f"ក្នុងនោះ {n} នាក់កំពុងស្វែងរកគ្រួសារ",
        f"ខេត្តព្រំដែនបានទទួលអ្នកត្រូវបានបណ្តេញចេញ {n} នាក់",
        f"ហើយជនជាប់ចោទ {n} នាក់ត្រូវបានផ្តន្ទាទោស។",
        f"បានដកកុមារ {n} នាក់ (ប្រុស {n} នាក់ ស្រី {n} នាក់)",
    ]:
        assert phrase in text
    # no English left, and the year named once ("ឆ្នាំ 2009", never "ឆ្នាំ ឆ្នាំ 2009")
    assert re.findall(r"\b[a-z]{2,}\b", text) == []
    assert "ឆ្នាំ ឆ្នាំ" not in text and "ឆ្នាំឆ្នាំ" not in text


def test_a_figure_new_this_year_and_one_unchanged(compiled_messages):
    now, before = figures(3), figures(3)
    now["victim_protection"]["referrals"]["total"] = 1
    before["victim_protection"]["referrals"]["total"] = 0
    data = report(now, before)

    english, khmer = text_of(data, "en"), text_of(data, "km")

    assert "Made 1 referral to partners: 3 to AFESIP, up from 0 referrals in 2009." in english
    assert "detained 3 suspects (F=3), no change from 2009 and no change from 2009" in english
    assert "កើនឡើងពី 0 ករណី ក្នុងឆ្នាំ 2009។" in khmer
    assert "គ្មានការប្រែប្រួលធៀបនឹងឆ្នាំ 2009" in khmer


def test_breakdowns_read_as_phrases_in_their_order(compiled_messages):
    now = figures(
        4,
        by_age_band={"unknown": 1, "18_plus": 5, "under_15": 2},
        by_placement={"family": 3, "dosvy": 1},
        repatriated_by_country={"VNM": 2, "THA": 7},
        by_partner={"HCC": 1, "AFESIP": 4},
    )
    data = report(now, figures(4))

    english = text_of(data, "en")

    assert (
        "By age at rescue: 2 victims under 15, 5 victims aged 18 and over and "
        "1 victim of unknown age. Placements after rescue: 1 with DoSVY and "
        "3 with their families." in english
    )
    assert "repatriated from Thailand (7) and Vietnam (2)" in english
    assert "to partners: 4 to AFESIP and 1 to HCC" in english


def test_the_hand_made_figures_have_the_shape_of_the_computed_ones(db):
    period = parse_period("2010")

    def shape(value):
        if isinstance(value, dict):
            return {key: shape(item) for key, item in value.items() if not key.startswith("by_")}
        return type(value)

    assert shape(figures(0)) == shape(compute_figures(period.start, period.end))


def test_a_code_the_wording_does_not_know_reads_as_its_label_and_count(compiled_messages):
    data = report(figures(2, by_placement={"ngo": 1, "hospital": 3}), figures(2))

    placements = sentences(data, "en")["law_enforcement"][1]

    assert placements.endswith("Placements after rescue: 1 with an NGO and hospital (3).")
