"""Import into a set-up instance (SPEC section 6): an agency line whose acronym the database
holds is that agency when its fields agree; a differing field is an error on its line."""

from __future__ import annotations

import io
import json
import re

import pytest
from django.conf import settings
from django.core.management import call_command

from agencies.models import Agency, User
from tests.ctms.test_transfer import AGENCY, delete_all_records, load, row_counts
from transfer.exporter import export_records
from victims.models import Victim

# The seed writes from its own connection on PostgreSQL: it needs committed rows there.
pytestmark = pytest.mark.django_db(
    transaction=settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
)
VICTIM_OF_A1 = (
    '{"type": "victim", "ref": "v1", "agency": "a1", "given_name": "Dara", "sex": "female"}'
)


def exported() -> str:
    out = io.StringIO()
    export_records(out)
    return out.getvalue()


def normalised(jsonl: str) -> list[str]:
    """The lines in order, lists of ids sorted (an export sorts them, and lists agencies, by
    id: new agency ids change both orders)."""

    def sort_ids(value):
        is_ids = isinstance(value, list) and all(isinstance(item, str) for item in value)
        return sorted(value) if is_ids else value

    return sorted(
        json.dumps({key: sort_ids(value) for key, value in json.loads(line).items()})
        for line in jsonl.splitlines()
    )


def test_an_agency_line_that_agrees_with_the_database_is_that_agency():
    # given the agency A1 in the database
    assert load(AGENCY).ok
    agency = Agency.objects.get(acronym="A1")

    # when a file gives the same agency (another ref) and a victim of it
    result = load(AGENCY + "\n" + VICTIM_OF_A1)

    # then no second agency is made and the victim is the existing agency's
    assert result.ok, result.errors
    assert result.counts == {"victim": 1}
    assert Agency.objects.count() == 1
    assert Victim.objects.get().agency == agency
    assert result.ids["a1"] == agency.pk


@pytest.mark.parametrize(
    ("agency_line", "message"),
    [
        (
            AGENCY.replace('"Agency one"', '"Agency two"'),
            'name: the agency \'A1\' already exists with "Agency one", not "Agency two"',
        ),
        (
            AGENCY.replace('"ngo"', '"court"'),
            'kind: the agency \'A1\' already exists with "ngo", not "court"',
        ),
        (
            AGENCY[:-1] + ', "accepts_referrals": true}',
            "accepts_referrals: the agency 'A1' already exists with false, not true",
        ),
    ],
)
def test_an_agency_line_that_differs_is_an_error_naming_the_field(agency_line, message):
    # given the agency A1 in the database
    assert load(AGENCY).ok
    before = row_counts()

    # when a file gives it with one field different, on its second line
    result = load(VICTIM_OF_A1.replace('"a1"', '"A1"') + "\n" + agency_line)

    # then that line and field are named and nothing is written
    assert [(error.line, error.message) for error in result.errors] == [(2, message)]
    assert row_counts() == before
    assert Agency.objects.get().kind == "ngo"


def test_an_export_imports_into_a_set_up_instance_and_exports_back_equal():
    # given a set-up instance with demo data, its users and its export
    call_command("load_reference_data", stdout=io.StringIO())
    call_command(
        "seed_demo", "--scale", "40", "--until", "2026-11-23",
        stdout=io.StringIO(), stderr=io.StringIO(),
    )  # fmt: skip
    users = list(User.objects.values_list("username", "agency__acronym", "role"))
    first = exported()
    counts = row_counts()
    old_ids = dict(Agency.objects.values_list("acronym", "id"))

    # when a new instance is set up (reference data, new agency ids; the same users) and the
    # export imported into it
    User.objects.all().delete()
    delete_all_records()
    call_command("load_reference_data", stdout=io.StringIO())
    for username, acronym, role in users:
        agency = Agency.objects.filter(acronym=acronym).first()
        User.objects.create_user(username=username, agency=agency, role=role)
    new_ids = dict(Agency.objects.values_list("acronym", "id"))
    assert set(new_ids.values()).isdisjoint(old_ids.values())
    result = load(first)

    # then every record is back and a second export is the first, agency ids aside
    assert result.ok, result.errors[:5]
    assert row_counts() == counts
    renamed = {str(old_ids[acronym]): str(new_ids[acronym]) for acronym in old_ids}
    pattern = re.compile("|".join(map(re.escape, renamed)))
    expected = pattern.sub(lambda match: renamed[match.group(0)], first)
    second = exported()
    assert normalised(second) == normalised(expected)
    assert len(second) == len(first)
    assert any(json.loads(line)["type"] == "agency" for line in second.splitlines())
