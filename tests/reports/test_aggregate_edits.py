"""Issue 13, item 3: activities and deportee reports corrected in the browser by the agency
that recorded them (same roles as their create forms); everybody else refused with nothing
changed; the change history on the edit page; a second report of the same month and country
refused next to the month."""

from __future__ import annotations

import pytest

from ctms.models import AuditEvent
from reports.models import Activity, DeporteeReport
from tests.factories import ActivityFactory, DeporteeReportFactory

ACTIVITY = {
    "date": "2010-08-01",
    "kind": "training",
    "working_group": "prevention",
    "province": "01",
    "participants_total": "150",
    "participants_female": "60",
    "participants_children": "0",
    "description": "",
}
DEPORTEES = {
    "month": "2010-09",
    "from_country": "THA",
    "total": "120",
    "female": "30",
    "children": "10",
    "detained_over_month": "0",
}
# The agency of each recording persona (the record is theirs).
OWNERS = {
    "alice": "dosvy_bmc",
    "officer": "police",
    "partner": "afesip",
    "analyst": "secretariat",
}


def _updates(record) -> int:
    return AuditEvent.objects.filter(object_id=str(record.pk), action="update").count()


@pytest.mark.parametrize("persona", ["alice", "officer", "partner", "analyst", "admin"])
def test_the_agency_that_recorded_an_activity_corrects_it_with_history(world, client, persona):
    agency = getattr(world.agencies, OWNERS.get(persona, "dosvy_bmc"))
    activity = ActivityFactory(agency=agency)
    client.force_login(getattr(world.users, persona))

    assert client.get(f"/activities/{activity.pk}/edit/").status_code == 200
    response = client.post(f"/activities/{activity.pk}/edit/", ACTIVITY)

    assert response.status_code == 302
    activity.refresh_from_db()
    assert (activity.kind, activity.participants_total, activity.participants_female) == (
        "training",
        150,
        60,
    )
    page = client.get(f"/activities/{activity.pk}/edit/").content.decode()
    history = page[page.index('id="history"') :]
    assert "Training" in history and "150" in history and "100" in history
    assert _updates(activity) == 1


@pytest.mark.parametrize(
    ("persona", "status"),
    [("bob", 404), ("officer", 404), ("partner", 404), ("clerk", 403), ("analyst", 404)],
)
def test_nobody_else_corrects_an_activity_and_nothing_changes(world, client, persona, status):
    activity = ActivityFactory(agency=world.agencies.dosvy_bmc)
    client.force_login(getattr(world.users, persona))

    assert client.get(f"/activities/{activity.pk}/edit/").status_code == status
    assert client.post(f"/activities/{activity.pk}/edit/", ACTIVITY).status_code == status

    activity.refresh_from_db()
    assert (activity.kind, activity.participants_total) == ("awareness_raising", 100)
    assert _updates(activity) == 0


@pytest.mark.parametrize("persona", ["alice", "officer", "analyst", "admin"])
def test_the_agency_that_received_the_deportees_corrects_its_report(world, client, persona):
    agency = getattr(world.agencies, OWNERS.get(persona, "dosvy_bmc"))
    report = DeporteeReportFactory(agency=agency)
    client.force_login(getattr(world.users, persona))

    assert client.get(f"/deportee-reports/{report.pk}/edit/").status_code == 200
    response = client.post(f"/deportee-reports/{report.pk}/edit/", DEPORTEES)

    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.total, report.female) == (120, 30)
    assert _updates(report) == 1


@pytest.mark.parametrize(
    ("persona", "status"),
    [("bob", 404), ("officer", 404), ("partner", 403), ("clerk", 403), ("analyst", 404)],
)
def test_nobody_else_corrects_a_deportee_report_and_nothing_changes(world, client, persona, status):
    report = DeporteeReportFactory(agency=world.agencies.dosvy_bmc)
    client.force_login(getattr(world.users, persona))

    assert client.get(f"/deportee-reports/{report.pk}/edit/").status_code == status
    assert client.post(f"/deportee-reports/{report.pk}/edit/", DEPORTEES).status_code == status

    report.refresh_from_db()
    assert report.total == 100
    assert _updates(report) == 0


def test_a_correction_that_breaks_a_rule_says_so_next_to_the_field(world, client):
    activity = ActivityFactory(agency=world.agencies.dosvy_bmc)
    client.force_login(world.users.alice)

    response = client.post(
        f"/activities/{activity.pk}/edit/", {**ACTIVITY, "participants_female": "151"}
    )

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "participants_female": ["This cannot be more than the total."]
    }
    activity.refresh_from_db()
    assert activity.participants_female == 40


@pytest.mark.parametrize("how", ["create", "edit"])
def test_a_month_and_country_reported_twice_is_refused_next_to_the_month(world, client, how):
    DeporteeReportFactory(agency=world.agencies.dosvy_bmc, month="2010-09", from_country="THA")
    other = DeporteeReportFactory(
        agency=world.agencies.dosvy_bmc, month="2010-10", from_country="THA"
    )
    client.force_login(world.users.alice)
    url = "/deportee-reports/" if how == "create" else f"/deportee-reports/{other.pk}/edit/"

    response = client.post(url, DEPORTEES)

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == ["month"]
    assert errors["month"][0].startswith("Your agency has already reported this month")
    assert DeporteeReport.objects.count() == 2
    other.refresh_from_db()
    assert other.month == "2010-10"


def test_the_lists_link_each_record_to_its_edit_page(world, client):
    activity = ActivityFactory(agency=world.agencies.dosvy_bmc)
    report = DeporteeReportFactory(agency=world.agencies.dosvy_bmc)
    client.force_login(world.users.alice)

    assert f"/activities/{activity.pk}/edit/" in client.get("/activities/").content.decode()
    assert (
        f"/deportee-reports/{report.pk}/edit/" in client.get("/deportee-reports/").content.decode()
    )
    assert Activity.objects.count() == 1
