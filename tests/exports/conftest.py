"""A small filler for export tests: groups of victims sharing a case and its attributes."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.cache import cache

from cases.models import Case
from tests.factories import AgencyFactory, CaseFactory, VictimFactory


def add_group(
    size: int,
    *,
    opened_on: dt.date = dt.date(2010, 3, 1),
    case_fields: dict | None = None,
    **victim_fields,
) -> Case:
    """One case with `size` victims who share every quasi-identifier."""
    agency = AgencyFactory(acronym="DoSVY-TEST", kind="provincial_department", province="01")
    case = CaseFactory(agency=agency, opened_on=opened_on, **(case_fields or {}))
    victims = VictimFactory.create_batch(size, agency=agency, **victim_fields)
    case.victims.add(*victims)
    return case


def parse_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Export files of the tests go to a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _no_kept_summary():
    """Each test starts with no kept CTDC summary (the cache outlives a test's database)."""
    cache.clear()
    yield
    cache.clear()
