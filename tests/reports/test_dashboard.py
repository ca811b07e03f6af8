"""The secretariat's dashboard: a choice of quarter and province, role by role, figures from
the report's own code, charts drawn by the template from cached figures; a choice not kept yet
answers at once with a placeholder polling the figures fragment while the figures are built
in the background, and a beat task keeps the common choices warm."""

from __future__ import annotations

import datetime as dt
import re
from unittest import mock

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from reports.dashboard import (
    DASHBOARD_FRESH_SECONDS,
    DASHBOARD_WARM_EVERY_SECONDS,
    POLL_TRIES,
    WARM_SKIP_YOUNGER_THAN,
    entry_key,
    warm,
    warm_choices,
)
from reports.figures import build_report, compute_figures, flatten
from reports.periods import current_quarter, parse_period, quarter, quarters_between
from reports.tasks import (
    refresh_dashboard,
    start_dashboard_refresh,
    wait_for_background_reports,
    warm_dashboard,
)
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
FIGURES = "/reports/dashboard/figures/"


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


# ---- a choice not kept yet: the placeholder, the fragment it polls, the background build ----


def test_a_first_visit_builds_nothing_and_answers_with_a_polling_placeholder(client, two_provinces):
    client.force_login(two_provinces.users.analyst)
    url, query = reverse("reports:dashboard"), {"period": "2010-Q3", "province": "01"}
    with (
        mock.patch("reports.views.start_dashboard_refresh") as start,
        mock.patch("reports.dashboard.build_report") as build,
    ):
        response = client.get(url, query)
        client.get(url, query)  # a second visit while the build runs asks for none
        fragment = client.get(FIGURES, {**query, "tries": "3"})
    build.assert_not_called()
    start.assert_called_once_with("2010-Q3", "01")
    page = response.content.decode()
    assert response.status_code == 200 and "ctms-chart" not in page
    assert "2010-Q3 against 2009-Q3 · Banteay Meanchey" in page  # the page frame is there
    assert 'role="status"' in page
    assert "Preparing the figures for 2010-Q3, Banteay Meanchey…" in page
    # htmx asks for the fragment in 2 s; without JavaScript, a link reloads the page
    assert f'hx-get="{FIGURES}?period=2010-Q3&amp;province=01&amp;tries=1"' in page
    assert 'hx-trigger="load delay:2s"' in page and 'hx-swap="outerHTML"' in page
    assert 'href="/reports/dashboard/?period=2010-Q3&amp;province=01">Refresh</a>' in page
    # The fragment answers the placeholder alone (no page frame), counting its polls
    assert fragment.status_code == 200
    body = fragment.content.decode()
    assert body.lstrip().startswith('<div id="dashboard-figures" data-state="preparing"')
    assert "tries=4" in body and "<html" not in body


def test_the_fragment_returns_the_sections_once_built_and_stops_polling(client, two_provinces):
    client.force_login(two_provinces.users.analyst)
    query = {"period": "2010-Q3", "province": "01", "tries": "5"}
    with mock.patch("reports.views.start_dashboard_refresh"):
        assert 'data-state="preparing"' in client.get(FIGURES, query).content.decode()
    refresh_dashboard("2010-Q3", "01")  # the background build
    with mock.patch("reports.dashboard.build_report") as build:
        body = client.get(FIGURES, query).content.decode()
    build.assert_not_called()
    assert 'data-state="ready"' in body and "hx-get" not in body
    assert bar(body, "Operations") == "Operations: 2009-Q3 0, 2010-Q3 2"
    assert "Figures as of" in body


def test_the_all_provinces_placeholder_names_the_choice(client, two_provinces):
    client.force_login(two_provinces.users.admin)
    with mock.patch("reports.views.start_dashboard_refresh"):
        page = client.get(reverse("reports:dashboard"), {"period": "2010-Q3"}).content.decode()
    assert "Preparing the figures for 2010-Q3, all provinces…" in page


def test_the_khmer_placeholder_is_in_khmer(client, two_provinces, compiled_messages):
    client.force_login(two_provinces.users.analyst)
    client.cookies["django_language"] = "km"
    with mock.patch("reports.views.start_dashboard_refresh"):
        body = client.get(FIGURES, {"period": "2010-Q3", "province": "01"}).content.decode()
    status = re.search(r'role="status"[^>]*>(.*?)</div>', body, re.S).group(1)
    assert "Preparing" not in status and "Refresh" not in status
    assert re.search("[\u1780-\u17ff]", status)


@pytest.mark.parametrize("who", ALLOWED)
def test_secretariat_and_admin_get_the_fragment(client, two_provinces, who):
    client.force_login(getattr(two_provinces.users, who))
    response = client.get(FIGURES, {"period": "2010-Q3"})  # built at once: tasks run eagerly
    assert response.status_code == 200
    assert bar(response.content.decode(), "Operations") == "Operations: 2009-Q3 0, 2010-Q3 3"


@pytest.mark.parametrize("who", REFUSED)
def test_other_roles_get_404_from_the_fragment_and_nothing_is_built(client, two_provinces, who):
    client.force_login(getattr(two_provinces.users, who))
    with (
        mock.patch("reports.views.start_dashboard_refresh") as start,
        mock.patch("reports.dashboard.build_report") as build,
    ):
        for query in ({}, {"period": "2010-Q3"}, {"period": "2010-Q3", "province": "01"}):
            assert client.get(FIGURES, query).status_code == 404
            assert client.post(FIGURES, query).status_code == 405
    start.assert_not_called()
    build.assert_not_called()
    assert not cache.get("reports:dashboard:2010-Q3:01")
    assert not cache.get("reports:dashboard:2010-Q3:01:refreshing")


def test_anonymous_is_sent_to_sign_in_from_the_fragment(client, world):
    with mock.patch("reports.views.start_dashboard_refresh") as start:
        response = client.get(FIGURES, {"period": "2010-Q3"})
    assert response.status_code == 302 and "login" in response.url
    start.assert_not_called()


def test_a_choice_not_offered_is_a_400_from_the_fragment(client, two_provinces):
    client.force_login(two_provinces.users.analyst)
    with mock.patch("reports.views.start_dashboard_refresh") as start:
        assert client.get(FIGURES, {"period": "2010-Q5"}).status_code == 400
        assert client.get(FIGURES, {"province": "99"}).status_code == 400
    start.assert_not_called()


def test_a_failed_build_says_so_without_polling_and_is_asked_again_later(client, two_provinces):
    client.force_login(two_provinces.users.analyst)
    url, query = reverse("reports:dashboard"), {"period": "2010-Q3", "province": "01"}
    # The (eager) build fails: the page answers 200 with the error and a retry link
    with mock.patch("reports.dashboard.build_report", side_effect=RuntimeError("db gone")):
        response = client.get(url, query)
    page = response.content.decode()
    assert response.status_code == 200
    figures = re.search(r'<div id="dashboard-figures"[^>]*>', page).group(0)
    assert 'data-state="failed"' in figures and "hx-get" not in figures
    assert "The figures for 2010-Q3, Banteay Meanchey could not be prepared." in page
    assert 'href="/reports/dashboard/?period=2010-Q3&amp;province=01">Try again</a>' in page
    # While the failure is recent, visits and polls show it and ask for no build
    with mock.patch("reports.views.start_dashboard_refresh") as start:
        assert 'data-state="failed"' in client.get(FIGURES, query).content.decode()
        assert 'data-state="failed"' in client.get(url, query).content.decode()
    start.assert_not_called()
    # A minute later (the failure forgotten) the next visit asks again, and this build works
    cache.delete("reports:dashboard:2010-Q3:01:failed")
    assert bar(client.get(url, query).content.decode(), "Operations").endswith("2010-Q3 2")


def test_a_broker_that_refuses_the_task_is_a_failed_build_not_a_500(client, two_provinces):
    client.force_login(two_provinces.users.analyst)
    with mock.patch("reports.views.start_dashboard_refresh", side_effect=OSError("no broker")):
        response = client.get(reverse("reports:dashboard"), {"period": "2010-Q3"})
    assert response.status_code == 200
    assert 'data-state="failed"' in response.content.decode()
    assert not cache.get("reports:dashboard:2010-Q3:all:refreshing")  # may be asked again


def test_the_placeholder_stops_polling_after_its_last_try(client, two_provinces):
    client.force_login(two_provinces.users.analyst)
    with mock.patch("reports.views.start_dashboard_refresh"):
        body = client.get(FIGURES, {"period": "2010-Q3", "tries": str(POLL_TRIES)}).content
    body = body.decode()
    assert 'data-state="late"' in body and "hx-get" not in body
    assert "is taking longer than usual" in body and ">Refresh</a>" in body


@pytest.mark.django_db(transaction=True)
def test_without_a_broker_the_first_visit_answers_and_the_thread_builds_the_figures(
    client, two_provinces, settings
):
    settings.REPORT_THREAD = True
    client.force_login(two_provinces.users.analyst)
    query = {"period": "2010-Q3", "province": "12"}
    with mock.patch("reports.tasks.refresh_dashboard.apply") as held:
        page = client.get(reverse("reports:dashboard"), query).content.decode()
        wait_for_background_reports()
    held.assert_called_once()  # handed to the background thread, not built in the request
    assert 'data-state="preparing"' in page
    cache.delete("reports:dashboard:2010-Q3:12:refreshing")  # (the held build never ran)
    client.get(FIGURES, query)  # the next poll asks again; now the thread builds
    wait_for_background_reports()
    body = client.get(FIGURES, query).content.decode()
    assert bar(body, "Operations") == "Operations: 2009-Q3 0, 2010-Q3 1"


# ---- the warm-up -----------------------------------------------------------------------------


def test_the_warm_up_is_scheduled_every_15_minutes(db):
    task = PeriodicTask.objects.get(task="reports.tasks.warm_dashboard")
    assert task.enabled and (task.interval.every, task.interval.period) == (15, "minutes")
    assert DASHBOARD_WARM_EVERY_SECONDS == 15 * 60
    # A kept choice is never found stale between two warm-ups (a build takes seconds)
    assert DASHBOARD_FRESH_SECONDS > DASHBOARD_WARM_EVERY_SECONDS + 60


def test_the_warm_up_builds_this_and_the_previous_quarter_for_provinces_with_records(
    two_provinces,
):
    today = dt.date(2010, 8, 20)  # 2010-Q3; the previous quarter is 2010-Q2
    choices = [(period.label, province) for period, province in warm_choices(today)]
    provinces = {province for _label, province in choices}
    # The country, the agencies' provinces (01, 12 and the world's others), the operations'
    assert ("2010-Q3", "") in choices and ("2010-Q2", "") in choices
    assert {"01", "12"} <= provinces and "25" not in provinces
    assert len(choices) == 2 * len(provinces)
    with mock.patch("reports.dashboard.build_report", wraps=build_report) as build:
        counts = warm(today)
    assert counts["built"] == len(choices) == build.call_count
    assert (counts["fresh"], counts["busy"], counts["failed"]) == (0, 0, 0)
    kept = cache.get(entry_key(parse_period("2010-Q3"), "01"))
    assert kept["report"]["changes"]["law_enforcement.operations"]["value"] == 2
    # A visit now finds the figures: no placeholder, no build
    with mock.patch("reports.dashboard.build_report") as build:
        again = warm(today)
    build.assert_not_called()
    assert again["fresh"] == len(choices) and again["built"] == 0


def test_the_warm_up_rebuilds_old_entries_and_leaves_busy_choices(two_provinces):
    today = dt.date(2010, 8, 20)
    warm(today)
    old = cache.get(entry_key(parse_period("2010-Q3"), ""))
    old["built_at"] -= WARM_SKIP_YOUNGER_THAN + 1  # built by the previous warm-up
    cache.set(entry_key(parse_period("2010-Q3"), ""), old)
    cache.add("reports:dashboard:2010-Q3:12:refreshing", 1)  # a visit's build under way
    cache.delete(entry_key(parse_period("2010-Q3"), "12"))
    with mock.patch("reports.dashboard.build_report", return_value={"changes": {}}) as build:
        counts = warm(today)
    build.assert_called_once()
    assert build.call_args.args[0].label == "2010-Q3" and build.call_args.args[1] == ""
    assert (counts["built"], counts["busy"]) == (1, 1)


def test_one_warm_up_at_a_time_and_a_failure_does_not_stop_it(two_provinces):
    today = dt.date(2010, 8, 20)
    cache.add("reports:dashboard:warming", 1)
    with mock.patch("reports.dashboard.build_report") as build:
        assert warm(today)["busy"] == -1
    build.assert_not_called()
    cache.delete("reports:dashboard:warming")
    with mock.patch("reports.dashboard.build_report", side_effect=RuntimeError("x")):
        counts = warm(today)
    assert counts["failed"] == len(warm_choices(today)) and counts["built"] == 0
    assert not cache.get("reports:dashboard:warming")


def test_the_beat_task_warms_today_s_quarters(world):
    OperationFactory(date=timezone.localdate(), province="12")
    counts = warm_dashboard()
    assert counts["built"] >= 2
    this_quarter = current_quarter(timezone.localdate())
    assert cache.get(entry_key(this_quarter, "12"))


def test_a_quarter_s_report_run_keeps_the_country_s_figures_for_the_dashboard(
    client, two_provinces, django_capture_on_commit_callbacks
):
    from reports.services import report_request

    with django_capture_on_commit_callbacks(execute=True):  # the runs start: eagerly here
        report_request(user=two_provinces.users.analyst, period="2010-Q3")
        report_request(user=two_provinces.users.analyst, period="2010")  # not a choice
    assert cache.get("reports:dashboard:2010-Q3:all")
    assert not cache.get("reports:dashboard:2010:all")
    client.force_login(two_provinces.users.analyst)
    with mock.patch("reports.dashboard.build_report") as build:
        page = client.get(reverse("reports:dashboard"), {"period": "2010-Q3"}).content.decode()
    build.assert_not_called()
    assert bar(page, "Operations") == "Operations: 2009-Q3 0, 2010-Q3 3"
