"""SPEC section 10 in imports: each data rule refuses the line that breaks it, by number, with
the model's message, and nothing is written."""

from __future__ import annotations

import io
import json

import pytest

from transfer.importer import import_records

FUTURE = "2099-01-01"
AGENCY = {"type": "agency", "ref": "a1", "name": "Agency one", "acronym": "A1", "kind": "ngo"}
PARTNER = {
    "type": "agency",
    "ref": "a2",
    "name": "Agency two",
    "acronym": "A2",
    "kind": "ngo",
    "accepts_referrals": True,
}
VICTIM = {
    "type": "victim",
    "ref": "v1",
    "agency": "a1",
    "given_name": "Sreymom",
    "date_of_birth": "1994-08-17",
    "consent_services": True,
}
SUSPECT = {"type": "suspect", "ref": "s1", "given_name": "Rith"}
PROSECUTION = {
    "type": "prosecution",
    "ref": "p1",
    "court": "a1",
    "filed_on": "2010-04-02",
    "defendants": [{"suspect": "s1", "verdict": "pending"}],
}


def line(base: dict, **changes) -> dict:
    return {**base, **changes}


# (id, the record under test (written last), the message the line gets)
CASES = [
    (
        "victim-birth-future",
        line(VICTIM, ref="v2", date_of_birth=FUTURE),
        "date_of_birth: The date of birth cannot be in the future.",
    ),
    (
        "victim-birth-year-low",
        line(VICTIM, ref="v2", date_of_birth=None, birth_year=1899),
        "birth_year: Give a year between 1900 and",
    ),
    (
        "victim-birth-year-future",
        line(VICTIM, ref="v2", date_of_birth=None, birth_year=2099),
        "birth_year: Give a year between 1900 and",
    ),
    (
        "victim-no-name",
        line(VICTIM, ref="v2", given_name=""),
        "name_khmer: Give the name in Khmer or in Latin script.",
    ),
    (
        "case-opened-future",
        {
            "type": "case",
            "ref": "c1",
            "agency": "a1",
            "opened_on": FUTURE,
            "exploitation_types": ["forced_labour"],
        },
        "opened_on: This date is after today.",
    ),
    (
        "case-closed-before-opened",
        {
            "type": "case",
            "ref": "c1",
            "agency": "a1",
            "opened_on": "2010-03-01",
            "closed_on": "2010-02-01",
            "status": "closed",
            "exploitation_types": ["forced_labour"],
        },
        "closed_on: A case cannot be closed before it was opened.",
    ),
    (
        "case-closed-future",
        {
            "type": "case",
            "ref": "c1",
            "agency": "a1",
            "opened_on": "2010-03-01",
            "closed_on": FUTURE,
            "status": "closed",
            "exploitation_types": ["forced_labour"],
        },
        "closed_on: This date is after today.",
    ),
    (
        "operation-future",
        {
            "type": "operation",
            "ref": "o1",
            "agency": "a1",
            "date": FUTURE,
            "kind": "raid",
            "province": "12",
        },
        "date: This date is after today.",
    ),
    (
        "repatriation-future",
        {
            "type": "repatriation",
            "ref": "r1",
            "victim": "v1",
            "kind": "victim",
            "from_country": "THA",
            "received_on": FUTURE,
            "receiving_agency": "a1",
        },
        "received_on: This date is after today.",
    ),
    (
        "follow-up-future",
        {
            "type": "follow_up",
            "ref": "f1",
            "victim": "v1",
            "agency": "a1",
            "date": FUTURE,
            "kind": "monitoring",
        },
        "date: This date is after today.",
    ),
    (
        "follow-up-before-birth",
        {
            "type": "follow_up",
            "ref": "f1",
            "victim": "v1",
            "agency": "a1",
            "date": "1990-01-01",
            "kind": "monitoring",
        },
        None,
    ),
    (
        "follow-up-before-birth-same-file",
        {
            "type": "follow_up",
            "ref": "f1",
            "victim": "v1",
            "agency": "a1",
            "date": "1990-01-01",
            "kind": "monitoring",
        },
        "date: This date is before the person's date of birth.",
    ),
    (
        "rescue-before-birth-same-file",
        {
            "type": "operation",
            "ref": "o1",
            "agency": "a1",
            "date": "1990-01-01",
            "kind": "raid",
            "province": "12",
            "rescues": [{"victim": "v1", "placement": "dosvy"}],
        },
        "rescues: item 1: victim: This date is before the person's date of birth.",
    ),
    (
        "referral-future",
        {
            "type": "referral",
            "ref": "rf1",
            "victim": "v1",
            "from_agency": "a1",
            "to_agency": "a2",
            "created_on": FUTURE,
            "services_requested": ["shelter"],
        },
        "created_on: This date is after today.",
    ),
    (
        "referral-no-consent",
        {
            "type": "referral",
            "ref": "rf1",
            "victim": "v0",
            "from_agency": "a1",
            "to_agency": "a2",
            "created_on": "2010-04-18",
            "services_requested": ["shelter"],
        },
        "victim: The victim has not consented to receive services; a referral cannot be sent.",
    ),
    (
        "service-future",
        {
            "type": "service",
            "ref": "sv1",
            "victim": "v1",
            "agency": "a2",
            "date": FUTURE,
            "service": "shelter",
        },
        "date: This date is after today.",
    ),
    (
        "prosecution-future",
        line(PROSECUTION, filed_on=FUTURE),
        "filed_on: This date is after today.",
    ),
    (
        "verdict-before-filing",
        line(
            PROSECUTION,
            defendants=[{"suspect": "s1", "verdict": "convicted", "verdict_on": "2010-01-01"}],
        ),
        "verdict_on: The verdict cannot come before the prosecution was filed.",
    ),
    (
        "verdict-future",
        line(
            PROSECUTION,
            defendants=[{"suspect": "s1", "verdict": "acquitted", "verdict_on": FUTURE}],
        ),
        "verdict_on: This date is after today.",
    ),
    (
        "verdict-without-date",
        line(PROSECUTION, defendants=[{"suspect": "s1", "verdict": "convicted"}]),
        "verdict_on: Give the date of the verdict.",
    ),
    (
        "sentence-without-conviction",
        line(
            PROSECUTION,
            defendants=[
                {
                    "suspect": "s1",
                    "verdict": "acquitted",
                    "verdict_on": "2010-09-15",
                    "sentence_months": 12,
                }
            ],
        ),
        "sentence_months: A sentence follows a conviction only.",
    ),
    (
        "activity-future",
        {"type": "activity", "ref": "ac1", "agency": "a1", "date": FUTURE, "kind": "training"},
        "date: This date is after today.",
    ),
    (
        "activity-female-over-total",
        {
            "type": "activity",
            "ref": "ac1",
            "agency": "a1",
            "date": "2010-08-05",
            "kind": "training",
            "participants_total": 5,
            "participants_female": 6,
        },
        "participants_female: This cannot be more than the total.",
    ),
    (
        "activity-children-over-total",
        {
            "type": "activity",
            "ref": "ac1",
            "agency": "a1",
            "date": "2010-08-05",
            "kind": "training",
            "participants_total": 5,
            "participants_children": 6,
        },
        "participants_children: This cannot be more than the total.",
    ),
    (
        "care-plan-review-before-plan",
        {
            "type": "care_plan",
            "ref": "cp1",
            "victim": "v1",
            "agency": "a1",
            "created_on": "2010-05-01",
            "review_on": "2010-04-01",
            "goals": [],
        },
        "review_on: The review date cannot be before the plan's date.",
    ),
    (
        "deportee-month-future",
        {
            "type": "deportee_report",
            "ref": "d1",
            "agency": "a1",
            "month": "2099-01",
            "from_country": "THA",
        },
        "month: This month is after the current month.",
    ),
    (
        "deportee-detained-over-total",
        {
            "type": "deportee_report",
            "ref": "d1",
            "agency": "a1",
            "month": "2010-06",
            "from_country": "THA",
            "total": 3,
            "detained_over_month": 4,
        },
        "detained_over_month: This cannot be more than the total.",
    ),
    (
        "deportee-female-over-total",
        {
            "type": "deportee_report",
            "ref": "d1",
            "agency": "a1",
            "month": "2010-06",
            "from_country": "THA",
            "total": 3,
            "female": 4,
        },
        "female: This cannot be more than the total.",
    ),
]


def load(lines: list[dict]):
    data = "\n".join(json.dumps(item, ensure_ascii=False) for item in lines).encode()
    return import_records(io.BytesIO(data))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("bad", "message"), [pytest.param(bad, message, id=name) for name, bad, message in CASES]
)
def test_a_rule_broken_in_an_import_names_the_line_and_writes_nothing(bad, message):
    # given valid lines (a victim who never consented among them) and the bad one last
    unconsenting = line(VICTIM, ref="v0", given_name="Kanha", consent_services=None)
    lines = [AGENCY, PARTNER, VICTIM, unconsenting, SUSPECT, bad]
    if message is None:  # a date before the person's birth: stored victims only
        assert load(lines[:3]).ok
        lines = [line(bad, victim=str(_stored_victim_id()), agency="A1")]
        message = "date: This date is before the person's date of birth."

    # when the file is imported
    result = load(lines)

    # then the last line is refused with the rule's message, and nothing is written
    assert [(error.line, message in error.message) for error in result.errors] == [
        (len(lines), True)
    ], result.errors
    assert not result.ok


def _stored_victim_id():
    from victims.models import Victim

    return Victim.objects.get(given_name="Sreymom").pk


@pytest.mark.django_db
def test_the_valid_lines_alone_import():
    unconsenting = line(VICTIM, ref="v0", given_name="Kanha", consent_services=None)
    assert load([AGENCY, PARTNER, VICTIM, unconsenting, SUSPECT, PROSECUTION]).ok


@pytest.mark.django_db
def test_a_month_and_country_reported_twice_names_the_second_line_and_the_month():
    report = {
        "type": "deportee_report",
        "ref": "d1",
        "agency": "a1",
        "month": "2010-06",
        "from_country": "THA",
        "total": 3,
    }
    lines = [AGENCY, report, line(report, ref="d2", total=4)]

    result = load(lines)

    assert not result.ok
    assert [error.line for error in result.errors] == [3], result.errors
    assert result.errors[0].message.startswith(
        "month: Your agency has already reported this month for this country"
    ), result.errors
