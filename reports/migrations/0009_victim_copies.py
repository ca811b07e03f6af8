"""The victim's sex and birth date copied onto rescues, repatriations and follow-ups, and an
operation's date onto its rescues, kept by triggers (`reports.copies`), and the report's indexes
on those rows made to carry the copies, so that a quarter's figures are read from the quarter's
rows alone (issue 17).

The look-up of each person in `victims_victim` by primary key (`report_victim_id_age`) is no
longer needed by the report and is dropped. Indexes: PostgreSQL only, as 0006 and 0007.
"""

from django.db import migrations

from reports import copies

INDEXES = {
    "report_rescue_date": (
        "cases_rescue (operation_date) INCLUDE (victim_id, placement, operation_id,"
        " victim_sex, victim_date_of_birth, victim_birth_year)"
    ),
    "report_followup_date_copy": (
        "victims_followup (date, kind) INCLUDE (victim_id, victim_sex, agency_id)"
    ),
    "report_repatriation_received_copy": (
        "victims_repatriation (received_on, kind) INCLUDE (victim_id, from_country,"
        " receiving_agency_id, victim_sex, victim_date_of_birth, victim_birth_year)"
    ),
}
REPLACED = {
    "report_rescue_operation": "cases_rescue (operation_id) INCLUDE (victim_id, placement)",
    "report_followup_date": "victims_followup (date, kind, victim_id)",
    "report_repatriation_received": (
        "victims_repatriation (received_on, kind) INCLUDE (victim_id, from_country)"
    ),
    "report_victim_id_age": "victims_victim (id) INCLUDE (sex, date_of_birth, birth_year)",
}


def _create(schema_editor, indexes):
    for name, definition in indexes.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")


def _drop(schema_editor, indexes):
    for name in indexes:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def forwards(apps, schema_editor):
    copies.install(schema_editor)
    if schema_editor.connection.vendor == "postgresql":
        # Rows updated twice in this transaction leave deferred foreign-key checks pending,
        # which CREATE INDEX refuses to run beside: check them now.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        _create(schema_editor, INDEXES)
        _drop(schema_editor, REPLACED)
        for table in {table for copied in copies.COPIED for table in copied.tables}:
            schema_editor.execute(f"ANALYZE {table}")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        _create(schema_editor, REPLACED)
        _drop(schema_editor, INDEXES)
    copies.uninstall(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0008_dashboard_warm_schedule"),
        ("victims", "0006_victim_copy"),
        ("cases", "0005_victim_copy"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
