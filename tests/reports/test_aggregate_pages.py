"""Activities and deportee reports entered in the browser by the agencies that hold them."""

from __future__ import annotations

import datetime as dt

import pytest

from reports.models import Activity, DeporteeReport

ACTIVITY = {
    "date": "2025-07-02",
    "kind": "awareness_raising",
    "working_group": "prevention",
    "province": "01",
    "participants_total": "120",
    "participants_female": "70",
    "participants_children": "30",
    "description": "Village meeting",
}
DEPORTEES = {
    "month": "2025-07",
    "from_country": "THA",
    "total": "40",
    "female": "12",
    "children": "5",
    "detained_over_month": "3",
}


@pytest.mark.parametrize("persona", ["alice", "officer", "partner", "analyst"])
def test_given_a_recording_role_when_activity_posted_then_saved_for_its_agency(
    world, client, persona
):
    user = getattr(world.users, persona)
    client.force_login(user)

    response = client.post("/activities/", ACTIVITY, follow=True)

    activity = Activity.objects.get()
    assert (activity.agency, activity.date, activity.participants_female) == (
        user.agency,
        dt.date(2025, 7, 2),
        70,
    )
    page = response.content.decode()
    assert "The activity has been recorded." in page
    assert "Village meeting" not in page  # the list shows counts only


def test_given_more_female_than_total_then_400_with_the_reason_and_nothing_saved(world, client):
    client.force_login(world.users.alice)

    response = client.post("/activities/", {**ACTIVITY, "participants_female": "500"})

    assert response.status_code == 400
    assert Activity.objects.count() == 0


@pytest.mark.parametrize("persona", ["alice", "officer", "analyst"])
def test_given_a_border_agency_when_month_posted_then_deportee_report_saved(world, client, persona):
    user = getattr(world.users, persona)
    client.force_login(user)

    response = client.post("/deportee-reports/", DEPORTEES)

    assert response.status_code == 302
    report = DeporteeReport.objects.get()
    assert (report.agency, report.month, report.total, report.from_country) == (
        user.agency,
        "2025-07",
        40,
        "THA",
    )


def test_given_a_bad_month_then_400_and_nothing_saved(world, client):
    client.force_login(world.users.alice)

    response = client.post("/deportee-reports/", {**DEPORTEES, "month": "2025-13"})

    assert response.status_code == 400
    assert "A month as YYYY-MM, e.g. 2025-07." in response.content.decode()
    assert DeporteeReport.objects.count() == 0


@pytest.mark.parametrize(
    ("url", "persona", "data"),
    [
        ("/activities/", "clerk", ACTIVITY),
        ("/deportee-reports/", "clerk", DEPORTEES),
        ("/deportee-reports/", "partner", DEPORTEES),
    ],
)
def test_given_a_role_that_does_not_record_them_then_403_and_nothing_saved(
    world, client, url, persona, data
):
    client.force_login(getattr(world.users, persona))

    assert client.get(url).status_code == 403
    assert client.post(url, data).status_code == 403
    assert (Activity.objects.count(), DeporteeReport.objects.count()) == (0, 0)


def test_the_list_shows_only_the_users_agency(world, client):
    client.force_login(world.users.alice)
    client.post("/deportee-reports/", DEPORTEES)
    client.force_login(world.users.bob)

    page = client.get("/deportee-reports/").content.decode()

    assert "No deportee report yet." in page
