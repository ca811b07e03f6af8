"""Asking for a report, carrying out a run, retrying it, and the beat's previous quarter."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django_celery_beat.models import PeriodicTask
from openpyxl import load_workbook

from ctms.errors import PermissionDenied
from ctms.models import AuditEvent
from reports import documents, services
from reports.figures import build_report
from reports.models import ReportRun
from reports.periods import parse_period
from reports.tasks import request_previous_quarter_report, run_report
from tests.factories import OperationFactory, SuspectFactory

Q3 = parse_period("2010-Q3")
EXPECTED_FILES = {"xlsx_en", "csv_en", "pdf_en", "xlsx_km", "csv_km", "pdf_km"}


@pytest.fixture
def _fake_render():
    with mock.patch("reports.services.render", fake_render):
        yield


@pytest.fixture
def operations(db):
    """Two operations in 2010-Q3 (one detaining a woman), one in 2009-Q3."""
    first = OperationFactory(date=dt.date(2010, 7, 1))
    first.suspects_detained.add(SuspectFactory(sex="female"))
    OperationFactory(date=dt.date(2010, 9, 30))
    OperationFactory(date=dt.date(2009, 8, 1))


def test_secretariat_asks_and_the_run_is_done_with_every_file(
    world, operations, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run = services.report_request(user=world.users.analyst, period="2010-Q3")
    run.refresh_from_db()
    assert (run.status, run.progress, run.attempts) == ("done", 100, 1)
    assert (run.period, run.previous_period) == ("2010-Q3", "2009-Q3")
    assert run.created_by == world.users.analyst
    assert run.figures["law_enforcement"]["operations"] == 2
    assert run.previous_figures["law_enforcement"]["operations"] == 1
    assert run.changes["law_enforcement.operations"]["change_pct"] == 100.0
    assert set(run.files) == EXPECTED_FILES
    assert all((Path(settings.MEDIA_ROOT) / path).stat().st_size > 0 for path in run.files.values())
    assert set(run.timings) == {"figures", *EXPECTED_FILES}
    assert run.started_at <= run.finished_at
    assert AuditEvent.objects.filter(action="create", object_id=str(run.pk)).count() == 1


@pytest.mark.parametrize("who", ["alice", "partner", "officer", "clerk"])
def test_other_roles_cannot_ask_and_nothing_is_queued(world, who):
    with pytest.raises(PermissionDenied):
        services.report_request(user=getattr(world.users, who), period="2010-Q3")
    assert ReportRun.objects.count() == 0


def test_bad_period_is_refused_and_nothing_is_queued(world):
    with pytest.raises(ValidationError):
        services.report_request(user=world.users.admin, period="2010-Q7")
    assert ReportRun.objects.count() == 0


def queued_run(user) -> ReportRun:
    with mock.patch("reports.tasks.run_report.delay"):
        return services.report_request(user=user, period="2010-Q3")


def fake_render(report, file_format, language) -> bytes:
    """The retry tests are about files appearing atomically, not about their contents."""
    return f"{file_format} {language} {report['figures']['law_enforcement']}".encode()


@pytest.mark.usefixtures("_fake_render")
def test_a_run_killed_midway_offers_nothing_and_rerunning_completes_it(world, operations):
    # Given a run whose fourth file fails to render (as if the worker died there)
    run = queued_run(world.users.analyst)
    calls = []

    def failing_render(report, file_format, language):
        calls.append((file_format, language))
        if len(calls) == 4:
            raise RuntimeError("worker lost")
        return fake_render(report, file_format, language)

    with mock.patch("reports.services.render", failing_render):
        run_report.delay(str(run.pk))
    run.refresh_from_db()
    # Then it is failed, no file is offered and no temporary file is left behind
    assert run.status == "failed"
    assert "worker lost" in run.error
    assert run.files == {}
    assert services.report_file_path(run, "xlsx_en") is None
    written = sorted(p.name for p in (Path(settings.MEDIA_ROOT) / "reports").rglob("*"))
    assert not [name for name in written if name.endswith(".tmp")]
    assert len([name for name in written if name.startswith("ctms-report")]) == 3
    # When the task runs again it completes, with the same figures as a fresh run
    run_report.delay(str(run.pk))
    run.refresh_from_db()
    assert (run.status, run.attempts, set(run.files)) == ("done", 2, EXPECTED_FILES)
    again = queued_run(world.users.analyst)
    run_report.delay(str(again.pk))
    again.refresh_from_db()
    assert again.figures == run.figures
    assert again.previous_figures == run.previous_figures


@pytest.mark.usefixtures("_fake_render")
def test_a_retry_of_a_done_run_changes_nothing(world, operations):
    run = queued_run(world.users.analyst)
    run_report.delay(str(run.pk))
    run.refresh_from_db()
    finished_at = run.finished_at
    run_report.delay(str(run.pk))
    run.refresh_from_db()
    assert (run.status, run.attempts, run.finished_at) == ("done", 1, finished_at)


def test_xlsx_has_a_sheet_per_section_with_numbers_as_numbers(operations):
    book = load_workbook(io.BytesIO(documents.render_xlsx(build_report(Q3), "en")))
    assert book.sheetnames == [
        "Summary",
        "Law enforcement",
        "Victim protection",
        "Justice",
        "Prevention",
        "Child affairs",
    ]
    sheet = book["Law enforcement"]
    assert [cell.value for cell in sheet[1]] == [
        "key",
        "Figure",
        "2009-Q3",
        "2010-Q3",
        "Change",
        "Change %",
    ]
    assert [cell.value for cell in sheet[2]] == [
        "law_enforcement.operations",
        "Operations",
        1,
        2,
        1,
        100.0,
    ]
    assert (
        "Police investigated and cracked down on human trafficking and sexual exploitation "
        "in 0 cases (2 operations), detained 1 suspect (F=1)" in book["Summary"]["A6"].value
    )


def test_khmer_csv_labels_are_khmer(operations):
    text = documents.render_csv(build_report(Q3), "km").decode("utf-8-sig")
    assert "law_enforcement,law_enforcement.operations,ប្រតិបត្តិការ,1,2,1,100.0" in text


def test_scheduled_request_asks_for_the_previous_quarter_once(db):
    with mock.patch("django.utils.timezone.localdate", return_value=dt.date(2011, 1, 1)):
        first = request_previous_quarter_report.delay().get()
        second = request_previous_quarter_report.delay().get()
    run = ReportRun.objects.get()
    assert first == second == str(run.pk)
    assert (run.period, run.period_start, run.period_end) == (
        "2010-Q4",
        dt.date(2010, 10, 1),
        dt.date(2010, 12, 31),
    )
    assert run.created_by is None


def test_the_beat_schedule_exists_and_runs_on_the_first_day_of_each_quarter(db):
    task = PeriodicTask.objects.get(task="reports.tasks.request_previous_quarter_report")
    assert task.enabled
    assert (task.crontab.day_of_month, task.crontab.month_of_year) == ("1", "1,4,7,10")


@pytest.mark.usefixtures("_fake_render")
def test_a_run_whose_worker_was_killed_is_completed_by_the_redelivered_task(world, operations):
    # Given a run left "running" by a killed worker, with a temporary file it never renamed
    run = queued_run(world.users.analyst)
    ReportRun.objects.filter(pk=run.pk).update(status="running", progress=47, attempts=1)
    directory = Path(settings.MEDIA_ROOT) / "reports" / str(run.pk)
    directory.mkdir(parents=True)
    leftover = directory / ".ctms-report-2010-Q3-en.pdf.0123.tmp"
    leftover.write_bytes(b"%PDF half")
    assert services.report_file_path(run, "pdf_en") is None
    # When the broker redelivers the task
    run_report.delay(str(run.pk))
    # Then the run is done with every file and the leftover is gone
    run.refresh_from_db()
    assert (run.status, run.attempts, set(run.files)) == ("done", 2, EXPECTED_FILES)
    assert not leftover.exists()
    assert sorted(p.name for p in directory.iterdir()) == sorted(
        Path(path).name for path in run.files.values()
    )
