"""A report run carried out by a real Celery worker through the broker (PostgreSQL + Redis)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import time
from pathlib import Path

import pytest
from django.conf import settings

from reports.models import ReportRun
from reports.services import report_request
from tests.factories import OperationFactory

pytestmark = [pytest.mark.celery_worker, pytest.mark.postgres]


def wait_until_finished(run: ReportRun, seconds: float = 120) -> ReportRun:
    """Poll the run as the run page does, until the worker has finished it."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if run.is_finished:
            return run
        time.sleep(0.2)
    pytest.fail(f"the run is still {run.status} after {seconds} s")


def test_worker_carries_out_a_requested_report(transactional_db, celery_worker_process, world):
    OperationFactory(date=dt.date(2010, 8, 1))
    run = report_request(user=world.users.analyst, period="2010-Q3")
    run = wait_until_finished(run)
    assert (run.status, run.progress, run.error) == ("done", 100, "")
    assert run.figures["law_enforcement"]["operations"] == 1
    # The worker writes under its own MEDIA_ROOT (the environment's, not this test's setting)
    media = Path(os.environ.get("MEDIA_ROOT", settings.BASE_DIR / "var" / "media"))
    assert all((media / path).is_file() for path in run.files.values())
    assert len(run.files) == 6
    shutil.rmtree(media / "reports" / str(run.pk))
