"""Bulk import and export of JSON Lines records (SPEC section 6)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from agencies.models import Agency
from cases.models import Case, Defendant, Operation, Prosecution, Rescue, Suspect
from casework.models import (
    CarePlan,
    CarePlanGoal,
    CarePlanTask,
    CaseNote,
    Consent,
    Document,
    RiskAssessment,
)
from handovers.models import Handover, HandoverTransition
from referrals.models import Referral, ReferralTransition, Service
from reports.models import Activity, DeporteeReport
from tests.factories import UserFactory
from transfer.exporter import export_records
from transfer.importer import import_records
from transfer.schema import BY_NAME
from victims.models import FollowUp, Repatriation, Victim

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "records.jsonl"
ALL_MODELS = (
    Agency, Victim, Suspect, Case, Operation, Rescue, Prosecution, Defendant, Referral,
    ReferralTransition, Handover, HandoverTransition, Service, Repatriation, FollowUp, Activity,
    DeporteeReport, CaseNote, CarePlan, CarePlanGoal, CarePlanTask, RiskAssessment, Document,
    Consent,
)  # fmt: skip

AGENCY = '{"type": "agency", "ref": "a1", "name": "Agency one", "acronym": "A1", "kind": "ngo"}'


def load(text: str | bytes, **options):
    data = text.encode() if isinstance(text, str) else text
    return import_records(io.BytesIO(data), **options)


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in ALL_MODELS}


def exported() -> str:
    out = io.StringIO()
    export_records(out, chunk_size=3)  # a tiny chunk size exercises prefetching across chunks
    return out.getvalue()


def delete_all_records() -> None:
    for model in (
        Consent, Document, CaseNote, CarePlan, RiskAssessment,
        Service, Referral, Handover, Defendant, Prosecution, Rescue, Operation, Case, Repatriation,
        FollowUp, Suspect, Victim, Activity, DeporteeReport,
    ):  # fmt: skip
        if model is Victim:
            Victim.objects.update(merged_into=None)  # merged duplicates point at survivors
        model.objects.all().delete()
    while Agency.objects.exists():
        Agency.objects.filter(children__isnull=True).delete()


@pytest.mark.django_db
def test_the_hand_written_example_imports_and_exports_back_equal():
    # given the example file written by hand from SPEC section 6
    lines = [json.loads(line) for line in EXAMPLE.read_text().splitlines() if line.strip()]

    # when it is imported and everything is exported
    result = load(EXAMPLE.read_bytes())
    records = {record["ref"]: record for record in map(json.loads, exported().splitlines())}

    # then every record is there once, and every field it gave has the same value
    assert result.ok, result.errors
    assert sorted(records) == sorted(str(result.ids[line["ref"]]) for line in lines)
    acronyms = {line["acronym"]: line["ref"] for line in lines if line["type"] == "agency"}
    for line in lines:
        record = records[str(result.ids[line["ref"]])]
        expected = _with_refs_mapped(line, result.ids, acronyms)
        del expected["ref"]
        assert _given_part(record, expected) == expected, line["ref"]


def _given_part(record: dict, expected: dict) -> dict:
    """The part of an exported record (and of its nested items) that the file gave."""
    part = {}
    for key, value in expected.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            part[key] = [
                {k: item[k] for k in given} for item, given in zip(record[key], value, strict=True)
            ]
        else:
            part[key] = record[key]
    return part


def _with_refs_mapped(line: dict, ids: dict, acronyms: dict) -> dict:
    record_type = BY_NAME[line["type"]]

    def uuid_of(value):
        return None if value is None else str(ids[acronyms.get(value, value)])

    mapped = dict(line)
    for column, link in record_type.links.items():
        if column in line:
            value = line[column]
            mapped[column] = sorted(map(uuid_of, value)) if link.many else uuid_of(value)
    for column, nested in record_type.nested.items():
        if column in line:
            mapped[column] = [
                {key: (uuid_of(v) if key in nested.links else v) for key, v in item.items()}
                for item in line[column]
            ]
    return mapped


@pytest.mark.django_db
def test_export_import_into_an_empty_database_export_again_is_identical():
    # given the example loaded, a transition signed by a user, and its export
    assert load(EXAMPLE.read_bytes()).ok
    clerk = UserFactory(username="afesip-clerk", agency=None, role="admin")
    ReferralTransition.objects.filter(transition="decline").update(by=clerk)
    CarePlanTask.objects.filter(task="Find a work placement").update(assigned_to=clerk)
    Consent.objects.update(recorded_by=clerk)
    first = exported()
    counts = row_counts()

    # when the database is emptied and the export imported back
    delete_all_records()
    assert sum(row_counts().values()) == 0
    result = load(first)

    # then the same rows exist and a second export is the same, byte for byte
    assert result.ok, result.errors
    assert row_counts() == counts
    assert exported() == first
    assert '"by":"afesip-clerk"' in first
    assert '"assigned_to":"afesip-clerk"' in first
    assert '"recorded_by":"afesip-clerk"' in first


@pytest.mark.django_db
def test_dry_run_validates_and_writes_nothing():
    result = load(EXAMPLE.read_bytes(), dry_run=True)

    assert result.ok
    assert result.counts["victim"] == 5
    assert result.counts["agency"] == 10
    assert sum(row_counts().values()) == 0


VICTIM = '{{"type": "victim", "ref": "v1", "agency": "a1", "given_name": "Dara", {}}}'

BAD_SECOND_LINES = [
    pytest.param(b'{"type": "victim", "ref": ', "invalid JSON", id="invalid-json"),
    pytest.param(b'["victim"]', "a line must be one JSON object", id="not-an-object"),
    pytest.param(
        b'{"type": "victim", "ref": "v1", "agency": "a1", "given_name": "Sok\xff"}',
        "not valid UTF-8",
        id="non-utf8",
    ),
    pytest.param(b'{"type": "person", "ref": "p1"}', "unknown type 'person'", id="unknown-type"),
    pytest.param(
        VICTIM.format('"nickname": "Mom"'), "unknown field(s) for victim: nickname", id="field"
    ),
    pytest.param(VICTIM.format('"sex": "femal"'), "sex: Value 'femal'", id="unknown-choice"),
    pytest.param(
        VICTIM.format('"citizenship": "XYZ"'),
        "citizenship: XYZ is not an ISO 3166-1 alpha-3 country code.",
        id="unknown-country",
    ),
    pytest.param(
        VICTIM.format('"home_province": "99"'),
        "home_province: 99 is not a gazetteer province code.",
        id="unknown-province",
    ),
    pytest.param(
        '{"type": "victim", "agency": "a1", "sex": "male"}', "missing ref", id="missing-ref"
    ),
    pytest.param(
        '{"type": "victim", "ref": "a1", "agency": "a1"}',
        "duplicate ref 'a1' (first used on line 1)",
        id="duplicate-ref",
    ),
    pytest.param(
        VICTIM.format('"date_of_birth": "2010-02-30"'),
        "date_of_birth: '2010-02-30' is not a date that exists",
        id="impossible-date",
    ),
    pytest.param(
        VICTIM.format('"date_of_birth": "30/01/2010"'),
        "date_of_birth: must be a date YYYY-MM-DD",
        id="not-iso-date",
    ),
    pytest.param(
        VICTIM.format('"birth_year": "1990"'),
        "birth_year: must be a whole number, not '1990'",
        id="string-for-number",
    ),
    pytest.param(
        VICTIM.format('"literate_khmer": "yes"'),
        "literate_khmer: must be true or false, not 'yes'",
        id="string-for-bool",
    ),
    pytest.param(
        '{"type": "victim", "ref": "v1", "agency": "NOPE", "given_name": "Dara"}',
        "agency: unknown agency 'NOPE'",
        id="unknown-link",
    ),
    pytest.param(
        '{"type": "victim", "ref": "v1", "given_name": "Dara"}',
        "agency: is required",
        id="missing-link",
    ),
    pytest.param(
        '{"type": "case", "ref": "c1", "agency": "a1", "opened_on": "2010-01-01", '
        '"exploitation_types": ["forced_labour"], "victims": ["a1"]}',
        "victims: 'a1' is a agency, not a victim",
        id="link-to-wrong-type",
    ),
    pytest.param(
        '{"type": "case", "ref": "c1", "agency": "a1", "opened_on": "2010-01-01", '
        '"exploitation_types": ["fishing"]}',
        "exploitation_types: Unknown code(s): fishing.",
        id="unknown-code-in-list",
    ),
    pytest.param(
        '{"type": "activity", "ref": "x1", "agency": "a1", "date": "2010-01-01", '
        '"kind": "training", "participants_total": 5, "participants_female": 9}',
        "participants_female: This cannot be more than the total.",
        id="check-constraint",
    ),
    pytest.param(
        '{"type": "referral", "ref": "r1", "victim": "v0", "from_agency": "a1", '
        '"to_agency": "a1", "created_on": "2010-01-01", "status": "completed", '
        '"transitions": [{"transition": "complete", "at": "2010-01-02T00:00:00+00:00"}]}',
        "transitions: item 1: cannot complete a referral that is pending",
        id="impossible-transition",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("second_line", "message"), BAD_SECOND_LINES)
def test_bad_input_is_reported_with_its_line_number_and_writes_nothing(second_line, message):
    # given a valid first line and a bad second one (and a valid third)
    if isinstance(second_line, str):
        second_line = second_line.encode()
    third = (
        b'{"type": "victim", "ref": "v0", "agency": "A1", "sex": "female", "given_name": "Kanha", '
        b'"consent_services": true}'
    )
    data = AGENCY.encode() + b"\n" + second_line + b"\n" + third + b"\n"

    # when it is imported
    result = load(data)

    # then the error names line 2 and nothing is written
    assert [error.line for error in result.errors] == [2], result.errors
    assert message in result.errors[0].message
    assert str(result.errors[0]).startswith("line 2: ")
    assert sum(row_counts().values()) == 0


@pytest.mark.django_db
def test_every_error_is_collected_not_only_the_first():
    data = "\n".join(
        [
            AGENCY,
            VICTIM.format('"sex": "x"'),
            "{oops",
            '{"type": "victim", "ref": "v3", "agency": "A1", "given_name": "Dara", '
            '"date_of_birth": "2011-13-01"}',
        ]
    )

    result = load(data)

    assert [error.line for error in result.errors] == [2, 3, 4]
    assert sum(row_counts().values()) == 0


@pytest.mark.django_db
def test_errors_stop_at_the_limit():
    data = "\n".join("{bad" for _ in range(10))

    result = load(data, max_errors=3)

    assert [error.line for error in result.errors] == [1, 2, 3]
    assert result.truncated


@pytest.mark.django_db
def test_a_link_may_name_a_record_of_the_database_by_uuid():
    # given an agency already in the database
    assert load(AGENCY).ok
    agency = Agency.objects.get(acronym="A1")

    # when a file names it by its UUID
    result = load(
        f'{{"type": "victim", "ref": "v1", "agency": "{agency.pk}", "given_name": "Dara"}}'
    )

    # then the victim belongs to it
    assert result.ok, result.errors
    assert Victim.objects.get(pk=result.ids["v1"]).agency == agency


@pytest.mark.django_db
def test_a_service_under_a_referral_is_for_the_referral_s_victim():
    assert load(EXAMPLE.read_bytes()).ok

    service = Service.objects.get(date="2010-04-20")

    assert service.victim.given_name == "Sreymom"
    assert service.referral.to_agency.acronym == "AFESIP"


@pytest.mark.django_db
def test_command_exits_non_zero_with_a_message_per_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_bytes(AGENCY.encode() + b"\n" + VICTIM.format('"sex": "x"').encode() + b"\n")
    stderr = io.StringIO()

    with pytest.raises(CommandError, match="1 error"):
        call_command("import_records", str(path), stderr=stderr)

    assert stderr.getvalue().startswith("line 2: sex: Value 'x' is not a valid choice.")
    assert Agency.objects.count() == 0


@pytest.mark.django_db
def test_commands_import_and_export_files(tmp_path):
    out = io.StringIO()
    call_command("import_records", str(EXAMPLE), "--dry-run", stdout=out)
    assert "nothing written" in out.getvalue()
    assert Victim.objects.count() == 0

    call_command("import_records", str(EXAMPLE), stdout=out)
    call_command("export_records", "--output", str(tmp_path / "all.jsonl"), stderr=io.StringIO())

    assert len((tmp_path / "all.jsonl").read_text().splitlines()) == 49


@pytest.mark.django_db
def test_a_line_may_link_to_a_later_line_and_a_byte_order_mark_is_ignored():
    data = "\ufeff" + VICTIM.format('"sex": "female"') + "\n" + AGENCY + "\n"

    result = load(data)

    assert result.ok, result.errors
    assert Victim.objects.get().agency.acronym == "A1"


@pytest.mark.django_db
def test_export_reads_in_chunks_not_row_by_row(django_assert_num_queries):
    # given the example: 49 records, several with links and nested lists
    assert load(EXAMPLE.read_bytes()).ok

    # when everything is exported with chunks of 1000 rows
    # then each of the 18 types costs one query, plus one per prefetched relation (case victims
    # and suspects, operation suspects and rescues, defendants, referral and hand-over
    # transitions, assisted_by, care plan goals and their tasks), whatever the number of rows
    with django_assert_num_queries(18 + 10):
        export_records(io.StringIO(), chunk_size=1000)


@pytest.mark.django_db
def test_a_stream_that_cannot_seek_is_read_twice_through_a_temporary_copy():
    lines = (line + b"\n" for line in EXAMPLE.read_bytes().splitlines())  # a generator

    result = import_records(lines)

    assert result.ok, result.errors
    assert sum(result.counts.values()) == 49
    assert Victim.objects.count() == result.counts["victim"] == 5


@pytest.mark.django_db
def test_reversed_lines_over_several_batches_import_and_export_back_equal(monkeypatch):
    # Every record after the ones that link to it, and batches of 3 rows: links span batches
    # and point forward, which the deferred foreign keys allow until the commit.
    monkeypatch.setattr("transfer.importer.BATCH_SIZE", 3)
    assert load(EXAMPLE.read_bytes()).ok
    first = exported()
    delete_all_records()
    reversed_file = "\n".join(reversed(first.splitlines())) + "\n"

    result = load(reversed_file)

    assert result.ok, result.errors
    assert exported() == first


@pytest.mark.django_db
def test_a_failure_in_a_late_batch_rolls_back_the_batches_already_inserted(monkeypatch):
    monkeypatch.setattr("transfer.importer.BATCH_SIZE", 2)
    victims = "\n".join(
        VICTIM.format('"sex": "female"').replace('"v1"', f'"v{n}"') for n in range(7)
    )
    bad = VICTIM.format('"sex": "x"').replace('"v1"', '"v-bad"')

    result = load(f"{AGENCY}\n{victims}\n{bad}\n")

    assert [error.line for error in result.errors] == [9]
    assert row_counts() == dict.fromkeys(row_counts(), 0)


@pytest.mark.django_db
def test_a_handover_and_a_placement_import_with_their_history():
    # given the example, whose raid placed two persons with agencies
    result = load(EXAMPLE.read_bytes())

    # then the rescues name those agencies and the hand-overs carry their answers
    assert result.ok, result.errors
    assert sorted(Rescue.objects.values_list("placement", "placed_with__acronym")) == [
        ("dosvy", "MoSVY"),
        ("ngo", "Hagar"),
    ]
    assert sorted(Handover.objects.values_list("kind", "to_agency__acronym", "status")) == [
        ("rescue_placement", "Hagar", "declined"),
        ("rescue_placement", "MoSVY", "pending"),
        ("transfer", "DoSVY-PVG", "accepted"),
    ]
    step = HandoverTransition.objects.get(handover__kind="transfer")
    assert (step.from_status, step.to_status) == ("pending", "accepted")


@pytest.mark.django_db
def test_a_dosvy_placement_without_the_agency_is_refused_on_its_line():
    text = "\n".join(
        [
            AGENCY,
            '{"type": "agency", "ref": "p1", "name": "Police", "acronym": "P1",'
            ' "kind": "police_unit"}',
            '{"type": "victim", "ref": "v1", "agency": "P1", "given_name": "Pov"}',
            '{"type": "operation", "ref": "o1", "agency": "P1", "date": "2010-01-02",'
            ' "kind": "raid", "province": "12",'
            ' "rescues": [{"victim": "v1", "placement": "dosvy"}]}',
            '{"type": "handover", "ref": "h1", "victim": "v1", "from_agency": "P1",'
            ' "to_agency": "A1", "kind": "rescue_placement", "created_on": "2010-01-02",'
            ' "status": "accepted",'
            ' "transitions": [{"transition": "withdraw", "at": "2010-01-03T00:00:00+00:00"}]}',
        ]
    )

    result = load(text)

    assert not result.ok
    assert [str(error) for error in result.errors] == [
        "line 4: rescues: item 1: placed_with: Name the agency that took the person in.",
        "line 5: status: is 'accepted' but the transitions lead to 'withdrawn'",
    ]
    assert Handover.objects.count() == 0


@pytest.mark.django_db
def test_refs_spread_over_many_blocks_and_flushes_resolve_and_duplicates_are_named(monkeypatch):
    # The refs live in a temporary table written a few rows at a time and read a block of
    # lines at a time: a link to a ref several blocks away still resolves, a duplicate several
    # blocks after the first use is named with both lines, and nothing is written.
    monkeypatch.setattr("transfer.importer.BATCH_SIZE", 2)
    monkeypatch.setattr("transfer.staging.FLUSH_ROWS", 2)
    victims = [VICTIM.format('"sex": "female"').replace('"v1"', f'"v{n}"') for n in range(6)]
    follow_up = '{"type": "follow_up", "ref": "f1", "victim": "v0", "agency": "a1", ' \
        '"date": "2010-03-01", "kind": "monitoring", "outcome": "ok"}'  # fmt: skip
    duplicate = VICTIM.format('"sex": "male"').replace('"v1"', '"v2"')

    ok = load("\n".join([*victims, follow_up, AGENCY]) + "\n")
    assert ok.ok, ok.errors
    assert FollowUp.objects.get(pk=ok.ids["f1"]).victim_id == ok.ids["v0"]
    delete_all_records()

    result = load("\n".join([AGENCY, *victims, duplicate]) + "\n")

    assert [str(error) for error in result.errors] == [
        "line 8: duplicate ref 'v2' (first used on line 4)"
    ]
    assert row_counts() == dict.fromkeys(row_counts(), 0)


@pytest.mark.django_db
def test_the_table_of_refs_is_gone_after_the_import():
    from django.db import connection

    assert load(EXAMPLE.read_bytes()).ok
    assert not [name for name in connection.introspection.table_names() if "transfer_refs" in name]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_temp_master WHERE name LIKE 'transfer_refs%'")
        else:
            cursor.execute("SELECT relname FROM pg_class WHERE relname LIKE 'transfer_refs%'")
        assert cursor.fetchall() == []


@pytest.mark.django_db
def test_a_merged_duplicate_travels_merged():
    """A duplicate merged into another record (SPEC section 8) stays merged when exported and
    imported again: hidden from everyone but administrators, counted once."""
    from victims.services import victim_merge

    # given two records of one person, merged
    assert load(EXAMPLE.read_bytes()).ok
    admin = UserFactory(username="merging-admin", agency=None, role="admin")
    survivor, duplicate = Victim.objects.order_by("pk")[:2]
    victim_merge(user=admin, survivor_id=survivor.pk, duplicate_id=duplicate.pk, channel="web")
    first = exported()

    # when the database is emptied and the export imported back
    delete_all_records()
    result = load(first)

    # then the duplicate still points at the survivor, and the export is the same
    assert result.ok, result.errors
    duplicate = Victim.objects.get(pk=duplicate.pk)
    assert duplicate.merged_into_id == survivor.pk
    assert duplicate.merged_at is not None
    assert exported() == first


@pytest.mark.django_db
def test_lines_are_read_as_the_json_module_reads_them():
    """Lines are parsed by orjson for speed; what it refuses and the json module reads (NaN) is
    read as before, and the errors are the json module's. A whole number past 64 bits is read
    as a float by orjson: refused all the same (no field holds more than 2,147,483,647)."""
    result = load(
        AGENCY + "\n"
        '{"type": "activity", "ref": "x1", "agency": "a1", "date": "2010-01-01", '
        '"kind": "training", "participants_total": NaN}\n'
        '{"type": "activity", "ref": "x2", "agency": "a1", "date": "2010-01-01", '
        '"kind": "training", "participants_total": 123456789012345678901234567890}\n'
        '{"type": "activity", "ref": "x3",}\n'
    )

    assert [str(error) for error in result.errors] == [
        "line 2: participants_total: must be a whole number, not nan",
        "line 3: participants_total: must be a whole number, not 1.2345678901234568e+29",
        "line 4: invalid JSON: Expecting property name enclosed in double quotes (column 34)",
    ]


@pytest.mark.django_db
def test_a_block_s_refs_are_looked_up_through_the_index_not_by_reading_the_whole_table():
    # On PostgreSQL a look-up of thousands of refs gives the planner constants, and it would
    # read the whole table of refs for each block of lines; the look-up keeps to the index.
    import uuid

    from django.db import connection

    from transfer.staging import RefTable

    if connection.vendor != "postgresql":
        pytest.skip("the planner's choice is PostgreSQL's")
    refs = RefTable()
    refs.create()
    for line in range(1, 20_001):
        refs.add(line, f"r{line}", "victim", uuid.uuid4(), None)
    refs.finish()
    plans: list[str] = []

    def explain(execute, sql, params, many, context):
        if sql.startswith("SELECT ref,"):
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN {sql}", params)
                plans.append("\n".join(row[0] for row in cursor.fetchall()))
        return execute(sql, params, many, context)

    wanted = [f"r{line}" for line in range(1, 20_001, 4)]  # 5,000 refs, as a block asks
    with connection.execute_wrapper(explain):
        found = refs.rows([*wanted, "not-a-ref"])

    assert sorted(found) == sorted(wanted)
    assert plans and not any("Seq Scan" in plan for plan in plans), plans
    with connection.cursor() as cursor:  # the planner is left as it was
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone()[0] == "on"
    refs.drop()


@pytest.mark.django_db
def test_text_with_tabs_line_breaks_and_backslashes_is_stored_as_written():
    # COPY's text format gives tabs, line breaks and backslashes a meaning of their own.
    notes = 'Tab\there, a line\nbreak, a \\N that is text, C:\\path and "quotes" \u17a2'
    victim = VICTIM.format(f'"social_notes": {json.dumps(notes)}, "sex": "female"')

    result = load(AGENCY + "\n" + victim)

    assert result.ok, result.errors
    assert Victim.objects.get(pk=result.ids["v1"]).social_notes == notes
