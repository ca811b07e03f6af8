"""SPEC section 10 in the API: a write that breaks a data rule answers 400 naming the field,
with the model's message, and writes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps

from cases.models import CourtSubmission
from tests.api_support import client_for
from tests.factories import (
    CaseFactory,
    DeporteeReportFactory,
    ProsecutionFactory,
    SuspectFactory,
    VictimFactory,
)

FUTURE = "2099-01-01"
AFTER_TODAY = "This date is after today."
MORE_THAN_TOTAL = "This cannot be more than the total."


def _filing(world, **defendant) -> dict:
    """A prosecution of a case sent to the clerk's court, with one of its suspects (the only
    ones a court may name) as the defendant."""
    case = CaseFactory(agency=world.agencies.dosvy_bmc)
    suspect = SuspectFactory()
    case.suspects.add(suspect)
    CourtSubmission.objects.create(case=case, court=world.agencies.court)
    return {
        "filed_on": "2010-04-02",
        "case": str(case.pk),
        "defendants": [{"suspect": str(suspect.pk), **defendant}],
    }


def _victim(world, **fields):
    return VictimFactory(agency=world.agencies.dosvy_bmc, **fields)


# (id, persona, endpoint, model counted, payload builder, field, message start)
CASES = [
    (
        "victim-birth-future",
        "alice",
        "victims",
        "victims.Victim",
        lambda w: {"given_name": "Sokha", "date_of_birth": FUTURE},
        "date_of_birth",
        "The date of birth cannot be in the future.",
    ),
    (
        "victim-birth-year",
        "alice",
        "victims",
        "victims.Victim",
        lambda w: {"given_name": "Sokha", "birth_year": 1899},
        "birth_year",
        "Give a year between 1900 and",
    ),
    (
        "victim-no-name",
        "alice",
        "victims",
        "victims.Victim",
        lambda w: {"sex": "female"},
        "name_khmer",
        "Give the name in Khmer or in Latin script.",
    ),
    (
        "victim-date-and-year",
        "alice",
        "victims",
        "victims.Victim",
        lambda w: {"given_name": "Sokha", "date_of_birth": "1990-01-01", "birth_year": 1990},
        "birth_year",
        "Give either the date of birth",
    ),
    (
        "repatriation-future",
        "alice",
        "repatriations",
        "victims.Repatriation",
        lambda w: {
            "victim": str(_victim(w).pk),
            "kind": "victim",
            "from_country": "THA",
            "received_on": FUTURE,
            "receiving_agency": str(w.agencies.dosvy_bmc.pk),
        },
        "received_on",
        AFTER_TODAY,
    ),
    (
        "follow-up-future",
        "alice",
        "follow-ups",
        "victims.FollowUp",
        lambda w: {"victim": str(_victim(w).pk), "date": FUTURE, "kind": "monitoring"},
        "date",
        AFTER_TODAY,
    ),
    (
        "follow-up-before-birth",
        "alice",
        "follow-ups",
        "victims.FollowUp",
        lambda w: {
            "victim": str(_victim(w, birth_year=None, date_of_birth=dt.date(2000, 1, 1)).pk),
            "date": "1999-12-31",
            "kind": "monitoring",
        },
        "date",
        "This date is before the person's date of birth.",
    ),
    (
        "case-opened-future",
        "alice",
        "cases",
        "cases.Case",
        lambda w: {"opened_on": FUTURE, "exploitation_types": ["forced_labour"]},
        "opened_on",
        AFTER_TODAY,
    ),
    (
        "case-closed-before-opened",
        "alice",
        "cases",
        "cases.Case",
        lambda w: {
            "opened_on": "2010-03-01",
            "closed_on": "2010-02-01",
            "status": "closed",
            "exploitation_types": ["forced_labour"],
        },
        "closed_on",
        "A case cannot be closed before it was opened.",
    ),
    (
        "suspect-birth-year",
        "officer",
        "suspects",
        "cases.Suspect",
        lambda w: {"given_name": "Rith", "birth_year": 2099},
        "birth_year",
        "Give a year between 1900 and",
    ),
    (
        "operation-future",
        "officer",
        "operations",
        "cases.Operation",
        lambda w: {"date": FUTURE, "kind": "raid", "province": "12"},
        "date",
        AFTER_TODAY,
    ),
    (
        "prosecution-future",
        "clerk",
        "prosecutions",
        "cases.Prosecution",
        lambda w: {"filed_on": FUTURE},
        "filed_on",
        AFTER_TODAY,
    ),
    (
        "verdict-before-filing",
        "clerk",
        "prosecutions",
        "cases.Prosecution",
        lambda w: _filing(w, verdict="convicted", verdict_on="2010-01-01"),
        "verdict_on",
        "The verdict cannot come before the prosecution was filed.",
    ),
    (
        "verdict-without-date",
        "clerk",
        "prosecutions",
        "cases.Prosecution",
        lambda w: _filing(w, verdict="convicted"),
        "defendants",
        "Give the date of the verdict.",
    ),
    (
        "sentence-without-conviction",
        "clerk",
        "prosecutions",
        "cases.Prosecution",
        lambda w: _filing(w, verdict="pending", sentence_months=12),
        "defendants",
        "A sentence follows a conviction only.",
    ),
    (
        "referral-future",
        "alice",
        "referrals",
        "referrals.Referral",
        lambda w: {
            "victim": str(_victim(w).pk),
            "to_agency": str(w.agencies.afesip.pk),
            "services_requested": ["shelter"],
            "created_on": FUTURE,
        },
        "created_on",
        AFTER_TODAY,
    ),
    (
        "referral-no-consent",
        "alice",
        "referrals",
        "referrals.Referral",
        lambda w: {
            "victim": str(_victim(w, consent_services=None).pk),
            "to_agency": str(w.agencies.afesip.pk),
            "services_requested": ["shelter"],
        },
        "victim",
        "The victim has not consented to receive services",
    ),
    (
        "service-future",
        "alice",
        "services",
        "referrals.Service",
        lambda w: {"victim": str(_victim(w).pk), "date": FUTURE, "service": "shelter"},
        "date",
        AFTER_TODAY,
    ),
    (
        "activity-future",
        "alice",
        "activities",
        "reports.Activity",
        lambda w: {"date": FUTURE, "kind": "training"},
        "date",
        AFTER_TODAY,
    ),
    (
        "activity-female-over-total",
        "alice",
        "activities",
        "reports.Activity",
        lambda w: {
            "date": "2010-08-05",
            "kind": "training",
            "participants_total": 5,
            "participants_female": 6,
        },
        "participants_female",
        MORE_THAN_TOTAL,
    ),
    (
        "activity-children-over-total",
        "alice",
        "activities",
        "reports.Activity",
        lambda w: {
            "date": "2010-08-05",
            "kind": "training",
            "participants_total": 5,
            "participants_children": 6,
        },
        "participants_children",
        MORE_THAN_TOTAL,
    ),
    (
        "deportee-month-future",
        "alice",
        "deportee-reports",
        "reports.DeporteeReport",
        lambda w: {"month": "2099-01", "from_country": "THA"},
        "month",
        "This month is after the current month.",
    ),
    (
        "deportee-detained-over-total",
        "alice",
        "deportee-reports",
        "reports.DeporteeReport",
        lambda w: {"month": "2010-06", "from_country": "THA", "total": 3, "detained_over_month": 4},
        "detained_over_month",
        MORE_THAN_TOTAL,
    ),
    (
        "deportee-children-over-total",
        "alice",
        "deportee-reports",
        "reports.DeporteeReport",
        lambda w: {"month": "2010-06", "from_country": "THA", "total": 3, "children": 4},
        "children",
        MORE_THAN_TOTAL,
    ),
    (
        "deportee-month-reported-twice",
        "alice",
        "deportee-reports",
        "reports.DeporteeReport",
        lambda w: (
            DeporteeReportFactory(agency=w.agencies.dosvy_bmc)
            and {"month": "2010-09", "from_country": "THA", "total": 3}
        ),
        "month",
        "Your agency has already reported this month for this country",
    ),
    (
        "care-plan-review-before-plan",
        "alice",
        "care-plans",
        "casework.CarePlan",
        lambda w: {
            "victim": str(_victim(w).pk),
            "created_on": "2010-05-01",
            "review_on": "2010-04-01",
            "goals": [{"domain": "shelter", "goal": "A safe place to live"}],
        },
        "review_on",
        "The review date cannot be before the plan's date.",
    ),
    (
        "report-period-future",
        "analyst",
        "reports",
        "reports.ReportRun",
        lambda w: {"period": "2099"},
        "period",
        "The period starts after today.",
    ),
]


def _messages(value) -> list[str]:
    """Every message under a field of a 400 (nested lists and objects flattened)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [m for item in value.values() for m in _messages(item)]
    return [m for item in value for m in _messages(item)]


@pytest.mark.parametrize(
    ("persona", "endpoint", "model", "payload", "field", "message"),
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
def test_a_rule_broken_through_the_api_is_a_400_naming_the_field(
    world, persona, endpoint, model, payload, field, message
):
    data = payload(world)
    rows = apps.get_model(model).objects.count()

    response = client_for(getattr(world.users, persona)).post(
        f"/api/v1/{endpoint}/", data, format="json"
    )

    assert response.status_code == 400, response.content
    body = response.json()
    assert field in body, body
    assert any(text.startswith(message) for text in _messages(body[field])), body
    assert apps.get_model(model).objects.count() == rows


def test_a_case_patched_to_close_before_it_opened_is_a_400(world):
    case = CaseFactory(agency=world.agencies.dosvy_bmc, opened_on=dt.date(2010, 3, 1))

    response = client_for(world.users.alice).patch(
        f"/api/v1/cases/{case.pk}/", {"closed_on": "2010-02-01", "status": "closed"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["closed_on"] == ["A case cannot be closed before it was opened."]
    case.refresh_from_db()
    assert case.closed_on is None


def test_a_victim_born_after_their_referral_is_refused_on_patch(world):
    victim = _victim(world, birth_year=None)
    from tests.factories import ReferralFactory

    ReferralFactory(victim=victim, to_agency=world.agencies.afesip, created_on=dt.date(2010, 4, 1))

    response = client_for(world.users.alice).patch(
        f"/api/v1/victims/{victim.pk}/", {"date_of_birth": "2011-01-01"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["date_of_birth"] == [
        "The date of birth cannot be after 2010-04-01, when this person's record begins."
    ]
    victim.refresh_from_db()
    assert victim.date_of_birth is None


def test_a_prosecution_filed_for_a_case_keeps_the_rules_of_its_defendants(world):
    # a valid prosecution still goes through
    response = client_for(world.users.clerk).post(
        "/api/v1/prosecutions/",
        _filing(world, verdict="convicted", verdict_on="2010-09-15", sentence_months=84),
        format="json",
    )
    assert response.status_code == 201, response.content
    assert ProsecutionFactory._meta.model.objects.count() == 1


def test_the_report_command_refuses_a_period_that_starts_after_today(db):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="The period starts after today."):
        call_command("report", "--period", "2099-Q1")
