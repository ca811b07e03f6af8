"""SPEC section 10 in the browser: a form that breaks a data rule comes back with the model's
message next to the field, and nothing is written."""

from __future__ import annotations

import datetime as dt

import pytest

from cases.models import Case, Defendant, Operation, Prosecution
from casework.models import CarePlan
from referrals.models import Service
from reports.models import DeporteeReport, ReportRun
from tests.factories import (
    DeporteeReportFactory,
    ProsecutionFactory,
    ReferralFactory,
    SuspectFactory,
    VictimFactory,
)
from victims.models import FollowUp, Repatriation, Victim

FUTURE = "2099-01-01"
AFTER_TODAY = "This date is after today."


def _empty(prefix: str) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": "0",
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def _victim(world, **fields):
    return VictimFactory(agency=world.agencies.dosvy_bmc, **fields)


INTAKE = {"sex": "female", "citizenship": "KHM", "given_name": "Sokha"}

# (id, persona, url builder, posted data, model counted, field, message start)
CASES = [
    (
        "intake-birth-future",
        "alice",
        lambda w: "/victims/new/",
        {**INTAKE, "date_of_birth": FUTURE},
        Victim,
        "date_of_birth",
        "The date of birth cannot be in the future.",
    ),
    (
        "intake-birth-year",
        "alice",
        lambda w: "/victims/new/",
        {**INTAKE, "birth_year": "1899"},
        Victim,
        "birth_year",
        "Give a year between 1900 and",
    ),
    (
        "intake-no-name",
        "alice",
        lambda w: "/victims/new/",
        {**INTAKE, "given_name": ""},
        Victim,
        "name_khmer",
        "Give the name in Khmer or in Latin script.",
    ),
    (
        "intake-date-and-year",
        "alice",
        lambda w: "/victims/new/",
        {**INTAKE, "date_of_birth": "1990-01-01", "birth_year": "1990"},
        Victim,
        "birth_year",
        "Give either the date of birth",
    ),
    (
        "case-opened-future",
        "alice",
        lambda w: "/cases/new/",
        {
            "opened_on": FUTURE,
            "status": "active",
            "exploitation_types": ["forced_labour"],
            **_empty("suspects"),
        },
        Case,
        "opened_on",
        AFTER_TODAY,
    ),
    (
        "operation-future",
        "officer",
        lambda w: "/operations/new/",
        {
            "date": FUTURE,
            "kind": "raid",
            "province": "01",
            **_empty("suspects"),
            **_empty("rescues"),
        },
        Operation,
        "date",
        AFTER_TODAY,
    ),
    (
        "follow-up-future",
        "alice",
        lambda w: f"/victims/{_victim(w).pk}/follow-ups/new/",
        {"date": FUTURE, "kind": "monitoring"},
        FollowUp,
        "date",
        AFTER_TODAY,
    ),
    (
        "repatriation-future",
        "alice",
        lambda w: f"/victims/{_victim(w).pk}/repatriations/new/",
        {"kind": "victim", "from_country": "THA", "received_on": FUTURE},
        Repatriation,
        "received_on",
        AFTER_TODAY,
    ),
    (
        "prosecution-future",
        "clerk",
        lambda w: "/prosecutions/new/",
        {"court_case_number": "PP-1/2010", "filed_on": FUTURE},
        Prosecution,
        "filed_on",
        AFTER_TODAY,
    ),
    (
        # a CheckConstraint across two fields: said at the review date, not above the form
        "care-plan-review-before-plan",
        "alice",
        lambda w: f"/casework/victims/{_victim(w).pk}/care-plans/new/",
        {
            "created_on": "2010-05-01",
            "review_on": "2010-04-01",
            "domain": "shelter",
            "goal": "A safe place to live",
        },
        CarePlan,
        "review_on",
        "The review date cannot be before the plan's date.",
    ),
    (
        # a unique constraint across three fields (one not on the form): said at the month
        "deportee-month-reported-twice",
        "alice",
        lambda w: DeporteeReportFactory(agency=w.agencies.dosvy_bmc) and "/deportee-reports/",
        {
            "month": "2010-09",
            "from_country": "THA",
            "total": "3",
            "female": "0",
            "children": "0",
            "detained_over_month": "0",
        },
        DeporteeReport,
        "month",
        "Your agency has already reported this month for this country",
    ),
    (
        "report-period-future",
        "analyst",
        lambda w: "/reports/",
        {"period": "2099-Q1"},
        ReportRun,
        "period",
        "The period starts after today.",
    ),
]


@pytest.mark.parametrize(
    ("persona", "url", "data", "model", "field", "message"),
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
def test_a_rule_broken_in_a_form_is_said_next_to_the_field(
    world, client, persona, url, data, model, field, message
):
    address = url(world)
    if model is Repatriation:
        data = {**data, "receiving_agency": str(world.agencies.dosvy_bmc.pk)}
    rows = model.objects.count()
    client.force_login(getattr(world.users, persona))

    response = client.post(address, data)

    assert response.status_code in (200, 400)
    errors = response.context["form"].errors
    assert any(text.startswith(message) for text in errors.get(field, [])), errors
    assert model.objects.count() == rows


def test_a_service_dated_after_today_is_refused_on_the_referral_page(world, client):
    referral = ReferralFactory(
        victim=_victim(world), to_agency=world.agencies.afesip, status="accepted"
    )
    client.force_login(world.users.partner)

    response = client.post(
        f"/referrals/{referral.pk}/services/", {"service": "shelter", "date": FUTURE}
    )

    assert response.status_code == 400
    assert response.context["service_form"].errors["date"] == [AFTER_TODAY]
    assert Service.objects.count() == 0


def test_a_date_of_birth_after_the_first_referral_is_refused_on_edit(world, client):
    victim = _victim(world, birth_year=None)
    ReferralFactory(victim=victim, to_agency=world.agencies.afesip, created_on=dt.date(2010, 4, 1))
    client.force_login(world.users.alice)

    response = client.post(f"/victims/{victim.pk}/edit/", {**INTAKE, "date_of_birth": "2011-01-01"})

    assert response.context["form"].errors["date_of_birth"] == [
        "The date of birth cannot be after 2010-04-01, when this person's record begins."
    ]
    victim.refresh_from_db()
    assert victim.date_of_birth is None


@pytest.mark.parametrize(
    ("posted", "field", "message"),
    [
        (
            {"verdict": "convicted", "verdict_on": "2010-01-01"},
            "verdict_on",
            "The verdict cannot come before the prosecution was filed.",
        ),
        ({"verdict": "convicted", "verdict_on": FUTURE}, "verdict_on", AFTER_TODAY),
        ({"verdict": "acquitted"}, "verdict_on", "Give the date of the verdict."),
        (
            {"verdict": "acquitted", "verdict_on": "2010-09-01", "sentence_months": "12"},
            "sentence_months",
            "A sentence follows a conviction only.",
        ),
    ],
    ids=["before-filing", "future", "no-date", "sentence-not-convicted"],
)
def test_a_verdict_that_breaks_a_rule_comes_back_with_the_message(
    world, client, posted, field, message
):
    prosecution = ProsecutionFactory(court=world.agencies.court, filed_on=dt.date(2010, 5, 1))
    defendant = Defendant.objects.create(prosecution=prosecution, suspect=SuspectFactory())
    client.force_login(world.users.clerk)
    prefix = f"d{defendant.pk}"

    response = client.post(
        f"/prosecutions/{prosecution.pk}/defendants/{defendant.pk}/verdict/",
        {f"{prefix}-{key}": value for key, value in posted.items()},
    )

    assert response.status_code == 400
    forms = [form for _defendant, form in response.context["defendants"]]
    assert forms[0].errors[field] == [message]
    defendant.refresh_from_db()
    assert (defendant.verdict, defendant.verdict_on) == ("pending", None)


def test_a_placement_without_its_agency_is_said_at_the_rows_agency_field(world, client):
    client.force_login(world.users.officer)
    rows = Operation.objects.count()

    response = client.post(
        "/operations/new/",
        {
            "date": "2010-03-02",
            "kind": "raid",
            "province": "01",
            **_empty("suspects"),
            **_empty("rescues"),
            "rescues-TOTAL_FORMS": "1",
            "rescues-0-given_name": "Kanha",
            "rescues-0-sex": "female",
            "rescues-0-placement": "dosvy",
        },
    )

    assert response.status_code in (200, 400)
    row = response.context["rescues"].forms[0]
    assert row.errors == {"placed_with": ["Name the agency that took the person in."]}
    assert "Name the agency that took the person in." in response.content.decode()
    assert Operation.objects.count() == rows
