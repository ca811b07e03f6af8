"""The agency's OSCaR alias (SPEC section 11): optional, unique across acronyms and aliases."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from agencies.selectors import agency_named
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


def test_an_agency_is_named_by_acronym_or_alias_in_any_case():
    cif = AgencyFactory(acronym="CIF-KH", oscar_short_name="cif")
    assert agency_named("cif-kh") == cif
    assert agency_named("CIF") == cif
    assert agency_named(" cif ") == cif
    assert agency_named("") is None
    assert agency_named("nobody") is None


def test_an_acronym_wins_over_another_agencys_alias():
    alias_holder = AgencyFactory(acronym="FCF", oscar_short_name="fcf-old")
    named = AgencyFactory(acronym="FCF-OLD")
    assert agency_named("fcf-old") == named
    assert agency_named("fcf") == alias_holder


def test_an_alias_may_not_be_another_agencys_acronym_or_alias():
    AgencyFactory(acronym="CIF", oscar_short_name="childreninfamilies")
    clash_acronym = AgencyFactory.build(acronym="OTHER", oscar_short_name="cif")
    with pytest.raises(ValidationError) as error:
        clash_acronym.clean()
    assert "oscar_short_name" in error.value.message_dict
    clash_alias = AgencyFactory.build(acronym="OTHER2", oscar_short_name="ChildrenInFamilies")
    with pytest.raises(ValidationError):
        clash_alias.clean()


def test_the_database_refuses_two_equal_aliases():
    AgencyFactory(acronym="A1", oscar_short_name="same")
    with pytest.raises(IntegrityError), transaction.atomic():
        AgencyFactory(acronym="A2", oscar_short_name="SAME")


def test_no_alias_is_no_clash():
    AgencyFactory(acronym="A1")
    AgencyFactory(acronym="A2").clean()
