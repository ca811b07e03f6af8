"""A background CTDC export carried out by a real Celery worker (PostgreSQL + Redis)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from django.conf import settings
from openpyxl import load_workbook

from exports.models import ExportRun
from exports.services import export_run_create
from tests.exports.conftest import add_group

pytestmark = [pytest.mark.celery_worker, pytest.mark.postgres]


def wait_until_finished(run: ExportRun, seconds: float = 120) -> ExportRun:
    """Poll the run as its page does, until the worker has finished it."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if run.is_finished:
            return run
        time.sleep(0.2)
    pytest.fail(f"the run is still {run.status} after {seconds} s")


def test_worker_writes_a_requested_xlsx(transactional_db, celery_worker_process, world):
    add_group(11, sex="female", birth_year=1995)
    add_group(3, sex="male", birth_year=1970)
    run = wait_until_finished(export_run_create(user=world.users.analyst, fmt="xlsx"))
    assert (run.status, run.rows_written, run.rows_suppressed, run.error) == ("done", 11, 3, "")
    # The worker writes under its own MEDIA_ROOT (the environment's, not this test's setting)
    path = Path(os.environ.get("MEDIA_ROOT", settings.BASE_DIR / "var" / "media")) / run.file
    sheet = load_workbook(path, read_only=True).active
    assert sum(1 for _ in sheet.iter_rows()) == 12
    path.unlink()
