"""The audit trail is append-only on SQLite too (the embedded default): triggers refuse UPDATE
always, and DELETE unless the connection opted in (`ctms_audit_truncate_allowed()`, registered
by ctms.apps; only the test database opts in, to empty tables between tests). Whoever can write
the database file can still drop the triggers: this stops the application and accidents."""

from django.db import migrations

CREATE_TRIGGERS = [
    """
    CREATE TRIGGER IF NOT EXISTS ctms_auditevent_no_update
    BEFORE UPDATE ON ctms_auditevent
    BEGIN
        SELECT RAISE(ABORT, 'ctms_auditevent is append-only: UPDATE refused');
    END
    """,
    """
    CREATE TRIGGER IF NOT EXISTS ctms_auditevent_no_delete
    BEFORE DELETE ON ctms_auditevent
    WHEN NOT ctms_audit_truncate_allowed()
    BEGIN
        SELECT RAISE(ABORT, 'ctms_auditevent is append-only: DELETE refused');
    END
    """,
]
DROP_TRIGGERS = [
    "DROP TRIGGER IF EXISTS ctms_auditevent_no_update",
    "DROP TRIGGER IF EXISTS ctms_auditevent_no_delete",
]


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in CREATE_TRIGGERS:
            schema_editor.execute(statement, params=None)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in DROP_TRIGGERS:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):

    dependencies = [("ctms", "0004_audit_truncate_guard")]

    operations = [migrations.RunPython(create_triggers, drop_triggers, elidable=False)]
