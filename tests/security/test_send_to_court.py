"""Item 4 of issue 12: a case reaches a court only when its owner or the police unit of one of
its operations sends it there (browser and `POST /api/v1/cases/{id}/send-to-court/`, audited);
a court files only on cases sent to it (404 otherwise) with defendants who are suspects of that
case; the `?case_reference=` helper answers only for such cases and is audited."""

from __future__ import annotations

import pytest
from django.test import Client

from cases.models import CourtSubmission, Prosecution
from ctms.models import AuditEvent
from tests.api_support import client_for
from tests.factories import CaseFactory, OperationFactory, SuspectFactory, VictimFactory


@pytest.fixture
def case(world):
    case = CaseFactory(agency=world.agencies.dosvy_bmc)
    case.victims.add(VictimFactory(agency=world.agencies.dosvy_bmc, given_name="Srey"))
    case.suspects.add(SuspectFactory(given_name="Vuthy", agency=world.agencies.dosvy_bmc))
    OperationFactory(agency=world.agencies.police, case=case)
    return case


def filing(case, suspect) -> dict:
    return {
        "case": str(case.pk),
        "court_case_number": "BMC-9/2024",
        "filed_on": "2024-05-02",
        "charges": "Art. 15",
        "defendants": [{"suspect": str(suspect.pk), "verdict": "pending"}],
    }


def test_a_court_cannot_file_on_a_case_not_sent_to_it(world, case):
    suspect = case.suspects.get()
    response = client_for(world.users.clerk).post(
        "/api/v1/prosecutions/", filing(case, suspect), format="json"
    )
    assert response.status_code == 404
    assert Prosecution.objects.count() == 0
    # and the reference helper shows nothing of the case
    client_page = logged_in(world.users.clerk).get(
        "/prosecutions/new/", {"case_reference": str(case.pk)}
    )
    assert "Vuthy" not in client_page.content.decode()


@pytest.mark.parametrize("sender", ["alice", "officer"])
def test_owner_or_police_send_the_case_then_the_court_files(world, case, sender):
    # when the owner (or the police unit of its operation) sends the case to BMC-Court
    response = client_for(getattr(world.users, sender)).post(
        f"/api/v1/cases/{case.pk}/send-to-court/", {"court": "BMC-Court"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["court"] == "BMC-Court"
    event = AuditEvent.objects.get(details__sent_to_court="BMC-Court")
    assert (event.actor_username, event.object_id) == (sender, str(case.pk))
    # then that court's clerk files on it with its suspect as defendant ...
    suspect = case.suspects.get()
    filed = client_for(world.users.clerk).post(
        "/api/v1/prosecutions/", filing(case, suspect), format="json"
    )
    assert filed.status_code == 201, filed.content
    # ... and another court still cannot
    other = client_for(world.users.other_clerk).post(
        "/api/v1/prosecutions/", filing(case, suspect), format="json"
    )
    assert other.status_code == 404
    assert Prosecution.objects.count() == 1


def test_unknown_case_id_and_not_sent_case_read_alike(world, case):
    CourtSubmission.objects.create(case=case, court=world.agencies.court_other)
    api = client_for(world.users.clerk)
    payload = {"court_case_number": "X", "filed_on": "2024-05-02", "charges": "Art. 15"}

    not_sent = api.post("/api/v1/prosecutions/", {**payload, "case": str(case.pk)}, format="json")
    unknown = api.post(
        "/api/v1/prosecutions/",
        {**payload, "case": "00000000-0000-0000-0000-000000000000"},
        format="json",
    )

    assert (not_sent.status_code, unknown.status_code) == (404, 404)
    assert not_sent.json() == unknown.json()
    assert Prosecution.objects.count() == 0


def test_a_defendant_must_be_a_suspect_of_the_case(world, case):
    CourtSubmission.objects.create(case=case, court=world.agencies.court)
    stranger = SuspectFactory(given_name="Stranger", agency=world.agencies.police)
    response = client_for(world.users.clerk).post(
        "/api/v1/prosecutions/", filing(case, stranger), format="json"
    )
    assert response.status_code == 400
    assert Prosecution.objects.count() == 0


@pytest.mark.parametrize("username", ["bob", "partner", "clerk", "analyst", "other_officer"])
def test_others_cannot_send_the_case(world, case, username):
    response = client_for(getattr(world.users, username)).post(
        f"/api/v1/cases/{case.pk}/send-to-court/", {"court": "BMC-Court"}, format="json"
    )
    assert response.status_code == 404
    assert CourtSubmission.objects.count() == 0


def test_sending_needs_a_court(world, case):
    response = client_for(world.users.alice).post(
        f"/api/v1/cases/{case.pk}/send-to-court/", {"court": "AFESIP"}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["court"]
    assert CourtSubmission.objects.count() == 0


def test_the_browser_sends_and_the_reference_helper_is_audited(world, case):
    owner = logged_in(world.users.alice)
    sent = owner.post(f"/cases/{case.pk}/send-to-court/", {"court": str(world.agencies.court.pk)})
    assert sent.status_code == 302
    assert CourtSubmission.objects.filter(case=case, court=world.agencies.court).exists()

    page = logged_in(world.users.clerk).get("/prosecutions/new/", {"case_reference": str(case.pk)})

    assert "Vuthy" in page.content.decode()
    shown = set(
        AuditEvent.objects.filter(action="view", actor_username="clerk").values_list(
            "object_type", "object_id"
        )
    )
    assert shown == {("case", str(case.pk)), ("suspect", str(case.suspects.get().pk))}


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client
