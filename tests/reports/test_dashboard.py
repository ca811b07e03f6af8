"""The secretariat's dashboard: a choice of quarter and province, role by role, figures from
the report's own code, charts drawn by the template from cached figures."""

from __future__ import annotations

import datetime as dt
import re
from unittest import mock

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from reports.dashboard import DASHBOARD_FRESH_SECONDS
from reports.figures import compute_figures, flatten
from reports.periods import current_quarter, quarter, quarters_between
from reports.tasks import refresh_dashboard, start_dashboard_refresh, wait_for_background_reports
from tests.factories import (
    ActivityFactory,
    CaseFactory,
    DeporteeReportFactory,
    FollowUpFactory,
    OperationFactory,
    ProsecutionFactory,
    ReferralFactory,
    RepatriationFactory,
    RescueFactory,
)

ALLOWED = ["analyst", "admin"]
REFUSED = ["alice", "minister", "partner", "officer", "clerk"]
Q3 = (dt.date(2010, 7, 1), dt.date(2010, 9, 30))


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def bar(page: str, name: str) -> str:
    """The accessible text of a chart's bar: "Operations: 2009-Q3 0, 2010-Q3 2"."""
    found = re.search(rf'aria-label="({re.escape(name)}: [^"]*)"', page)
    assert found, name
    return found.group(1)


@pytest.fixture
def two_provinces(world):
    """In 2010-Q3: two operations in Banteay Meanchey (01), one in Phnom Penh (12), and one
    record of each other kind recorded by an agency of each province."""
    a = world.agencies
    for province in ("01", "01", "12"):
        operation = OperationFactory(date=dt.date(2010, 8, 1), province=province)
        RescueFactory(operation=operation)
    for agency in (a.dosvy_bmc, a.police_other):  # 01, 12
        CaseFactory(agency=agency, opened_on=dt.date(2010, 8, 2))
        RepatriationFactory(receiving_agency=agency, received_on=dt.date(2010, 8, 3))
        FollowUpFactory(agency=agency, date=dt.date(2010, 8, 4))
        DeporteeReportFactory(agency=agency, month="2010-08", total=70)
    ReferralFactory(from_agency=a.dosvy_bmc, victim__agency=a.dosvy_bmc, created_on=Q3[0])
    ProsecutionFactory(court=a.court, filed_on=dt.date(2010, 8, 5))
    ProsecutionFactory(court=a.court_other, filed_on=dt.date(2010, 8, 5))
    ActivityFactory(agency=a.police, province="01")
    ActivityFactory(agency=a.police, province="12", participants_total=30, participants_female=10)
    return world


def test_a_province_s_figures_count_only_its_records(two_provinces):
    everywhere = flatten(compute_figures(*Q3))
    bmc, phnom_penh = flatten(compute_figures(*Q3, "01")), flatten(compute_figures(*Q3, "12"))
    assert (bmc["law_enforcement.operations"], phnom_penh["law_enforcement.operations"]) == (2, 1)
    assert everywhere["law_enforcement.operations"] == 3
    assert bmc["law_enforcement.victims_rescued.total"] == 2
    for key in (
        "victim_protection.cases_opened",
        "victim_protection.repatriated_victims.total",
        "victim_protection.reintegration.monitored.total",
        "justice.cases_prosecuted",
        "prevention.activities",
    ):
        assert (bmc[key], phnom_penh[key], everywhere[key]) == (1, 1, 2), key
    assert (
        bmc["victim_protection.deportees.total"],
        everywhere["victim_protection.deportees.total"],
    ) == (70, 140)
    assert (
        bmc["victim_protection.referrals.total"],
        phnom_penh["victim_protection.referrals.total"],
    ) == (1, 0)
    assert (bmc["prevention.participants.total"], phnom_penh["prevention.participants.total"]) == (
        100,
        30,
    )
    # A province with no record: every figure 0.
    assert not any(flatten(compute_figures(*Q3, "20")).values())


def test_quarters_offered_run_from_the_first_record_to_today_newest_first():
    periods = quarters_between(dt.date(2025, 5, 17), dt.date(2026, 2, 1))
    assert [p.label for p in periods] == ["2026-Q1", "2025-Q4", "2025-Q3", "2025-Q2"]
    assert current_quarter(dt.date(2026, 12, 3)) == quarter(2026, 4)


@pytest.mark.parametrize("who", ALLOWED)
def test_secretariat_and_admin_choose_a_quarter_and_a_province(client, two_provinces, who):
    client.force_login(getattr(two_provinces.users, who))
    url = reverse("reports:dashboard")
    page = client.get(url, {"period": "2010-Q3"}).content.decode()
    assert bar(page, "Operations") == "Operations: 2009-Q3 0, 2010-Q3 3"
    assert "2010-Q3 against 2009-Q3" in page and "so far" not in page
    response = client.get(url, {"period": "2010-Q3", "province": "01"})
    assert response.status_code == 200
    page = response.content.decode()
    assert bar(page, "Operations") == "Operations: 2009-Q3 0, 2010-Q3 2"
    assert bar(page, "Cases prosecuted") == "Cases prosecuted: 2009-Q3 0, 2010-Q3 1"
    assert "Banteay Meanchey" in page
    # The choosers list the quarters since the first record and the gazetteer's provinces.
    assert '<option value="2010-Q3" selected>2010-Q3</option>' in page
    this_quarter = current_quarter(timezone.localdate()).label
    assert f'<option value="{this_quarter}">' in page
    assert '<option value="2010-Q2"' not in page
    assert '<option value="01" selected>' in page and '<option value="12">' in page
    assert '<option value="25">' in page  # Tboung Khmum: the 25th province


def test_the_default_is_this_quarter_so_far_for_the_whole_country(client, world):
    OperationFactory(date=timezone.localdate(), province="12")
    client.force_login(world.users.analyst)
    page = client.get(reverse("reports:dashboard")).content.decode()
    this_quarter = current_quarter(timezone.localdate())
    assert f"{this_quarter.label} so far, against {this_quarter.previous().label}" in page
    assert bar(page, "Operations").endswith(f"{this_quarter.label} 1")


@pytest.mark.parametrize("who", REFUSED)
def test_other_roles_get_404_whatever_they_choose(client, two_provinces, who):
    client.force_login(getattr(two_provinces.users, who))
    with mock.patch("reports.dashboard.build_report") as build:
        for query in ({}, {"period": "2010-Q3"}, {"period": "2010-Q3", "province": "01"}):
            assert client.get(reverse("reports:dashboard"), query).status_code == 404
    build.assert_not_called()  # no figures computed for them, nothing cached
    assert not cache.get("reports:dashboard:2010-Q3:01")


def test_anonymous_is_sent_to_sign_in(client, world):
    response = client.get(reverse("reports:dashboard"), {"period": "2010-Q3"})
    assert response.status_code == 302 and "login" in response.url


@pytest.mark.parametrize(
    "query", [{"period": "2010-Q5"}, {"period": "1999-Q1"}, {"province": "99"}, {"province": "x"}]
)
def test_a_period_or_province_not_offered_is_a_400_with_the_chooser(client, two_provinces, query):
    client.force_login(two_provinces.users.analyst)
    with mock.patch("reports.dashboard.build_report") as build:
        response = client.get(reverse("reports:dashboard"), query)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="dashboard-choice"' in page and "ctms-chart" not in page
    assert "Select a valid choice" in page
    build.assert_not_called()


def test_a_warm_visit_builds_nothing_and_asks_the_database_only_for_the_page_frame(
    client, two_provinces, django_assert_max_num_queries
):
    client.force_login(two_provinces.users.analyst)
    url = reverse("reports:dashboard")
    query = {"period": "2010-Q3", "province": "01"}
    first = client.get(url, query).content.decode()
    with mock.patch("reports.dashboard.build_report") as build:
        # The page frame only (session, user, two-factor device, the nav bar's agency): no
        # figure and no chart query.
        with django_assert_max_num_queries(4):
            again = client.get(url, query).content.decode()
    build.assert_not_called()
    assert bar(again, "Operations") == bar(first, "Operations")


def test_the_khmer_dashboard_names_bars_in_khmer(client, two_provinces, compiled_messages):
    client.force_login(two_provinces.users.analyst)
    client.cookies["django_language"] = "km"
    page = client.get(reverse("reports:dashboard"), {"period": "2010-Q3"}).content.decode()
    names = re.findall(r'class="ctms-chart-label">([^<]+)<', page)
    assert len(names) > 20
    assert all(re.search("[\u1780-\u17ff]", name) for name in names), names


def test_stale_figures_are_shown_at_once_and_rebuilt_once_in_the_background(client, two_provinces):
    client.force_login(two_provinces.users.analyst)
    url, query = reverse("reports:dashboard"), {"period": "2010-Q3", "province": "01"}
    assert bar(client.get(url, query).content.decode(), "Operations").endswith("2010-Q3 2")
    # Later a third operation lands in the province, and the kept figures grow stale
    OperationFactory(date=dt.date(2010, 8, 9), province="01")
    key = "reports:dashboard:2010-Q3:01"
    entry = cache.get(key)
    entry["built_at"] -= DASHBOARD_FRESH_SECONDS + 1
    cache.set(key, entry)
    with (
        mock.patch("reports.views.start_dashboard_refresh") as start,
        mock.patch("reports.dashboard.build_report") as build,
    ):
        stale = client.get(url, query).content.decode()
        client.get(url, query)  # a second visit while the rebuild runs asks for none
    build.assert_not_called()  # the visit built nothing: it showed the kept figures
    assert bar(stale, "Operations").endswith("2010-Q3 2")
    start.assert_called_once_with("2010-Q3", "01")
    # The background task rebuilds them; the next visit shows the new figures
    assert refresh_dashboard("2010-Q3", "01") == "2010-Q3"
    fresh = client.get(url, query).content.decode()
    assert bar(fresh, "Operations").endswith("2010-Q3 3")


@pytest.mark.django_db(transaction=True)
def test_without_a_broker_the_rebuild_runs_on_the_background_thread(two_provinces, settings):
    settings.REPORT_THREAD = True
    cache.set(
        "reports:dashboard:2010-Q3:all", {"report": {}, "built_at": 0.0}, DASHBOARD_FRESH_SECONDS
    )
    start_dashboard_refresh("2010-Q3", "")
    wait_for_background_reports()
    entry = cache.get("reports:dashboard:2010-Q3:all")
    assert entry["built_at"] > 0
    assert entry["report"]["changes"]["law_enforcement.operations"]["value"] == 3
