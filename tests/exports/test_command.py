"""`manage.py export_ctdc`."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from ctms.models import AuditEvent
from tests.exports.conftest import add_group, parse_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    add_group(12, sex="female", birth_year=1995)
    add_group(3, sex="male", birth_year=1970)


def test_csv_goes_to_standard_output_and_the_summary_to_standard_error(data):
    out, err = io.StringIO(), io.StringIO()
    call_command("export_ctdc", stdout=out, stderr=err)
    assert len(parse_csv(out.getvalue())) == 12
    assert "12 rows written, 3 rows suppressed (k=11 over yearOfRegistration" in err.getvalue()
    event = AuditEvent.objects.get(object_type="ctdc_export")
    assert (event.action, event.channel, event.details) == (
        "export",
        "cli",
        {"format": "csv", "rows": 12, "suppressed": 3, "k": 11},
    )


def test_xlsx_to_a_file(data, tmp_path):
    target = tmp_path / "ctdc.xlsx"
    err = io.StringIO()
    call_command("export_ctdc", "--format", "xlsx", "--output", str(target), stderr=err)
    sheet = load_workbook(target, read_only=True).active
    assert sum(1 for _ in sheet.iter_rows()) == 13  # the header and 12 rows
    assert "12 rows written, 3 rows suppressed" in err.getvalue()


def test_csv_to_a_file(data, tmp_path):
    target = tmp_path / "ctdc.csv"
    call_command("export_ctdc", "--output", str(target), stderr=io.StringIO())
    assert len(parse_csv(target.read_text())) == 12
