"""The cases, suspects, operations and prosecutions API, role by role."""

from __future__ import annotations

import pytest

from cases.models import Case, CourtSubmission, Operation, Prosecution, Rescue, Suspect
from ctms.models import AuditEvent
from tests.api_support import client_for, counts
from tests.factories import (
    CaseFactory,
    OperationFactory,
    ProsecutionFactory,
    SuspectFactory,
    VictimFactory,
)


@pytest.fixture
def case(world):
    """A case of DoSVY-BMC with a victim and a suspect, an operation of the BMC police unit on
    it and a prosecution at the BMC court."""
    case = CaseFactory(agency=world.agencies.dosvy_bmc, notes="owner's notes")
    victim = VictimFactory(agency=world.agencies.dosvy_bmc, given_name="Srey")
    suspect = SuspectFactory(agency=world.agencies.police)
    case.victims.add(victim)
    case.suspects.add(suspect)
    OperationFactory(agency=world.agencies.police, case=case)
    ProsecutionFactory(court=world.agencies.court, case=case)
    return case


@pytest.mark.parametrize(
    ("persona", "status", "shows_notes"),
    [
        ("alice", 200, True),
        ("minister", 200, True),
        ("officer", 200, False),
        ("clerk", 200, False),
        ("bob", 404, None),
        ("partner", 404, None),
        ("other_officer", 404, None),
        ("analyst", 404, None),
    ],
)
def test_given_case_when_each_role_reads_then_scope_of_section_1(
    world, case, persona, status, shows_notes
):
    response = client_for(getattr(world.users, persona)).get(f"/api/v1/cases/{case.pk}/")

    assert response.status_code == status
    if status == 200:
        assert ("notes" in response.json()) is shows_notes


CASE = {"opened_on": "2010-03-01", "exploitation_types": ["forced_labour"], "cross_border": True}


@pytest.mark.parametrize(
    ("persona", "status"),
    [("alice", 201), ("officer", 403), ("partner", 403), ("clerk", 403), ("analyst", 403)],
)
def test_given_roles_when_opening_case_then_case_workers_only(world, persona, status):
    response = client_for(getattr(world.users, persona)).post("/api/v1/cases/", CASE, format="json")

    assert response.status_code == status
    assert Case.objects.count() == (1 if status == 201 else 0)


def test_given_unknown_code_when_opening_case_then_400_on_that_field(world):
    response = client_for(world.users.alice).post(
        "/api/v1/cases/", {**CASE, "exploitation_types": ["piracy"]}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["exploitation_types"]


@pytest.mark.parametrize(
    ("persona", "status"), [("alice", 200), ("minister", 200), ("officer", 404), ("bob", 404)]
)
def test_given_case_when_patching_then_only_owner_side(world, case, persona, status):
    response = client_for(getattr(world.users, persona)).patch(
        f"/api/v1/cases/{case.pk}/", {"status": "closed", "closed_on": "2010-12-01"}, format="json"
    )

    assert response.status_code == status
    case.refresh_from_db()
    assert case.status == ("closed" if status == 200 else "active")


def test_given_police_when_logging_operation_then_rescues_and_detentions_recorded(world, case):
    suspect = Suspect.objects.get()

    response = client_for(world.users.officer).post(
        "/api/v1/operations/",
        {
            "case": str(case.pk),
            "date": "2010-03-05",
            "kind": "rescue",
            "province": "01",
            "suspects_detained": [str(suspect.pk)],
            "rescues": [
                {
                    "person": {"given_name": "Kanha", "sex": "female"},
                    "placement": "ngo",
                    "placed_with": str(world.agencies.afesip.pk),
                }
            ],
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    operation = Operation.objects.get(pk=response.json()["id"])
    assert operation.agency == world.agencies.police
    assert list(operation.suspects_detained.all()) == [suspect]
    assert Rescue.objects.get(operation=operation).victim.given_name == "Kanha"


@pytest.mark.parametrize("persona", ["alice", "partner", "clerk", "analyst"])
def test_given_non_police_when_logging_operation_then_403_and_nothing_written(world, persona):
    before = counts(Operation)

    response = client_for(getattr(world.users, persona)).post(
        "/api/v1/operations/",
        {"date": "2010-03-05", "kind": "raid", "province": "01"},
        format="json",
    )

    assert response.status_code == 403
    assert counts(Operation) == before


@pytest.mark.parametrize(
    ("persona", "status"),
    [("officer", 201), ("alice", 201), ("partner", 403), ("clerk", 403), ("analyst", 403)],
)
def test_given_roles_when_recording_suspect_then_police_and_case_workers(world, persona, status):
    response = client_for(getattr(world.users, persona)).post(
        "/api/v1/suspects/",
        {"given_name": "Vuthy", "sex": "male", "citizenship": "THA", "role": "broker_travel_agent"},
        format="json",
    )

    assert response.status_code == status
    assert Suspect.objects.count() == (1 if status == 201 else 0)


@pytest.mark.parametrize(
    ("persona", "seen"),
    [
        ("officer", 1),
        ("clerk", 0),
        ("alice", 1),
        ("other_officer", 0),
        ("partner", 0),
        ("analyst", 0),
    ],
)
def test_given_suspect_when_listed_then_scope_of_section_1(world, case, persona, seen):
    """The court sees a suspect only once a defendant before it (none here)."""
    response = client_for(getattr(world.users, persona)).get("/api/v1/suspects/")

    assert len(response.json()["results"]) == seen


def test_given_clerk_when_reading_prosecution_then_defendants_and_victim_names_audited(world, case):
    prosecution = Prosecution.objects.get()
    suspect = Suspect.objects.get()
    prosecution.defendants.create(suspect=suspect, verdict="convicted", verdict_on="2010-09-01")

    response = client_for(world.users.clerk).get(f"/api/v1/prosecutions/{prosecution.pk}/")

    body = response.json()
    assert body["defendants"] == [
        {
            "suspect": str(suspect.pk),
            "verdict": "convicted",
            "verdict_on": "2010-09-01",
            "sentence_months": None,
        }
    ]
    assert [party["given_name"] for party in body["victim_parties"]] == ["Srey"]
    assert (
        AuditEvent.objects.filter(action="view", object_type="victim", channel="api").count() == 1
    )


@pytest.mark.parametrize(
    ("persona", "status"),
    [("clerk", 201), ("alice", 403), ("officer", 403), ("partner", 403), ("analyst", 403)],
)
def test_given_roles_when_filing_prosecution_then_court_clerks_only(world, case, persona, status):
    # The case was sent to the BMC court (a court files only on cases sent to it).
    CourtSubmission.objects.create(case=case, court=world.agencies.court)
    suspect = Suspect.objects.get()
    before = Prosecution.objects.count()

    response = client_for(getattr(world.users, persona)).post(
        "/api/v1/prosecutions/",
        {
            "case": str(case.pk),
            "court_case_number": "BMC-7/2010",
            "filed_on": "2010-05-02",
            "charges": "Article 15",
            "defendants": [{"suspect": str(suspect.pk), "verdict": "pending"}],
        },
        format="json",
    )

    assert response.status_code == status, response.content
    assert Prosecution.objects.count() == before + (1 if status == 201 else 0)
    if status == 201:
        assert Prosecution.objects.get(pk=response.json()["id"]).court == world.agencies.court


@pytest.mark.parametrize(
    ("persona", "seen"),
    [("clerk", 1), ("alice", 1), ("other_clerk", 0), ("officer", 0), ("analyst", 0)],
)
def test_given_prosecution_when_listed_then_own_court_or_case_owner(world, case, persona, seen):
    response = client_for(getattr(world.users, persona)).get("/api/v1/prosecutions/")

    assert len(response.json()["results"]) == seen
