"""The audit trail is append-only: the actor link no longer rewrites rows when a user is
deleted, and on PostgreSQL a trigger refuses any UPDATE or DELETE of the table, whoever asks
(the application, the admin, a hand-typed SQL statement with the application's role).

TRUNCATE is left alone: it is what the test runner uses to empty the database between tests,
and it needs table ownership, which an operator can use to drop a trigger anyway."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

CREATE_TRIGGER = """
CREATE OR REPLACE FUNCTION ctms_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'ctms_auditevent is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS ctms_auditevent_append_only ON ctms_auditevent;
CREATE TRIGGER ctms_auditevent_append_only
    BEFORE UPDATE OR DELETE ON ctms_auditevent
    FOR EACH ROW EXECUTE FUNCTION ctms_auditevent_append_only();
"""

DROP_TRIGGER = """
DROP TRIGGER IF EXISTS ctms_auditevent_append_only ON ctms_auditevent;
DROP FUNCTION IF EXISTS ctms_auditevent_append_only();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_TRIGGER, params=None)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_TRIGGER, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ("ctms", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="audit_events",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RunPython(create_trigger, drop_trigger, elidable=False),
    ]
