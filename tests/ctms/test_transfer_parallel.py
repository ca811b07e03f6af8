"""`import_records` with its rows built in worker processes (issue 17, PostgreSQL only): the same
records, the same errors on the same lines, nothing written on an error, and a block whose
rules ask the database built by the loader itself."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection

from agencies.models import Agency
from casework.models import CaseNote
from reports.models import DeporteeReport
from tests.ctms.test_transfer import delete_all_records, exported, row_counts
from tests.ctms.test_transfer_links import become_a_role_that_may_not_leave_checks_out
from transfer import importer
from transfer.importer import import_records
from victims.models import Victim

PRESENTATION = Path(__file__).resolve().parents[1] / "data" / "presentation_2009_2010.jsonl"
AGENCY = {"type": "agency", "ref": "a1", "name": "Agency one", "acronym": "A1", "kind": "ngo"}

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="workers insert through PostgreSQL's COPY"
    ),
]


def load(data: bytes | list[dict], *, path: Path | None = None, **options):
    """Import `data` from memory or, given `path`, from a file there (which the workers then
    read themselves, by offset)."""
    if isinstance(data, list):
        data = "\n".join(json.dumps(item) for item in data).encode()
    if path is None:
        return import_records(io.BytesIO(data), **options)
    path.write_bytes(data)
    with path.open("rb") as stream:
        return import_records(stream, **options)


@contextmanager
def statements_sent() -> Iterator[list[str]]:
    """The SQL statements sent to the database in the `with` block."""
    statements: list[str] = []

    def spy(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(spy):
        yield statements


def victims(count: int, **changes) -> list[dict]:
    return [
        {"type": "victim", "ref": f"v{n}", "agency": "a1", "given_name": f"Dara {n}", **changes}
        for n in range(count)
    ]


def test_workers_write_what_a_serial_load_writes(monkeypatch):
    # given the presentation's records loaded serially and exported (refs now their UUIDs)
    monkeypatch.setattr(importer, "BATCH_SIZE", 500)
    assert load(PRESENTATION.read_bytes()).ok
    first, counts = exported(), row_counts()
    delete_all_records()

    # when that export is loaded again by two workers, in blocks of 500 lines
    messages: list[str] = []
    result = load(first.encode(), workers=2, progress=messages.append)

    # then the same rows are there, exported back the same, all built by the workers
    assert result.ok, result.errors[:3]
    assert row_counts() == counts
    assert exported() == first
    assert not any("built in this process" in message for message in messages), messages


def test_workers_name_the_same_lines_as_a_serial_load_and_write_nothing(monkeypatch):
    monkeypatch.setattr(importer, "BATCH_SIZE", 3)
    lines = [AGENCY, *victims(12)]
    lines[2]["sex"] = "unknown-sex"  # line 3, first block
    lines[8]["home_province"] = "99"  # line 9, third block
    lines[11]["agency"] = "nobody"  # line 12, fourth block

    serial = load(lines)
    parallel = load(lines, workers=2)

    assert [str(error) for error in parallel.errors] == [str(error) for error in serial.errors]
    assert [error.line for error in parallel.errors] == [3, 9, 12]
    assert not Victim.objects.exists()
    assert not Agency.objects.filter(acronym="A1").exists()


def test_too_many_errors_stop_a_parallel_load(monkeypatch):
    monkeypatch.setattr(importer, "BATCH_SIZE", 2)
    lines = [AGENCY, *victims(20, sex="unknown-sex")]

    result = load(lines, workers=2, max_errors=5)

    assert result.truncated
    assert [error.line for error in result.errors] == [2, 3, 4, 5, 6]
    assert not Victim.objects.exists()


def test_a_row_the_database_refuses_is_named_by_the_loader(monkeypatch):
    # given two deportee reports of one month for one country, in different blocks
    monkeypatch.setattr(importer, "BATCH_SIZE", 3)
    report = {"type": "deportee_report", "agency": "a1", "from_country": "THA", "total": 3}
    lines = [AGENCY]
    lines += [{**report, "ref": f"d{n}", "month": f"2001-{n + 1:02d}"} for n in range(8)]
    lines.append({**report, "ref": "again", "month": "2001-02"})

    result = load(lines, workers=2)

    # then the unique constraint names the later line, and nothing is written
    assert [error.line for error in result.errors] == [10], result.errors
    assert not DeporteeReport.objects.exists()


def test_a_block_whose_rules_ask_the_database_is_built_by_the_loader(monkeypatch):
    # given a case note on a case of the database (its rule asks who is on the case)
    monkeypatch.setattr(importer, "BATCH_SIZE", 2)
    case = {"type": "case", "ref": "c1", "agency": "a1", "victims": ["v0"],
            "opened_on": "2010-04-01", "exploitation_types": ["forced_labour"]}  # fmt: skip
    assert load([AGENCY, *victims(1), case]).ok
    case = Victim.objects.get().cases.get()
    note = {"type": "case_note", "ref": "n1", "victim": str(Victim.objects.get().id),
            "case": str(case.id), "agency": "A1", "date": "2010-05-01", "kind": "social",
            "text": "Visited at home."}  # fmt: skip
    lines = [*victims(3, agency="A1"), note, *victims(3, agency="A1")]
    for n, line in enumerate(lines):
        line["ref"] = f"w{n}"

    messages: list[str] = []
    result = load(lines, workers=2, progress=messages.append)

    # then it is loaded, by the loader, and the connection is still the loader's
    assert result.ok, result.errors
    assert CaseNote.objects.filter(case=case).count() == 1
    assert any("1 block(s) built in this process" in message for message in messages)
    assert Victim.objects.count() == 7


@pytest.mark.parametrize(
    ("agency_first", "checks"),
    [(True, 3), (False, 1)],  # three blocks linking back; two linking forward, then the last
)
def test_links_are_checked_once_no_inserted_row_points_past_the_inserted_lines(
    monkeypatch, agency_first, checks
):
    # given nine lines in blocks of three: the victims link to the agency, first or last line;
    # and a role with which the database checks the links too
    become_a_role_that_may_not_leave_checks_out()
    monkeypatch.setattr(importer, "BATCH_SIZE", 3)
    lines = [AGENCY, *victims(8)] if agency_first else [*victims(8), AGENCY]

    # when they are loaded by two workers
    with statements_sent() as statements:
        result = load(lines, workers=2)

    # then the database checked the links after each block that links back only, and a
    # forward link (its row not yet inserted) was never checked too early
    assert result.ok, result.errors
    assert statements.count("SET CONSTRAINTS ALL IMMEDIATE") == checks
    assert Victim.objects.filter(agency__acronym="A1").count() == 8


def test_given_a_role_that_leaves_the_checks_out_then_the_database_is_not_asked_to_check():
    # given a superuser (the tests' role), and blocks of three lines linking back
    lines = [AGENCY, *victims(8)]

    # when they are loaded by two workers
    with statements_sent() as statements:
        result = load(lines, workers=2)

    # then the import checked the links alone (tests/ctms/test_transfer_links.py)
    assert result.ok, result.errors
    assert "SET LOCAL session_replication_role = replica" in statements
    assert "SET CONSTRAINTS ALL IMMEDIATE" not in statements
    assert Victim.objects.filter(agency__acronym="A1").count() == 8


# Lines that pass 1 refuses, each on its own line number (2 to 11).
UNREADABLE = [
    b"\xff\xfe not UTF-8",
    b"{oops",
    b"[1, 2]",
    b'{"type": "ship", "ref": "s1"}',
    b'{"type": "victim", "agency": "a1"}',
    b'{"type": "victim", "ref": "v9", "agency": "a1", "shoe_size": 40}',
    b'{"type": "victim", "ref": "v0", "agency": "a1"}',  # v0's ref again
    b'{"type": "agency", "ref": "a2", "name": "Again", "acronym": "A1", "kind": "ngo"}',
    b'{"type": "victim", "ref": "v\\tab", "agency": "a1", "given_name": "One\\rTwo"}',
    b"   ",
]


@pytest.mark.parametrize("from_file", [False, True], ids=["stream", "file"])
def test_pass_one_in_workers_reports_what_a_serial_pass_one_reports(
    monkeypatch, tmp_path, from_file
):
    # given a byte-order mark, unreadable lines, a duplicate ref and acronym, CRLF line ends
    # and a blank line, over blocks of two lines
    monkeypatch.setattr(importer, "BATCH_SIZE", 2)
    first = json.dumps(victims(1)[0]).encode()
    lines = [b"\xef\xbb\xbf" + json.dumps(AGENCY).encode(), first, *UNREADABLE]
    data = b"\r\n".join(lines) + b"\r\n\r\n" + json.dumps(victims(3)[2]).encode()
    path = tmp_path / "records.jsonl" if from_file else None

    serial = load(data)
    parallel = load(data, workers=2, path=path)

    # then the same errors on the same lines, and nothing written
    assert [str(error) for error in parallel.errors] == [str(error) for error in serial.errors]
    assert [error.line for error in parallel.errors] == [3, 4, 5, 6, 7, 8, 9, 10]
    assert not Victim.objects.exists()


def test_too_many_errors_in_pass_one_stop_a_parallel_load_on_the_serial_load_s_lines(
    monkeypatch,
):
    monkeypatch.setattr(importer, "BATCH_SIZE", 3)
    data = b"\n".join([json.dumps(AGENCY).encode(), *UNREADABLE * 3])

    serial = load(data, max_errors=12)
    parallel = load(data, workers=2, max_errors=12)

    assert parallel.truncated and serial.truncated
    assert [str(error) for error in parallel.errors] == [str(error) for error in serial.errors]


def test_workers_read_a_file_by_offset_and_write_what_a_serial_load_writes(monkeypatch, tmp_path):
    # given the presentation's records, their export, and that export in a file whose lines
    # the workers read themselves, in blocks of 500 lines
    monkeypatch.setattr(importer, "BATCH_SIZE", 500)
    assert load(PRESENTATION.read_bytes()).ok
    first, counts = exported(), row_counts()
    delete_all_records()

    result = load(first.encode(), workers=2, path=tmp_path / "export.jsonl")

    assert result.ok, result.errors[:3]
    assert row_counts() == counts
    assert exported() == first
