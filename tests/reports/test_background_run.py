"""Without a broker, "Ask for the report" answers at once and the page shows the run's
progress while a background thread carries it out (no request held for the PDF)."""

from __future__ import annotations

import threading

import pytest

from reports import tasks
from reports.models import ReportRun

pytestmark = pytest.mark.django_db(transaction=True)


def test_given_no_broker_when_report_asked_then_page_returns_queued_and_run_finishes_later(
    world, client, settings, monkeypatch
):
    settings.REPORT_THREAD = True
    release = threading.Event()
    real_apply = tasks.run_report.apply

    def held_apply(*args, **kwargs):
        # the run may not start before the test has seen the page answer
        assert release.wait(timeout=60)
        return real_apply(*args, **kwargs)

    monkeypatch.setattr(tasks.run_report, "apply", held_apply)
    client.force_login(world.users.analyst)

    response = client.post("/reports/", {"period": "2010-Q3"}, follow=True)

    run = ReportRun.objects.get()
    page = response.content.decode()
    assert response.status_code == 200
    assert run.status == ReportRun.Status.QUEUED
    assert f'data-status="{run.status}"' in page and 'hx-trigger="every 1s"' in page
    release.set()
    tasks.wait_for_background_reports()
    run.refresh_from_db()
    assert (run.status, run.progress) == (ReportRun.Status.DONE, 100)
    status = client.get(f"/reports/{run.pk}/status/").content.decode()
    assert 'data-status="done"' in status and "every 1s" not in status
