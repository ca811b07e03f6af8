"""The secretariat's report pages and the /api/v1/reports/ endpoints, role by role."""

from __future__ import annotations

import datetime as dt
import io
import json
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from ctms.models import AuditEvent
from reports.models import ReportRun
from reports.periods import parse_period
from reports.services import run_fields
from tests.factories import OperationFactory, VictimFactory

ALLOWED = ["analyst", "admin"]
REFUSED = ["alice", "minister", "partner", "officer", "clerk"]


@pytest.fixture
def api(world):
    def client_for(name: str) -> APIClient:
        client = APIClient()
        client.force_authenticate(getattr(world.users, name))
        return client

    return client_for


def stored_run(text: str, **fields) -> ReportRun:
    """A run as the database holds it, without the task having run."""
    return ReportRun.objects.create(**run_fields(parse_period(text)), **fields)


def fake_render(report, file_format, language) -> bytes:
    """Page and API tests check links and access, not file contents (test_services and
    test_pdf render real files): skip WeasyPrint here to keep the suite fast."""
    return f"%PDF {file_format} {language}".encode()


@pytest.fixture(autouse=True)
def _fast_files():
    with mock.patch("reports.services.render", fake_render):
        yield


@pytest.fixture
def done_run(world, django_capture_on_commit_callbacks) -> ReportRun:
    OperationFactory(date=dt.date(2010, 8, 1))
    client = APIClient()
    client.force_authenticate(world.users.analyst)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/reports/", {"period": "2010-Q3"}, format="json")
    assert response.status_code == 202
    return ReportRun.objects.get(pk=response.json()["id"])


def test_api_post_answers_202_and_the_run_gives_figures_and_download_links(world, done_run, api):
    response = api("analyst").get(f"/api/v1/reports/{done_run.pk}/")
    body = response.json()
    assert response.status_code == 200
    assert (body["status"], body["progress"]) == ("done", 100)
    assert body["period"] == {"label": "2010-Q3", "start": "2010-07-01", "end": "2010-09-30"}
    assert body["figures"]["law_enforcement"]["operations"] == 1
    assert body["previous_period"]["label"] == "2009-Q3"
    assert body["changes"]["law_enforcement.operations"]["change_pct"] is None
    assert set(body["downloads"]) == {"csv_en", "csv_km", "pdf_en", "pdf_km", "xlsx_en", "xlsx_km"}
    download = api("analyst").get(body["downloads"]["pdf_km"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert (
        AuditEvent.objects.filter(
            action="download", object_id=str(done_run.pk), channel="api"
        ).count()
        == 1
    )


@pytest.mark.parametrize("period", ["2010-Q9", "", "2010-12-31..2010-01-01", None])
def test_api_bad_period_is_a_400_per_field_and_nothing_is_queued(world, api, period):
    response = api("analyst").post("/api/v1/reports/", {"period": period}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["period"]
    assert ReportRun.objects.count() == 0


@pytest.mark.parametrize("who", REFUSED)
def test_api_other_roles_are_refused_and_do_not_see_runs(world, done_run, api, who):
    client = api(who)
    assert client.post("/api/v1/reports/", {"period": "2010"}, format="json").status_code == 403
    assert client.get("/api/v1/reports/").status_code == 403
    assert client.get(f"/api/v1/reports/{done_run.pk}/").status_code == 404
    assert client.get(f"/api/v1/reports/{done_run.pk}/files/pdf_en/").status_code == 404
    assert ReportRun.objects.count() == 1


@pytest.mark.parametrize("who", ALLOWED)
def test_api_list_for_secretariat_and_admin(world, done_run, api, who):
    response = api(who).get("/api/v1/reports/")
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [str(done_run.pk)]


def test_api_anonymous_is_refused(world):
    assert APIClient().get("/api/v1/reports/").status_code in (401, 403)


@pytest.mark.parametrize("who", REFUSED)
def test_pages_are_not_found_for_other_roles(client, world, done_run, who):
    client.force_login(getattr(world.users, who))
    for url in (
        reverse("reports:list"),
        reverse("reports:dashboard"),
        reverse("reports:detail", args=[done_run.pk]),
        reverse("reports:status", args=[done_run.pk]),
        reverse("reports:file", args=[done_run.pk, "pdf_en"]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("reports:list"), {"period": "2010"}).status_code == 404
    assert ReportRun.objects.count() == 1
    assert not AuditEvent.objects.filter(action="download").exists()


def test_secretariat_asks_on_the_page_and_follows_the_run(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.users.analyst)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:list"), {"period": "2010-Q3"})
    run = ReportRun.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("reports:detail", args=[run.pk])
    page = client.get(response.url).content.decode()
    assert "Police investigated and cracked down" in page
    assert reverse("reports:file", args=[run.pk, "xlsx_km"]) in page
    assert 'hx-trigger="every 1s"' not in page  # done: polling stops


def test_a_running_run_page_polls_its_status_fragment(client, world):
    run = stored_run(
        "2010-Q3",
        status="running",
        progress=47,
        progress_message="Writing PDF (en)",
    )
    client.force_login(world.users.analyst)
    page = client.get(reverse("reports:detail", args=[run.pk])).content.decode()
    status_url = reverse("reports:status", args=[run.pk])
    assert f'hx-get="{status_url}" hx-trigger="every 1s" hx-swap="outerHTML"' in page
    fragment = client.get(status_url).content.decode()
    assert "47%" in fragment and "Writing PDF (English)" in fragment
    assert "<html" not in fragment


def test_bad_period_on_the_page_is_a_form_error(client, world):
    client.force_login(world.users.analyst)
    response = client.post(reverse("reports:list"), {"period": "2010-Q5"})
    assert response.status_code == 200
    assert "Give a quarter (2010-Q3)" in response.content.decode()
    assert ReportRun.objects.count() == 0


def test_page_download_is_audited(client, world, done_run):
    client.force_login(world.users.admin)
    response = client.get(reverse("reports:file", args=[done_run.pk, "xlsx_en"]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    event = AuditEvent.objects.get(action="download", channel="web")
    assert (event.actor, event.details["file"]) == (world.users.admin, "xlsx_en")


def test_dashboard_shows_charts_and_no_names(client, world):
    victim = VictimFactory(given_name="Sreymom", family_name="Uniquename")
    operation = OperationFactory(date=timezone.localdate())
    operation.rescues.create(victim=victim, placement="ngo")
    client.force_login(world.users.analyst)
    page = client.get(reverse("reports:dashboard")).content.decode()
    assert page.count('<figure class="ctms-chart"') == 5  # drawn in the page, not pictures
    assert "data:image/svg+xml" not in page
    assert "Uniquename" not in page and "Sreymom" not in page
    assert "Victims rescued" in page


def test_nav_shows_reports_to_the_secretariat_only(client, world):
    client.force_login(world.users.analyst)
    assert reverse("reports:list") in client.get(reverse("home")).content.decode()
    client.force_login(world.users.alice)
    assert reverse("reports:list") not in client.get(reverse("home")).content.decode()


def test_manage_py_report_prints_the_same_json_as_the_api(world, done_run, api):
    body = api("analyst").get(f"/api/v1/reports/{done_run.pk}/").json()
    output = io.StringIO()
    call_command("report", "--period", "2010-Q3", "--format", "json", stdout=output)
    printed = json.loads(output.getvalue())
    keys = ["period", "previous_period", "figures", "previous_figures", "changes"]
    assert list(printed) == keys
    assert printed == {key: body[key] for key in keys}


def test_manage_py_report_bad_period_is_an_error(db):
    with pytest.raises(CommandError, match="Give a quarter"):
        call_command("report", "--period", "Q3")


def test_a_failed_run_is_run_again_from_its_page(client, world, django_capture_on_commit_callbacks):
    run = stored_run(
        "2010",
        status="failed",
        error="TimeLimitExceeded",
    )
    client.force_login(world.users.analyst)
    assert (
        reverse("reports:retry", args=[run.pk])
        in client.get(reverse("reports:detail", args=[run.pk])).content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:retry", args=[run.pk]))
    run.refresh_from_db()
    assert response.status_code == 302
    assert (run.status, run.error, len(run.files)) == ("done", "", 6)
    # A done run is not run again
    client.post(reverse("reports:retry", args=[run.pk]))
    run.refresh_from_db()
    assert (run.status, run.attempts) == ("done", 1)


@pytest.mark.parametrize(
    ("message", "language", "label"),
    [
        ("Computing figures", "en", "Computing figures"),
        ("Writing PDF (km)", "en", "Writing PDF (Khmer)"),
        ("Writing XLSX (en)", "km", "កំពុងសរសេរ XLSX (អង់គ្លេស)"),
        ("Figures computed", "km", "បានគណនាតួលេខរួចហើយ"),
    ],
)
def test_progress_is_shown_in_the_readers_language(compiled_messages, message, language, label):
    from django.utils import translation

    from reports.models import ReportRun

    with translation.override(language):
        assert ReportRun(progress_message=message).progress_label == label
