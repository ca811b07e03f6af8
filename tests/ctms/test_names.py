"""Names in the interface language: every country (`country_name`) and every agency
(`local_name`, `agency_label`, the `agency` filter, the choosers), with the fallbacks."""

from __future__ import annotations

import io
import json
import unicodedata

import pycountry
import pytest
from django.core.management import call_command
from django.template import Context, Template
from django.utils import translation

from agencies.models import Agency
from agencies.reference import REFERENCE_FILE, reference_agencies
from ctms.labels import (
    COMMON_COUNTRIES,
    TRANSLATED_COUNTRIES,
    agency_label,
    country_choices,
    country_name,
    local_name,
)
from referrals.forms import ReferralForm
from tests.factories import AgencyFactory


def is_khmer_script(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(unicodedata.name(c).startswith("KHMER") for c in letters)


@pytest.mark.usefixtures("compiled_messages")
def test_every_country_has_a_khmer_name_in_khmer_script():
    with translation.override("km"):
        names = {c.alpha_3: country_name(c.alpha_3) for c in pycountry.countries}
    assert len(names) == len(pycountry.countries) > 240
    not_khmer = {code: name for code, name in names.items() if not is_khmer_script(name)}
    assert not_khmer == {}


@pytest.mark.usefixtures("compiled_messages")
@pytest.mark.parametrize(
    ("code", "english", "khmer"),
    [
        ("NGA", "Nigeria", "នីហ្សេរីយ៉ា"),  # beyond the catalogue: CLDR
        ("DEU", "Germany", "អាល្លឺម៉ង់"),
        ("PHL", "Philippines", "ហ្វ៊ីលីពីន"),
        ("BOL", "Bolivia", "បូលីវី"),  # pycountry's common name in English
    ],
)
def test_countries_beyond_the_catalogue_come_from_cldr_in_khmer(code, english, khmer):
    with translation.override("en"):
        assert country_name(code) == english
    with translation.override("km"):
        assert country_name(code) == khmer


@pytest.mark.usefixtures("compiled_messages")
def test_the_catalogue_keeps_its_own_translations():
    with translation.override("km"):
        for code, name in TRANSLATED_COUNTRIES.items():
            assert country_name(code) == str(name)
            assert is_khmer_script(country_name(code)), code
    with translation.override("en"):
        assert country_name("THA") == "Thailand"


def test_an_unknown_code_is_shown_as_it_is():
    with translation.override("km"):
        assert country_name("XXX") == "XXX"
        assert country_name("") == ""


@pytest.mark.usefixtures("compiled_messages")
def test_country_choices_in_khmer_list_the_region_first_then_every_country_in_khmer():
    with translation.override("km"):
        choices = country_choices(blank=False)
    assert [code for code, _ in choices[: len(COMMON_COUNTRIES)]] == list(COMMON_COUNTRIES)
    assert len(choices) == len(pycountry.countries)
    assert all(is_khmer_script(label) for _, label in choices)


# Agencies ---------------------------------------------------------------------------------


@pytest.fixture
def agencies(db):
    return (
        AgencyFactory(acronym="DoSVY-X", name="X Department", name_khmer="មន្ទីរ X"),
        AgencyFactory(acronym="NGO-X", name="Helping Hands", name_khmer=""),
    )


def test_local_name_and_label_follow_the_language_with_an_english_fallback(agencies):
    khmer, english_only = agencies
    with translation.override("km"):
        assert local_name(khmer) == "មន្ទីរ X"
        assert agency_label(khmer) == "DoSVY-X — មន្ទីរ X"
        assert local_name(english_only) == "Helping Hands"
        assert agency_label(english_only) == "NGO-X — Helping Hands"
    with translation.override("en"):
        assert local_name(khmer) == "X Department"
        assert agency_label(khmer) == "DoSVY-X — X Department"
    assert agency_label(None) == ""


def test_an_agency_named_by_its_acronym_only_is_not_repeated(db):
    bare = AgencyFactory(acronym="IOM", name="IOM", name_khmer="")
    assert agency_label(bare) == "IOM"


def test_the_agency_filter_titles_the_acronym_and_escapes(db):
    odd = AgencyFactory(acronym="A&B", name='<b>"Bold"</b>', name_khmer="")
    html = Template("{% load ctms_ui %}{{ a|agency }}").render(Context({"a": odd}))
    assert html == '<abbr title="&lt;b&gt;&quot;Bold&quot;&lt;/b&gt;">A&amp;B</abbr>'


def test_the_partner_chooser_offers_khmer_names_in_khmer(agencies):
    partner = AgencyFactory(
        acronym="AFX", name="Agir X", name_khmer="អាហ្វេស៊ីប X", accepts_referrals=True,
        services=["shelter"],
    )  # fmt: skip
    with translation.override("km"):
        form = ReferralForm(
            initial={"services_requested": ["shelter"]}, cases=Agency.objects.none()
        )
        labels = [label for _, label in form.fields["to_agency"].choices]
    assert "AFX — អាហ្វេស៊ីប X" in labels
    assert partner.acronym not in labels


# Reference data ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_reference_agencies_get_every_khmer_name_the_file_gives():
    call_command("load_reference_data", stdout=io.StringIO())
    expected = {
        item["acronym"]: item["name_khmer"]
        for item in reference_agencies(json.loads(REFERENCE_FILE.read_text(encoding="utf-8")))
    }
    stored = dict(Agency.objects.values_list("acronym", "name_khmer"))
    assert stored == expected
    named = [acronym for acronym, khmer in expected.items() if khmer]
    assert len(named) >= 20 + 4 * 25  # the national bodies and four agencies per province
    assert all(is_khmer_script(stored[acronym].replace(" ", "")) for acronym in named)
    with translation.override("km"):
        # Without a Khmer name in the file, the English one is shown.
        afesip = Agency.objects.get(acronym="AFESIP")
        assert local_name(afesip) == afesip.name


@pytest.mark.usefixtures("compiled_messages")
def test_the_change_history_names_countries_and_provinces(world):
    from ctms.history import change_history
    from tests.factories import VictimFactory
    from victims.services import victim_update

    victim = VictimFactory(agency=world.agencies.dosvy_bmc, citizenship="KHM", home_province="")
    victim_update(
        user=world.users.alice,
        victim_id=victim.pk,
        data={"citizenship": "NGA", "home_province": "01"},
    )
    with translation.override("km"):
        changes = {c.label: (c.before, c.after) for c in change_history(victim)[0].changes}
    assert ("កម្ពុជា", "នីហ្សេរីយ៉ា") in changes.values()
    assert ("—", "បន្ទាយមានជ័យ") in changes.values()
