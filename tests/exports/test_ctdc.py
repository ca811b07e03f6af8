"""The CTDC data set: its layout, the mapping from CTMS fields, anonymisation, k-anonymity."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections import Counter

import pytest
from openpyxl import load_workbook

from exports.ctdc import COLUMN_NAMES, QUASI_IDENTIFIERS, ctdc_summary
from exports.services import ctdc_write
from tests.exports.conftest import add_group, parse_csv
from tests.factories import CaseFactory, VictimFactory

pytestmark = pytest.mark.django_db

CTDC_COLUMNS = (
    "yearOfRegistration Datasource gender ageBroad majorityStatus majorityStatusAtExploit "
    "majorityEntry citizenship meansOfControlDebtBondage meansOfControlTakesEarnings "
    "meansOfControlRestrictsFinancialAccess meansOfControlThreats meansOfControlPsychologicalAbuse "
    "meansOfControlPhysicalAbuse meansOfControlSexualAbuse meansOfControlFalsePromises "
    "meansOfControlPsychoactiveSubstances meansOfControlRestrictsMovement "
    "meansOfControlRestrictsMedicalCare meansOfControlExcessiveWorkingHours "
    "meansOfControlUsesChildren meansOfControlThreatOfLawEnforcement "
    "meansOfControlWithholdsNecessities meansOfControlWithholdsDocuments meansOfControlOther "
    "meansOfControlNotSpecified meansOfControlConcatenated isForcedLabour isSexualExploit "
    "isOtherExploit isSexAndLabour isForcedMarriage isForcedMilitary isOrganRemoval "
    "isSlaveryAndPractices typeOfExploitConcatenated typeOfLabourAgriculture "
    "typeOfLabourAquafarming typeOfLabourBegging typeOfLabourConstruction "
    "typeOfLabourDomesticWork typeOfLabourHospitality typeOfLabourIllicitActivities "
    "typeOfLabourManufacturing typeOfLabourMiningOrDrilling typeOfLabourPeddling "
    "typeOfLabourTransportation typeOfLabourOther typeOfLabourNotSpecified "
    "typeOfLabourConcatenated typeOfSexProstitution typeOfSexPornography "
    "typeOfSexRemoteInteractiveServices typeOfSexPrivateSexualServices typeOfSexConcatenated "
    "isAbduction RecruiterRelationship CountryOfExploitation recruiterRelationIntimatePartner "
    "recruiterRelationFriend recruiterRelationFamily recruiterRelationOther "
    "recruiterRelationUnknown"
).split()


def export_csv() -> tuple[list[dict[str, str]], object, str]:
    stream = io.StringIO()
    summary = ctdc_write(stream, fmt="csv")
    return parse_csv(stream.getvalue()), summary, stream.getvalue()


def test_the_columns_are_the_ctdc_global_data_set_layout():
    assert COLUMN_NAMES == CTDC_COLUMNS
    assert len(COLUMN_NAMES) == 63


def test_a_case_maps_to_ctdc_values():
    # given eleven girls of 15 in one case with every kind of detail recorded
    add_group(
        11,
        opened_on=dt.date(2010, 3, 1),
        sex="female",
        birth_year=1995,
        citizenship="KHM",
        case_fields={
            "exploitation_types": ["sexual_exploitation", "forced_labour"],
            "labour_sectors": ["fishing"],
            "sexual_exploitation_types": ["prostitution"],
            "means_of_control": ["debt_bondage", "threatens_family"],
            "recruitment_method": "abduction",
            "recruiter_relation": "friend",
            "countries_of_exploitation": ["THA", "MYS"],
        },
    )
    # when the data set is exported
    rows, summary, _text = export_csv()
    # then every row says the same, in CTDC's codes
    assert len(rows) == 11
    assert (summary.rows_exported, summary.rows_suppressed) == (11, 0)
    flags_set = {name for name, value in rows[0].items() if value == "1"}
    assert flags_set == {
        "meansOfControlDebtBondage",
        "meansOfControlThreats",
        "isForcedLabour",
        "isSexualExploit",
        "isSexAndLabour",
        "typeOfLabourAquafarming",
        "typeOfSexProstitution",
        "isAbduction",
        "recruiterRelationFriend",
    }
    assert {k: v for k, v in rows[0].items() if v not in ("0", "1")} == {
        "yearOfRegistration": "2010",
        "Datasource": "Case Management",
        "gender": "Female",
        "ageBroad": "9--17",
        "majorityStatus": "Minor",
        "majorityStatusAtExploit": "",
        "majorityEntry": "",
        "citizenship": "KH",
        "meansOfControlUsesChildren": "",
        "meansOfControlConcatenated": "Debt bondage; Threats",
        "isForcedMilitary": "",
        "typeOfExploitConcatenated": "Forced labour; Sexual exploitation",
        "typeOfLabourConcatenated": "Aquafarming",
        "typeOfSexConcatenated": "Prostitution",
        "RecruiterRelationship": "Friend",
        "CountryOfExploitation": "TH",
    }
    assert all(row == rows[0] for row in rows)


@pytest.mark.parametrize(
    ("date_of_birth", "birth_year", "age_broad", "majority"),
    [
        (dt.date(1992, 3, 1), None, "18--20", "Adult"),  # 18 on the day the case opened
        (dt.date(1992, 3, 2), None, "9--17", "Minor"),  # 18 the day after
        (None, 1962, "48+", "Adult"),
        (None, 2004, "0--8", "Minor"),
        (None, None, "", ""),
    ],
)
def test_age_is_the_age_when_the_case_was_registered(
    settings, date_of_birth, birth_year, age_broad, majority
):
    settings.CTDC_K_ANONYMITY = 1
    add_group(1, opened_on=dt.date(2010, 3, 1), date_of_birth=date_of_birth, birth_year=birth_year)
    rows, _summary, _text = export_csv()
    assert [(r["ageBroad"], r["majorityStatus"]) for r in rows] == [(age_broad, majority)]


def test_no_names_ids_or_full_dates_leave_the_database(settings):
    # given victims with names and full dates of birth, in cases with ids and notes
    settings.CTDC_K_ANONYMITY = 1
    case = add_group(
        3,
        date_of_birth=dt.date(1990, 7, 14),
        given_name="Sreymom",
        family_name="Sokunthea",
        case_fields={"notes": "met at the border"},
    )
    victim_ids = [str(v.pk) for v in case.victims.all()]
    # when the data set is exported
    rows, _summary, text = export_csv()
    # then nothing that names or points at a person or a day is in it
    assert len(rows) == 3
    assert "Sreymom" not in text and "Sokunthea" not in text and "border" not in text
    assert not any(victim_id in text for victim_id in victim_ids + [str(case.pk)])
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text)
    assert not re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-", text)


def test_only_identified_victims_linked_to_a_case_are_exported(settings):
    settings.CTDC_K_ANONYMITY = 1
    add_group(1, trafficking_status="actual")
    add_group(1, trafficking_status="possible")
    add_group(1, trafficking_status="not_victim")
    add_group(1, is_archived=True)
    VictimFactory()  # no case
    rows, summary, _text = export_csv()
    assert len(rows) == 2
    assert summary.rows_total == 2


def qi_groups(rows: list[dict[str, str]]) -> Counter:
    return Counter(tuple(row[name] for name in QUASI_IDENTIFIERS) for row in rows)


@pytest.fixture
def small_and_large_groups():
    """11 victims who share their quasi-identifiers (kept), 10 who share others (suppressed),
    and 6 victims each in two cases: 12 rows but only 6 people (suppressed)."""
    add_group(11, sex="female", birth_year=1995, citizenship="KHM")
    add_group(10, sex="male", birth_year=1995, citizenship="KHM")
    pair = add_group(6, sex="female", birth_year=1980, citizenship="VNM")
    CaseFactory(agency=pair.agency, opened_on=dt.date(2010, 5, 1)).victims.add(*pair.victims.all())


def test_groups_of_fewer_than_k_victims_are_suppressed_in_csv(small_and_large_groups):
    rows, summary, _text = export_csv()
    assert qi_groups(rows) == Counter({("2010", "Female", "9--17", "KH", ""): 11})
    assert (summary.rows_total, summary.rows_exported, summary.rows_suppressed) == (33, 11, 22)
    counted = ctdc_summary()  # the page's cheaper count agrees
    assert (counted.rows_total, counted.rows_suppressed) == (33, 22)


def test_groups_of_fewer_than_k_victims_are_suppressed_in_xlsx(small_and_large_groups, tmp_path):
    path = tmp_path / "ctdc.xlsx"
    summary = ctdc_write(path, fmt="xlsx")
    sheet = load_workbook(path, read_only=True).active
    header, *values = [list(row) for row in sheet.iter_rows(values_only=True)]
    # read-only mode drops empty trailing cells: pad the rows back to the header's width
    padded = [row + [None] * (len(header) - len(row)) for row in values]
    rows = [
        {h: "" if v is None else str(v) for h, v in zip(header, row, strict=True)} for row in padded
    ]
    assert header == CTDC_COLUMNS
    assert qi_groups(rows) == Counter({("2010", "Female", "9--17", "KH", ""): 11})
    assert summary.rows_suppressed == 22


def test_an_empty_database_gives_the_header_alone():
    rows, summary, text = export_csv()
    assert text == ",".join(CTDC_COLUMNS) + "\n"
    assert (summary.rows_total, summary.rows_suppressed) == (0, 0)


def test_copy_sink_rejoins_lines_split_across_blocks_and_drops_small_groups():
    from exports.ctdc import ExportSummary, _LargeGroupsOnly

    out = io.StringIO()
    summary = ExportSummary(k=11)
    written = []
    sink = _LargeGroupsOnly(out, summary, progress=written.append)
    data = b'2010,Female,"a,b",11\n2010,Male,x,10\n2011,,"",12\n'
    for start in range(0, len(data), 5):  # blocks that end anywhere, mid-line included
        sink.write(data[start : start + 5])
    sink.close()

    assert out.getvalue() == '2010,Female,"a,b"\n2011,,""\n'
    assert (summary.rows_total, summary.rows_suppressed) == (3, 1)
    assert written[-1] == 2


@pytest.mark.postgres
def test_on_postgresql_the_copy_path_writes_what_the_cursor_path_writes(small_and_large_groups):
    from django.db import connection

    from exports import writers
    from exports.ctdc import ExportSummary, ctdc_row_chunks

    if connection.vendor != "postgresql":
        pytest.skip("COPY is PostgreSQL's")
    CaseFactory(agency=VictimFactory().agency).victims.add(*[VictimFactory() for _ in range(11)])
    _rows, copy_summary, copy_text = export_csv()
    cursor_stream = io.StringIO()
    cursor_summary = ExportSummary(k=copy_summary.k)
    writers.write_csv(cursor_stream, COLUMN_NAMES, ctdc_row_chunks(cursor_summary))

    assert sorted(copy_text.splitlines()) == sorted(cursor_stream.getvalue().splitlines())
    assert (copy_summary.rows_total, copy_summary.rows_suppressed) == (
        cursor_summary.rows_total,
        cursor_summary.rows_suppressed,
    )
    assert copy_summary.rows_exported >= 22
