"""The audit trail's guards (0002: no UPDATE or DELETE; 0004: no TRUNCATE) fire in every session,
a session in the `replica` role included (PostgreSQL only), which the importer takes to leave
out the database's row-by-row foreign-key checks (issue 17): no role setting turns them off."""

from django.db import migrations

TRIGGERS = ("ctms_auditevent_append_only", "ctms_auditevent_no_truncate")


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in TRIGGERS:
            schema_editor.execute(f"ALTER TABLE ctms_auditevent ENABLE ALWAYS TRIGGER {name}")


class Migration(migrations.Migration):
    dependencies = [("ctms", "0007_audit_action_choices_declared_by_apps")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False)]
