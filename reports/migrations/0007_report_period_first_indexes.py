"""Indexes for the statistics report on PostgreSQL (issue 17, second step): every figure starts
from the period's rows, read index-only.

- the period's operations and prosecutions by date, with the ids the report looks their
  rescues, detentions and defendants up by (`reports.figures.among`), and a rescue's
  operation date by the operation's id;
- the detained suspects and defendants by id with their sex and citizenship;
- "open at the end of the period" as (still open today: a partial index) + (closed after the
  end), instead of every case opened before the end (`report_case_opened`, dropped).

SQLite (tests, small installs) has no INCLUDE and no need: nothing is done there.
"""

from django.db import migrations

INDEXES = {
    "report_operation_date": "cases_operation (date) INCLUDE (id, case_id)",
    "report_operation_id_date": "cases_operation (id) INCLUDE (date)",
    "report_prosecution_filed": "cases_prosecution (filed_on) INCLUDE (id)",
    "report_suspect_id_sex": "cases_suspect (id) INCLUDE (sex, citizenship)",
    "report_case_open_now": "cases_case (opened_on) WHERE closed_on IS NULL",
    "report_case_closed": "cases_case (closed_on) INCLUDE (opened_on)",
}
REPLACED = {"report_case_opened": "cases_case (opened_on) INCLUDE (closed_on)"}


def _create(schema_editor, indexes: dict[str, str]) -> None:
    for name, definition in indexes.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")


def _drop(schema_editor, indexes: dict[str, str]) -> None:
    for name in indexes:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        _create(schema_editor, INDEXES)
        _drop(schema_editor, REPLACED)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        _drop(schema_editor, INDEXES)
        _create(schema_editor, REPLACED)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0006_report_covering_indexes"),
        ("cases", "0004_rescue_placed_with"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
