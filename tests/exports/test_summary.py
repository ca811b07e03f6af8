"""The export page's CTDC counts are kept, not counted at each visit (issue 17: the page must
answer in under 300 ms on a million victims; counting takes about ten seconds there)."""

from __future__ import annotations

import datetime as dt
import threading
import time
from unittest import mock

import pytest
from django.core.cache import cache
from django.urls import reverse

from exports import summary as kept
from exports.ctdc import ExportSummary, ctdc_summary
from exports.models import ExportRun
from exports.services import kept_when_done
from exports.tasks import count_ctdc_summary, start_summary_count, wait_for_background_counts
from tests.exports.conftest import add_group

pytestmark = pytest.mark.django_db

EXPORTERS = ["analyst", "admin"]
OTHERS = ["alice", "minister", "partner", "officer", "clerk"]
KEY = kept.summary_key(11)


@pytest.fixture
def data():
    add_group(11, sex="female", birth_year=1995)
    add_group(4, sex="male", birth_year=1970)


def text(response) -> str:
    return " ".join(response.content.decode().split())


def fragment(client):
    return client.get(reverse("exports:summary"), HTTP_HX_REQUEST="true")


def keep_counts(total: int, suppressed: int, *, age: float = 0.0) -> None:
    kept.keep(ExportSummary(k=11, rows_total=total, rows_suppressed=suppressed), time.time() - age)


@pytest.mark.parametrize("name", OTHERS)
@pytest.mark.parametrize("url", ["exports:page", "exports:summary"])
def test_other_roles_are_refused_and_nothing_is_counted_or_kept(client, world, data, name, url):
    client.force_login(getattr(world.users, name))
    with (
        mock.patch("exports.summary.ctdc_summary") as count,
        mock.patch("exports.views.start_summary_count") as start,
    ):
        assert client.get(reverse(url)).status_code == 404
    count.assert_not_called()
    start.assert_not_called()
    assert cache.get(KEY) is None
    assert cache.get(f"{KEY}:counting") is None


@pytest.mark.parametrize("name", EXPORTERS)
@pytest.mark.parametrize("url", ["exports:page", "exports:summary"])
def test_kept_counts_are_shown_with_their_time_and_nothing_is_counted(
    client, world, data, name, url
):
    keep_counts(120, 20, age=60)
    client.force_login(getattr(world.users, name))
    with (
        mock.patch("exports.summary.ctdc_summary") as count,
        mock.patch("exports.views.start_summary_count") as start,
    ):
        response = client.get(reverse(url))
    assert response.status_code == 200
    count.assert_not_called()
    start.assert_not_called()  # fresh: no count asked for either
    body = text(response)
    assert "100 rows will be exported; 20 rows are suppressed (groups under 11 victims)." in body
    assert "Figures as of " in body
    assert 'hx-trigger="every 2s"' not in body  # nothing to wait for: no polling


def test_with_nothing_kept_a_placeholder_polls_while_one_count_runs(client, world, data):
    client.force_login(world.users.analyst)
    with (
        mock.patch("exports.summary.ctdc_summary") as count,
        mock.patch("exports.views.start_summary_count") as start,
    ):
        page = client.get(reverse("exports:page"))
        polled = fragment(client)
    count.assert_not_called()  # the visits counted nothing
    start.assert_called_once_with(11)  # the first visit asked for one count; the poll did not
    for response in (page, polled):
        assert response.status_code == 200
        body = text(response)
        assert "Counting rows…" in body
        assert f'hx-get="{reverse("exports:summary")}" hx-trigger="every 2s"' in body
        assert f'href="{reverse("exports:page")}">Reload the page</a>' in body  # without JS
        assert "rows will be exported" not in body
    # The count runs (the background task) and keeps the figures; the next poll shows them
    assert count_ctdc_summary(11) == 11
    done = text(fragment(client))
    assert "11 rows will be exported; 4 rows are suppressed" in done
    assert "every 2s" not in done  # polling stops


def test_stale_counts_are_shown_at_once_and_counted_again_once_in_the_background(
    client, world, data
):
    keep_counts(100, 0, age=kept.SUMMARY_FRESH_SECONDS + 60)
    client.force_login(world.users.analyst)
    with (
        mock.patch("exports.summary.ctdc_summary") as count,
        mock.patch("exports.views.start_summary_count") as start,
    ):
        stale = text(fragment(client))
        text(fragment(client))  # a second visit while the count runs asks for none
    count.assert_not_called()
    start.assert_called_once_with(11)
    assert "100 rows will be exported; 0 rows are suppressed" in stale
    assert "Figures as of " in stale and "Counting again in the background…" in stale
    assert "every 2s" in stale  # polls until the new count is kept
    count_ctdc_summary(11)
    fresh = text(fragment(client))
    assert "11 rows will be exported; 4 rows are suppressed" in fresh
    assert "every 2s" not in fresh and "Counting again" not in fresh


def test_the_background_count_keeps_what_ctdc_summary_counts(data):
    add_group(3, sex="female", birth_year=1995)  # joins the group of 11: 14 exported
    add_group(12, sex="male", birth_year=1980, opened_on=dt.date(2011, 1, 1))
    expected = ctdc_summary()
    assert count_ctdc_summary(11) == expected.rows_exported == 26
    entry = cache.get(KEY)
    assert (entry["k"], entry["rows_total"], entry["rows_suppressed"]) == (
        expected.k,
        expected.rows_total,
        expected.rows_suppressed,
    )
    assert time.time() - entry["counted_at"] < 60
    assert cache.get(f"{KEY}:counting") is None


@pytest.mark.django_db(transaction=True)
def test_without_a_broker_the_count_runs_on_a_background_thread(client, world, data, settings):
    settings.REPORT_THREAD = True
    client.force_login(world.users.analyst)
    gate = threading.Event()

    def slow_count(k):  # the count waits until the test has looked at the page
        gate.wait(30)
        return ctdc_summary(k)

    with mock.patch("exports.summary.ctdc_summary", side_effect=slow_count) as count:
        assert "Counting rows…" in text(fragment(client))
        start_summary_count(11)  # asked again in the same process while it runs: ignored
        gate.set()
        wait_for_background_counts()
    assert count.call_count == 1
    assert "11 rows will be exported; 4 rows are suppressed" in text(fragment(client))


def test_a_failed_count_is_said_never_a_500_and_not_retried_at_each_poll(client, world, data):
    client.force_login(world.users.analyst)
    with mock.patch("exports.summary.ctdc_summary", side_effect=RuntimeError("database gone")):
        first = fragment(client)  # the task runs in the request in tests (eager) and fails
        with mock.patch("exports.views.start_summary_count") as start:
            polled = fragment(client)
    start.assert_not_called()  # not asked again until the lock expires
    for response in (first, polled):
        assert response.status_code == 200
        body = text(response)
        assert "could not be counted just now" in body
        assert "every 2s" not in body


def test_a_broker_that_cannot_be_reached_is_a_message_not_a_500(client, world, data):
    client.force_login(world.users.analyst)
    with mock.patch("exports.views.start_summary_count", side_effect=OSError("no broker")):
        response = client.get(reverse("exports:page"))
    assert response.status_code == 200
    assert "could not be counted just now" in text(response)


def test_a_finished_export_keeps_its_counts_for_the_page(
    client, world, data, django_capture_on_commit_callbacks
):
    client.force_login(world.users.analyst)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("exports:run_create"), {"format": "csv"})
    assert ExportRun.objects.get().status == "done"
    with (
        mock.patch("exports.summary.ctdc_summary") as count,
        mock.patch("exports.views.start_summary_count") as start,
    ):
        body = text(fragment(client))
    count.assert_not_called()
    start.assert_not_called()
    assert "11 rows will be exported; 4 rows are suppressed" in body


def test_a_streamed_download_keeps_its_counts_once_it_went_to_the_end(client, world, data):
    client.force_login(world.users.analyst)
    response = client.get(reverse("exports:csv"))
    assert cache.get(KEY) is None  # nothing yet: no row has gone out
    b"".join(response.streaming_content)
    entry = cache.get(KEY)
    assert (entry["rows_total"], entry["rows_suppressed"]) == (15, 4)


def test_a_download_broken_off_keeps_nothing():
    summary = ExportSummary(k=11, rows_total=30)  # as counted so far by the writer
    chunks = kept_when_done(iter([[("row",)], [("row",)]]), summary)
    next(chunks)
    chunks.close()  # the client went away
    assert cache.get(KEY) is None
    assert list(kept_when_done(iter([[("row",)]]), summary)) == [[("row",)]]
    assert cache.get(KEY)["rows_total"] == 30


def test_older_counts_never_replace_newer_ones():
    now = time.time()
    assert kept.keep(ExportSummary(k=11, rows_total=50), now)
    assert not kept.keep(ExportSummary(k=11, rows_total=40), now - 30)  # an export begun earlier
    assert cache.get(KEY)["rows_total"] == 50
    assert kept.keep(ExportSummary(k=11, rows_total=60), now + 1)
    assert cache.get(KEY)["rows_total"] == 60
