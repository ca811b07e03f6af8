"""Correcting operations and prosecutions through the API (PATCH), role by role: the unit that
logged an operation, the clerks of the court a prosecution is filed at, and nobody else (404,
nothing changed). The rules are the browser's (cases.services)."""

from __future__ import annotations

import pytest

from cases.models import CourtSubmission, Operation, Prosecution, Rescue
from ctms.models import AuditEvent
from tests.api_support import client_for
from tests.factories import (
    CaseFactory,
    OperationFactory,
    ProsecutionFactory,
    RescueFactory,
    SuspectFactory,
)


@pytest.fixture
def logged(world):
    """An operation of the BMC police unit with two suspects detained and one person rescued."""
    operation = OperationFactory(agency=world.agencies.police, notes="first log")
    first, second = SuspectFactory.create_batch(2, agency=world.agencies.police)
    operation.suspects_detained.add(first, second)
    RescueFactory(operation=operation, placement="family", placed_with=None)
    return operation


def state(operation: Operation) -> tuple:
    operation.refresh_from_db()
    return (
        operation.notes,
        operation.date,
        sorted(operation.suspects_detained.values_list("pk", flat=True)),
        sorted(operation.rescues.values_list("victim_id", flat=True)),
    )


def test_the_unit_corrects_its_operation_through_the_api(world, logged):
    kept = logged.suspects_detained.order_by("pk").first()
    added = SuspectFactory(agency=world.agencies.police)

    response = client_for(world.users.officer).patch(
        f"/api/v1/operations/{logged.pk}/",
        {
            "notes": "corrected",
            "suspects_detained": [str(kept.pk), str(added.pk)],
            "rescues": [
                {"person": {"given_name": "Kanha", "sex": "female"}, "placement": "family"}
            ],
        },
        format="json",
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["notes"] == "corrected"
    assert sorted(body["suspects_detained"]) == sorted([str(kept.pk), str(added.pk)])
    assert logged.rescues.filter(victim__given_name="Kanha").exists()
    assert Rescue.objects.filter(operation=logged).count() == 2  # the first rescue stays
    event = AuditEvent.objects.filter(action="update", object_type="operation").get()
    assert event.channel == "api"
    assert event.details["changed"]["notes"] == "changed"  # notes are not copied into the trail
    assert event.details["changed"]["suspects_detained"]["added"] == [str(added.pk)]
    assert len(event.details["changed"]["suspects_detained"]["removed"]) == 1


@pytest.mark.parametrize("persona", ["other_officer", "alice", "partner", "clerk", "analyst"])
def test_nobody_else_corrects_an_operation_and_nothing_changes(world, logged, persona):
    before = state(logged)

    response = client_for(getattr(world.users, persona)).patch(
        f"/api/v1/operations/{logged.pk}/",
        {"notes": "changed", "suspects_detained": []},
        format="json",
    )

    assert response.status_code == 404
    assert state(logged) == before
    assert not AuditEvent.objects.filter(action="update", object_type="operation").exists()


def test_bad_corrections_of_an_operation_are_400_at_the_field_and_change_nothing(world, logged):
    before = state(logged)
    rescued = logged.rescues.get().victim
    officer = client_for(world.users.officer)

    future = officer.patch(
        f"/api/v1/operations/{logged.pk}/", {"date": "2999-01-01"}, format="json"
    )
    again = officer.patch(
        f"/api/v1/operations/{logged.pk}/",
        {"rescues": [{"victim": str(rescued.pk), "placement": "family"}]},
        format="json",
    )
    no_placement = officer.patch(
        f"/api/v1/operations/{logged.pk}/",
        {"rescues": [{"person": {"given_name": "Kanha", "sex": "female"}, "placement": "ngo"}]},
        format="json",
    )

    assert future.status_code == 400 and "date" in future.json(), future.content
    assert again.status_code == 400, again.content
    assert no_placement.status_code == 400 and "placed_with" in str(no_placement.json())
    assert state(logged) == before


@pytest.fixture
def filed(world):
    """A prosecution at the BMC court on a case sent to it, with two suspects of the case: one
    a defendant with a verdict, one not charged yet; and a second case sent to the court."""
    case = CaseFactory(agency=world.agencies.dosvy_bmc)
    convicted, other = SuspectFactory.create_batch(2, agency=world.agencies.police)
    case.suspects.add(convicted, other)
    CourtSubmission.objects.create(case=case, court=world.agencies.court)
    prosecution = ProsecutionFactory(court=world.agencies.court, case=case, filed_on="2010-05-02")
    prosecution.defendants.create(suspect=convicted, verdict="convicted", verdict_on="2010-09-01")
    return prosecution


def prosecution_state(prosecution: Prosecution) -> tuple:
    prosecution.refresh_from_db()
    return (
        prosecution.court_case_number,
        prosecution.case_id,
        sorted(prosecution.defendants.values_list("suspect_id", "verdict")),
    )


def test_the_court_corrects_its_prosecution_through_the_api(world, filed):
    convicted = filed.defendants.get().suspect
    other = filed.case.suspects.exclude(pk=convicted.pk).get()

    response = client_for(world.users.clerk).patch(
        f"/api/v1/prosecutions/{filed.pk}/",
        {
            "court_case_number": "BMC-8/2010",
            "defendants": [{"suspect": str(convicted.pk)}, {"suspect": str(other.pk)}],
        },
        format="json",
    )

    assert response.status_code == 200, response.content
    assert response.json()["court_case_number"] == "BMC-8/2010"
    assert prosecution_state(filed)[2] == sorted(
        [(convicted.pk, "convicted"), (other.pk, "pending")]
    )
    event = AuditEvent.objects.filter(action="update", object_type="prosecution").get()
    assert event.channel == "api"
    assert event.details["changed"]["defendants"]["added"] == [str(other.pk)]


@pytest.mark.parametrize("persona", ["other_clerk", "alice", "officer", "partner", "analyst"])
def test_nobody_else_corrects_a_prosecution_and_nothing_changes(world, filed, persona):
    before = prosecution_state(filed)

    response = client_for(getattr(world.users, persona)).patch(
        f"/api/v1/prosecutions/{filed.pk}/", {"court_case_number": "X-1"}, format="json"
    )

    assert response.status_code == 404
    assert prosecution_state(filed) == before


def test_bad_corrections_of_a_prosecution_are_refused_and_change_nothing(world, filed):
    before = prosecution_state(filed)
    clerk = client_for(world.users.clerk)
    not_sent = CaseFactory(agency=world.agencies.dosvy_bmc)

    dropped = clerk.patch(f"/api/v1/prosecutions/{filed.pk}/", {"defendants": []}, format="json")
    charged = str(filed.defendants.get().suspect_id)
    verdict = clerk.patch(
        f"/api/v1/prosecutions/{filed.pk}/",
        {"defendants": [{"suspect": charged, "verdict": "acquitted"}]},
        format="json",
    )
    other_case = clerk.patch(
        f"/api/v1/prosecutions/{filed.pk}/", {"case": str(not_sent.pk)}, format="json"
    )

    assert dropped.status_code == 400 and "defendants" in dropped.json(), dropped.content
    assert verdict.status_code == 400, verdict.content
    assert verdict.json()["defendants"] == [
        "A verdict is recorded with its history, not by PATCH."
    ]
    assert other_case.status_code == 404
    assert prosecution_state(filed) == before
