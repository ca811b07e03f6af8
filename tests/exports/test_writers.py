"""The streaming XLSX writer produces workbooks that a spreadsheet library reads back."""

from __future__ import annotations

from openpyxl import load_workbook

from exports import writers


def test_values_keep_their_type_and_text_is_escaped(tmp_path):
    path = tmp_path / "t.xlsx"
    rows = [(2010, "A & <B>", None, 0), (2011, "Tab\there", 1.5, 1)]
    assert writers.write_xlsx(path, ["year", "text", "empty", "flag"], [rows]) == 2
    sheet = load_workbook(path, read_only=True).active
    assert list(sheet.iter_rows(values_only=True)) == [
        ("year", "text", "empty", "flag"),
        (2010, "A & <B>", None, 0),
        (2011, "Tab\there", 1.5, 1),
    ]


def test_rows_past_a_sheets_limit_continue_on_the_next_sheet(tmp_path, monkeypatch):
    monkeypatch.setattr(writers, "XLSX_MAX_ROWS", 3)  # the header and two rows per sheet
    path = tmp_path / "t.xlsx"
    rows = [(n,) for n in range(5)]
    writers.write_xlsx(path, ["n"], [rows[:1], rows[1:]])
    workbook = load_workbook(path, read_only=True)
    assert workbook.sheetnames == ["CTDC", "CTDC 2", "CTDC 3"]
    assert [list(sheet.iter_rows(values_only=True)) for sheet in workbook] == [
        [("n",), (0,), (1,)],
        [("n",), (2,), (3,)],
        [("n",), (4,)],
    ]


def test_no_rows_gives_the_header_alone(tmp_path):
    path = tmp_path / "t.xlsx"
    writers.write_xlsx(path, ["a", "b"], [])
    assert list(load_workbook(path, read_only=True).active.iter_rows(values_only=True)) == [
        ("a", "b")
    ]
