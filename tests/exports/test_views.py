"""The export pages: who reaches them, what they stream, what they audit."""

from __future__ import annotations

import pytest
from django.http import FileResponse, StreamingHttpResponse
from django.urls import reverse

from ctms.models import AuditEvent
from exports.models import ExportRun
from tests.exports.conftest import add_group, parse_csv

pytestmark = pytest.mark.django_db

EXPORTERS = ["analyst", "admin"]
OTHERS = ["alice", "minister", "partner", "officer", "clerk"]
GET_URLS = ["exports:page", "exports:summary", "exports:csv", "exports:xlsx"]


@pytest.fixture
def data():
    add_group(11, sex="female", birth_year=1995)
    add_group(4, sex="male", birth_year=1970)


def as_user(client, world, name):
    client.force_login(getattr(world.users, name))
    return client


@pytest.mark.parametrize("name", OTHERS)
@pytest.mark.parametrize("url", GET_URLS)
def test_others_are_not_told_the_export_exists(client, world, data, name, url):
    response = as_user(client, world, name).get(reverse(url))
    assert response.status_code == 404
    assert AuditEvent.objects.filter(object_type="ctdc_export").count() == 0


@pytest.mark.parametrize("name", OTHERS)
def test_others_cannot_start_a_background_export(client, world, data, name):
    as_user(client, world, name)
    audit_events_before = AuditEvent.objects.count()  # signing in is audited
    response = client.post(reverse("exports:run_create"), {"format": "csv"})
    assert response.status_code == 404
    assert ExportRun.objects.count() == 0
    assert AuditEvent.objects.count() == audit_events_before


def test_anonymous_users_are_sent_to_log_in(client, data):
    response = client.get(reverse("exports:csv"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", EXPORTERS)
def test_the_secretariat_sees_the_page_and_the_counts(client, world, data, name):
    as_user(client, world, name)
    assert client.get(reverse("exports:page")).status_code == 200
    summary = client.get(reverse("exports:summary"))
    assert summary.status_code == 200
    assert "11 rows will be exported; 4 rows are suppressed" in " ".join(
        summary.content.decode().split()
    )


@pytest.mark.parametrize("name", EXPORTERS)
def test_the_csv_streams_and_is_audited(client, world, data, name):
    response = as_user(client, world, name).get(reverse("exports:csv"))
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = parse_csv(b"".join(response.streaming_content).decode())
    assert [row["gender"] for row in rows] == ["Female"] * 11
    event = AuditEvent.objects.get(object_type="ctdc_export")
    assert (event.actor, event.action, event.channel, event.details) == (
        getattr(world.users, name),
        "download",
        "web",
        {"format": "csv"},
    )


def test_a_small_xlsx_is_sent_at_once(client, world, data):
    response = as_user(client, world, "analyst").get(reverse("exports:xlsx"))
    assert response.status_code == 200
    assert isinstance(response, FileResponse)
    assert b"".join(response.streaming_content)[:2] == b"PK"  # a zip container
    assert AuditEvent.objects.filter(object_type="ctdc_export", action="download").count() == 1


@pytest.mark.parametrize("url", ["exports:csv", "exports:xlsx"])
def test_a_large_export_is_sent_to_the_background(client, world, data, settings, url):
    settings.CTDC_DIRECT_MAX_ROWS = 10
    response = as_user(client, world, "analyst").get(reverse(url))
    assert response.status_code == 302
    assert response["Location"] == reverse("exports:page")
    assert AuditEvent.objects.filter(object_type="ctdc_export").count() == 0


def test_a_background_export_reports_progress_and_its_file_downloads(
    client, world, data, django_capture_on_commit_callbacks
):
    # given the secretariat asks for a background XLSX (the task runs in-process in tests)
    as_user(client, world, "analyst")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("exports:run_create"), {"format": "xlsx"})
    run = ExportRun.objects.get()
    assert response["Location"] == reverse("exports:run", args=[run.pk])
    # then the run is done with exact counts, shown on its page
    assert (run.status, run.rows_written, run.rows_suppressed, run.rows_expected) == (
        "done",
        11,
        4,
        15,
    )
    fragment = client.get(reverse("exports:run", args=[run.pk]), HTTP_HX_REQUEST="true")
    text = " ".join(fragment.content.decode().split())
    assert "11 rows written; 4 rows suppressed" in text
    assert "every 2s" not in text  # a finished run stops polling
    # and its file downloads, audited
    download = client.get(reverse("exports:run_download", args=[run.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content)[:2] == b"PK"
    actions = list(
        AuditEvent.objects.filter(object_type="ctdc_export").values_list("details", flat=True)
    )
    assert sorted(d.get("rows", -1) for d in actions) == [-1, 11]


def test_others_cannot_see_or_download_a_run(client, world, data):
    as_user(client, world, "analyst").post(reverse("exports:run_create"), {"format": "csv"})
    run = ExportRun.objects.get()
    as_user(client, world, "alice")
    events = AuditEvent.objects.count()
    assert client.get(reverse("exports:run", args=[run.pk])).status_code == 404
    assert client.get(reverse("exports:run_download", args=[run.pk])).status_code == 404
    assert AuditEvent.objects.count() == events


def test_a_bad_format_is_refused_with_a_message(client, world, data):
    response = as_user(client, world, "analyst").post(
        reverse("exports:run_create"), {"format": "pdf"}, follow=True
    )
    assert response.status_code == 200
    assert "Choose CSV or XLSX." in response.content.decode()
    assert ExportRun.objects.count() == 0
