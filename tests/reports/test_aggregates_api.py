"""The activities and deportee-reports API: aggregate counts, by role."""

from __future__ import annotations

import pytest

from reports.models import Activity, DeporteeReport
from tests.api_support import client_for
from tests.factories import ActivityFactory, DeporteeReportFactory

ACTIVITY = {
    "date": "2010-08-01",
    "kind": "awareness_raising",
    "working_group": "prevention",
    "province": "01",
    "participants_total": 120,
    "participants_female": 70,
    "participants_children": 30,
}
DEPORTEES = {"month": "2010-09", "from_country": "THA", "total": 300, "female": 90, "children": 20}


@pytest.mark.parametrize(
    ("persona", "status"),
    [("alice", 201), ("officer", 201), ("partner", 201), ("analyst", 201), ("clerk", 403)],
)
def test_given_roles_when_recording_activity_then_owned_by_their_agency(world, persona, status):
    user = getattr(world.users, persona)

    response = client_for(user).post("/api/v1/activities/", ACTIVITY, format="json")

    assert response.status_code == status
    assert list(Activity.objects.values_list("agency", flat=True)) == (
        [user.agency_id] if status == 201 else []
    )


def test_given_more_women_than_participants_when_recording_activity_then_400(world):
    response = client_for(world.users.alice).post(
        "/api/v1/activities/", {**ACTIVITY, "participants_female": 500}, format="json"
    )

    assert response.status_code == 400
    assert Activity.objects.count() == 0


@pytest.mark.parametrize(
    ("persona", "status"),
    [("alice", 201), ("officer", 201), ("analyst", 201), ("partner", 403), ("clerk", 403)],
)
def test_given_roles_when_recording_deportee_report_then_border_agencies_and_secretariat(
    world, persona, status
):
    response = client_for(getattr(world.users, persona)).post(
        "/api/v1/deportee-reports/", DEPORTEES, format="json"
    )

    assert response.status_code == status
    assert DeporteeReport.objects.count() == (1 if status == 201 else 0)


def test_given_same_month_twice_when_recording_deportee_report_then_refused_not_500(world):
    client = client_for(world.users.alice)
    client.post("/api/v1/deportee-reports/", DEPORTEES, format="json")

    again = client.post("/api/v1/deportee-reports/", DEPORTEES, format="json")

    assert again.status_code in (400, 409)
    assert DeporteeReport.objects.count() == 1


@pytest.mark.parametrize(
    ("persona", "seen"), [("analyst", 2), ("alice", 1), ("partner", 0), ("admin", 2)]
)
def test_given_aggregates_when_listed_then_secretariat_all_others_their_agency(
    world, persona, seen
):
    ActivityFactory(agency=world.agencies.dosvy_bmc)
    ActivityFactory(agency=world.agencies.police)
    DeporteeReportFactory(agency=world.agencies.dosvy_bmc)
    DeporteeReportFactory(agency=world.agencies.police)
    client = client_for(getattr(world.users, persona))

    activities = client.get("/api/v1/activities/").json()["results"]
    reports = client.get("/api/v1/deportee-reports/").json()["results"]

    assert (len(activities), len(reports)) == (seen, seen)
