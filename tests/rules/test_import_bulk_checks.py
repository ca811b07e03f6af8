"""Checks an import makes in bulk instead of per record (transfer.building, issue 17): each
still names the offending line, wherever it is in a block, and nothing is written."""

from __future__ import annotations

import io
import json

import pytest

from agencies.models import Agency
from reports.models import DeporteeReport
from transfer import importer
from transfer.importer import import_records
from victims.models import Victim

AGENCY = {"type": "agency", "ref": "a1", "name": "Agency one", "acronym": "A1", "kind": "ngo"}
REPORT = {
    "type": "deportee_report",
    "agency": "a1",
    "month": "2010-06",
    "from_country": "THA",
    "total": 3,
}
MONTH_TWICE = "month: Your agency has already reported this month for this country"


def load(lines: list[dict]):
    data = "\n".join(json.dumps(item, ensure_ascii=False) for item in lines).encode()
    return import_records(io.BytesIO(data))


def reports(count: int, **changes) -> list[dict]:
    """`count` reports of one agency, one a month from January 2001 on."""
    return [
        {**REPORT, "ref": f"d{n}", "month": f"{2001 + n // 12}-{n % 12 + 1:02d}", **changes}
        for n in range(count)
    ]


@pytest.mark.django_db
def test_a_month_the_database_holds_is_named_in_the_middle_of_a_block(monkeypatch):
    monkeypatch.setattr(importer, "BATCH_SIZE", 4)
    agency = Agency.objects.create(name="Agency one", acronym="A1", kind="ngo")
    DeporteeReport.objects.create(agency=agency, month="2001-06", from_country="THA", total=1)
    lines = [AGENCY, *reports(10)]  # line 7 is June 2001, inside the second block of four

    result = load(lines)

    assert [error.line for error in result.errors] == [7], result.errors
    assert result.errors[0].message.startswith(MONTH_TWICE), result.errors
    assert DeporteeReport.objects.count() == 1


@pytest.mark.django_db
def test_a_month_reported_twice_in_different_blocks_names_the_later_line(monkeypatch):
    monkeypatch.setattr(importer, "BATCH_SIZE", 3)
    lines = [AGENCY, *reports(8), {**REPORT, "ref": "again", "month": "2001-02", "total": 9}]

    result = load(lines)

    assert [error.line for error in result.errors] == [10], result.errors
    assert result.errors[0].message.startswith(MONTH_TWICE), result.errors
    assert not DeporteeReport.objects.exists()
    assert not Agency.objects.exists()


@pytest.mark.django_db
def test_a_bad_value_seen_before_is_refused_on_every_line_that_gives_it(monkeypatch):
    """The outcome of a field's checks is kept per value: a bad value is refused again."""
    monkeypatch.setattr(importer, "BATCH_SIZE", 3)
    victim = {"type": "victim", "agency": "a1", "given_name": "Sreymom", "home_province": "12"}
    lines = [AGENCY]
    for n in range(6):
        province = "99" if n in (1, 4) else "12"
        lines.append({**victim, "ref": f"v{n}", "home_province": province})

    result = load(lines)

    assert [error.line for error in result.errors] == [3, 6], result.errors
    assert all(e.message.startswith("home_province: 99 is not") for e in result.errors)
    assert not Victim.objects.exists()


@pytest.mark.django_db
def test_a_value_kept_as_valid_is_still_checked_against_the_other_fields(monkeypatch):
    """Keeping a field's outcome does not skip the model's clean(): a date of birth that
    passed on one line is refused on a line whose estimated birth year it contradicts."""
    monkeypatch.setattr(importer, "BATCH_SIZE", 2)
    victim = {"type": "victim", "agency": "a1", "given_name": "Sreymom"}
    lines = [
        AGENCY,
        {**victim, "ref": "v1", "date_of_birth": "1994-08-17"},
        {**victim, "ref": "v2", "date_of_birth": "1994-08-17"},
        {**victim, "ref": "v3", "date_of_birth": "1994-08-17", "birth_year": 1994},
    ]

    result = load(lines)

    assert [error.line for error in result.errors] == [4], result.errors
    assert not Victim.objects.exists()
